/**
 * `--mount`: host paths shown to jobs as they are. The kind node mounts them when it is created; an
 * existing cluster without one is refused before anything changes, as for the cache root.
 */
import {existsSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'
import {parse} from 'yaml'

import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'

interface Spec {
  containers: {name: string; volumeMounts?: {name: string; mountPath: string; readOnly?: boolean}[]}[]
  volumes?: {name: string; hostPath?: {path: string; type?: string}}[]
}

describe('--mount', () => {
  let s: Sandbox
  let socket: string
  let tools: string
  useSandbox((created) => (s = created))
  beforeEach(async () => {
    // Paths of the sandbox stand for the host's /var/run/docker.sock and a read-only toolchain.
    socket = path.join(s.fake.root, 'host', 'docker.sock')
    tools = path.join(s.fake.root, 'host', 'tools')
    await mkdir(tools, {recursive: true})
    await writeFile(socket, '')
  })

  const extraMounts = async () => (await s.fake.clusters())[0].nodes[0].extraMounts
  const hookSpec = async (release: string): Promise<Spec> => {
    const configMaps = await s.fake.objects(CLUSTER, {kind: 'ConfigMap', namespace: 'arc-runners'})
    const hook = configMaps.find((object) => object.metadata.name === `${release}-hook-extension`)!
    return parse((hook as unknown as {data: {content: string}}).data.content).spec
  }

  it('mounts the host paths into the kind node and the job pods, and shows them in list and status', async () => {
    const result = await s.add(
      'host-docker',
      '--mount',
      `${socket}:/var/run/docker.sock:Socket`,
      '--mount',
      `${tools}:/opt/tools:ro`,
    )
    expectOk(result)
    const mounts = [
      {source: socket, target: '/var/run/docker.sock', type: 'Socket', readOnly: false},
      {source: tools, target: '/opt/tools', type: 'DirectoryOrCreate', readOnly: true},
    ]
    expect((await s.config()).installations['host-docker'].Mounts).to.deep.equal([
      {Source: socket, Target: '/var/run/docker.sock', Type: 'Socket'},
      {Source: tools, Target: '/opt/tools', Type: 'DirectoryOrCreate', ReadOnly: true},
    ])
    expect(await extraMounts()).to.deep.include.members([
      {hostPath: socket, containerPath: `/var/lib/deskrun/mounts${socket}`},
      {hostPath: tools, containerPath: `/var/lib/deskrun/mounts${tools}`},
    ])

    const spec = await hookSpec('host-docker')
    const job = spec.containers.find((container) => container.name === '$job')!
    expect(job.volumeMounts).to.deep.include.members([
      {name: 'mount-0', mountPath: '/var/run/docker.sock'},
      {name: 'mount-1', mountPath: '/opt/tools', readOnly: true},
    ])
    expect(spec.volumes).to.deep.include.members([
      {name: 'mount-0', hostPath: {path: `/var/lib/deskrun/mounts${socket}`, type: 'Socket'}},
      {name: 'mount-1', hostPath: {path: `/var/lib/deskrun/mounts${tools}`, type: 'DirectoryOrCreate'}},
    ])

    const listed = JSON.parse((await s.deskrun(['list', '--json'])).stdout).installations[0]
    expect(listed.mounts).to.deep.equal(mounts)
    const status = JSON.parse((await s.deskrun(['status', '--json'])).stdout).installations[0]
    expect(status.mounts).to.deep.equal(mounts)
    await s.expectNoLeaks()
  })

  it('on a cluster created without the mount: refused, nothing installed, and says how to recreate', async () => {
    expectOk(await s.add('plain'))
    const callsBefore = (await s.fake.calls()).length
    const result = await s.add('late', '--mount', `${tools}:/opt/tools:ro`)
    expect(result.exitCode).to.equal(1)
    const said = unwrap(result.stderr)
    expect(said).to.include(`does not mount ${tools} from your machine`)
    expect(said).to.include('deskrun cluster delete && deskrun up')
    const installs = (await s.fake.calls())
      .slice(callsBefore)
      .filter((call) => call.tool === 'helm' && ['install', 'upgrade'].includes(call.argv[0]))
    expect(installs).to.deep.equal([])
    expect((await s.fake.releases(CLUSTER)).map((release) => release.name)).to.deep.equal(['arc', 'plain'])

    // Recreated from the config, the cluster mounts it.
    expectOk(await s.deskrun(['cluster', 'delete']))
    expectOk(await s.deskrun(['up']))
    expect((await extraMounts()).map((mount) => mount.hostPath)).to.include(tools)
  })

  for (const command of [['up'], ['cluster', 'create']])
    it(`${command.join(' ')}: a cluster another deskrun created meanwhile without the mount is refused`, async () => {
      await s.writeInstallations({tools: {Mounts: [{Source: tools, Target: '/opt/tools', ReadOnly: true}]}})
      // This deskrun's kind create waits until someone else has made the cluster, without the mount.
      const gate = path.join(s.fake.root, 'gate')
      s.fake.setFaults([{tool: 'kind', match: 'create cluster', action: 'hold', gate}])
      const running = s.start(command)
      while (!existsSync(`${gate}.held`)) await sleep(25)
      expectOk(await s.fake.tool('kind', ['create', 'cluster', '--name', CLUSTER]))
      await writeFile(gate, '')

      const result = await running.result
      expect(result.exitCode).to.equal(1)
      const said = unwrap(result.stderr)
      expect(said).to.include(`does not mount ${tools} from your machine, which --mount needs`)
      expect(said).to.include('deskrun cluster delete && deskrun up')
      const installs = (await s.fake.calls('helm')).filter((call) => call.argv[0] === 'upgrade')
      expect(installs).to.deep.equal([])
    })

  it("works for the original deskrun's Socket mount in a config file", async () => {
    const original = {
      cluster_name: CLUSTER,
      installations: {
        'docker-runner': {
          Name: 'docker-runner',
          Repository: 'https://github.com/owner/repo',
          ContainerMode: 'cached-privileged-kubernetes',
          MinRunners: 1,
          MaxRunners: 1,
          Mounts: [{Source: socket, Target: '/var/run/docker.sock', Type: 'Socket'}],
          AuthType: 'pat',
          AuthValue: await readFile(path.join(s.fake.root, 'token'), 'utf8'),
        },
      },
    }
    await writeFile(s.configFile, JSON.stringify({...original, version: 1, cache_root: s.cacheRoot}))
    const result = await s.deskrun(['up'])
    expectOk(result)
    expect(result.stderr).to.not.include('not supported')
    expect((await extraMounts()).map((mount) => mount.hostPath)).to.include(socket)
    const runner = (await s.fake.releases(CLUSTER)).find((release) => release.name === 'docker-runner')!
      .podTemplate!.spec as Spec
    expect(runner.containers.find((c) => c.name === 'runner')!.volumeMounts).to.deep.include({
      name: 'mount-0',
      mountPath: '/var/run/docker.sock',
    })
  })
})
