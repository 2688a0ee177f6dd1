/**
 * Changes to an installation that a helm upgrade cannot carry out in place, and what deskrun passes
 * the tools about time and the cluster's Kubernetes version.
 */
import {mkdir, writeFile} from 'node:fs/promises'

import {expect} from 'chai'
import {stringify} from 'yaml'

import {NODE_CACHE_ROOT} from '../../src/lib/domain/settings.js'

import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'

describe('changing installations', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const terminating = async () =>
    (await s.fake.objects(CLUSTER))
      .filter((o) => o.metadata.deletionTimestamp)
      .map((o) => `${o.kind}/${o.metadata.name} (${o.metadata.finalizers?.join(', ')})`)

  it('up reinstalls a scale set whose container mode family changed, leaving nothing Terminating', async () => {
    expectOk(await s.add('my-runner', '--mode', 'kubernetes'))
    const config = await s.config()
    config.installations['my-runner'].ContainerMode = 'dind'
    await writeFile(s.configFile, JSON.stringify(config, null, 2))

    const result = await s.deskrun(['up'])
    expectOk(result)
    expect(result.stderr).to.contain('Scale set my-runner: reinstalled')
    expect(result.stderr).to.match(/reinstall.*kubernetes.*dind/)
    expect(await terminating()).to.deep.equal([])
    const [release] = (await s.fake.releases(CLUSTER)).filter((r) => r.name === 'my-runner')
    expect(release.revision, 'a fresh install').to.equal(1)
    expect(release.values).to.nested.include({'containerMode.type': 'dind'})
    const accounts = await s.fake.objects(CLUSTER, {kind: 'ServiceAccount', namespace: 'arc-runners'})
    expect(accounts.map((o) => o.metadata.name).filter((name) => name !== 'default')).to.deep.equal([
      'my-runner-gha-rs-no-permission',
    ])
    const helm = (await s.fake.calls('helm')).map((call) => call.argv[0])
    expect(helm.filter((verb) => verb === 'uninstall')).to.have.length(1)

    const again = await s.deskrun(['up', '--json'])
    expectOk(again)
    expect(JSON.parse(again.stdout).changed).to.deep.equal([])
  })

  it('up upgrades in place when the mode changes within a family', async () => {
    expectOk(await s.add('my-runner', '--mode', 'kubernetes'))
    const config = await s.config()
    config.installations['my-runner'].ContainerMode = 'cached-privileged-kubernetes'
    await writeFile(s.configFile, JSON.stringify(config, null, 2))
    const result = await s.deskrun(['up', '--json'])
    expectOk(result)
    expect(JSON.parse(result.stdout).changed).to.include('scale set my-runner upgraded')
    const [release] = (await s.fake.releases(CLUSTER)).filter((r) => r.name === 'my-runner')
    expect(release.revision).to.equal(2)
    expect(await terminating()).to.deep.equal([])
  })
})

describe('--timeout reaches the tools', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  /** The value after `flag` in every logged call of `tool` whose argv starts with `verbs`. */
  const flagValues = async (tool: 'helm' | 'kind' | 'kubectl', verbs: string[], flag: string) =>
    (await s.fake.calls(tool))
      .map((call) => call.argv.filter((arg) => !arg.startsWith('--context') && arg !== 'kind-deskrun'))
      .filter((argv) => verbs.every((verb, i) => argv[i] === verb))
      .map((argv) => argv[argv.indexOf(flag) + 1])

  it('as helm --timeout, kind --wait and kubectl delete --timeout, in Go duration format', async () => {
    expectOk(await s.add('my-runner', '--timeout', '90s'))
    expect(await flagValues('kind', ['create', 'cluster'], '--wait')).to.deep.equal(['1m30s'])
    expect(await flagValues('helm', ['upgrade'], '--timeout')).to.deep.equal(['1m30s', '1m30s'])

    expectOk(await s.deskrun(['remove', 'my-runner', '--timeout', '15m']))
    expect(await flagValues('helm', ['uninstall'], '--timeout')).to.deep.equal(['15m0s'])
    expect(new Set(await flagValues('kubectl', ['delete'], '--timeout'))).to.deep.equal(new Set(['15m0s']))
  })

  it('defaults to 10 minutes per call', async () => {
    expectOk(await s.add('my-runner'))
    expect(await flagValues('kind', ['create', 'cluster'], '--wait')).to.deep.equal(['10m0s'])
    expect(await flagValues('helm', ['upgrade'], '--timeout')).to.deep.equal(['10m0s', '10m0s'])
  })
})

describe("the cluster's Kubernetes version", () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  /** The cluster deskrun would create, but on another kind node image. */
  async function clusterOn(image: string): Promise<void> {
    const config = stringify({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes: [
        {role: 'control-plane', extraMounts: [{hostPath: s.cacheRoot, containerPath: NODE_CACHE_ROOT}]},
      ],
    })
    await mkdir(s.cacheRoot, {recursive: true})
    const created = await s.fake.tool(
      'kind',
      ['create', 'cluster', '--name', CLUSTER, '--image', image, '--config', '-'],
      {
        input: config,
      },
    )
    expectOk(created)
  }

  const dindPod = async () => {
    const [release] = (await s.fake.releases(CLUSTER)).filter((r) => r.name === 'builder')
    const spec = release.podTemplate?.spec as {initContainers?: Container[]; containers: Container[]}
    return {
      initContainers: (spec.initContainers ?? []).map(describe),
      containers: spec.containers.map(describe),
    }
  }
  interface Container {
    name: string
    restartPolicy?: string
  }
  const describe = (c: Container) => `${c.name}${c.restartPolicy ? ` (${c.restartPolicy})` : ''}`

  it('a dind daemon with a cache is a native sidecar from Kubernetes 1.29 on', async () => {
    expectOk(await s.add('builder', '--mode', 'dind', '--cache', '/var/lib/docker', '--max-runners', '1'))
    expect(await dindPod()).to.deep.equal({
      initContainers: ['init-dind-externals', 'dind (Always)'],
      containers: ['runner'],
    })
    const asked = (await s.fake.calls('kubectl')).filter(
      (call) => call.argv.includes('version') && !call.argv.includes('--client'),
    )
    expect(asked, "the node image's tag tells the version: the API server is not asked").to.have.length(0)
  })

  it('before 1.29 the dind daemon runs beside the runner, as the chart lays it out', async () => {
    await clusterOn('kindest/node:v1.28.15')
    expectOk(await s.add('builder', '--mode', 'dind', '--cache', '/var/lib/docker', '--max-runners', '1'))
    expect(await dindPod()).to.deep.equal({
      initContainers: ['init-dind-externals'],
      containers: ['runner', 'dind'],
    })
  })
})
