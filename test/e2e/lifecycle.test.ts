/**
 * The whole lifecycle against real Docker, kind, helm and kubectl. Runs only with DESKRUN_E2E=1
 * (CI's e2e job, or a laptop): it creates a kind cluster named deskrun-e2e and deletes it at the end.
 * The token is a dummy unless E2E_GITHUB_TOKEN is set, so listeners may fail to authenticate; the
 * suite checks what deskrun owns: cluster, mounts, controller, scale sets, objects, idempotency.
 */
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'
import {execa} from 'execa'

const enabled = process.env.DESKRUN_E2E === '1'
const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/run.js')
const cluster = 'deskrun-e2e'
const context = `kind-${cluster}`

;(enabled ? describe : describe.skip)('e2e: deskrun against real kind, helm and kubectl', function () {
  this.timeout(30 * 60 * 1000)
  let home: string
  let cacheRoot: string
  const token = process.env.E2E_GITHUB_TOKEN ?? 'ghp_e2eDummyTokenThatIsNotReal0000000000'

  const deskrun = (...args: string[]) =>
    execa('node', [cli, ...args], {
      env: {DESKRUN_HOME: home, DESKRUN_AUTH_VALUE: token, CI: '1'},
      reject: false,
    })
  const kubectl = async (...args: string[]) =>
    (await execa('kubectl', ['--context', context, ...args])).stdout

  before(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-e2e-'))
    cacheRoot = path.join(home, 'cache')
    await mkdir(cacheRoot, {recursive: true})
    await writeFile(
      path.join(home, 'config.json'),
      JSON.stringify({version: 1, cluster_name: cluster, cache_root: cacheRoot, installations: {}}),
      {mode: 0o600},
    )
    await execa('kind', ['delete', 'cluster', '--name', cluster])
  })

  after(async () => {
    if (process.env.DESKRUN_E2E_KEEP !== '1')
      await execa('kind', ['delete', 'cluster', '--name', cluster], {reject: false})
    await rm(home, {recursive: true, force: true})
  })

  it('adds a privileged runner with a cache: cluster, mount, controller, scale set and hook extension', async () => {
    const add = await deskrun(
      'add',
      'e2e-priv',
      '--repository',
      'https://github.com/deskrun/e2e',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/var/lib/docker',
      '--max-runners',
      '1',
    )
    expect(add.exitCode, add.stderr).to.equal(0)
    expect(add.stdout).to.contain('runs-on: e2e-priv')
    const mounts = JSON.parse(
      (await execa('docker', ['inspect', `${cluster}-control-plane`, '--format', '{{json .Mounts}}'])).stdout,
    )
    expect(mounts.map((mount: {Source: string}) => mount.Source)).to.include(cacheRoot)
    expect(await kubectl('get', 'crd', 'autoscalingrunnersets.actions.github.com', '-o', 'name')).to.contain(
      'autoscalingrunnersets',
    )
    const ars = JSON.parse(await kubectl('get', 'autoscalingrunnersets', '-n', 'arc-runners', '-o', 'json'))
    expect(ars.items.map((item: {metadata: {name: string}}) => item.metadata.name)).to.deep.equal([
      'e2e-priv',
    ])
    expect(
      await kubectl('get', 'configmap', 'e2e-priv-hook-extension', '-n', 'arc-runners', '-o', 'name'),
    ).to.contain('e2e-priv')
  })

  it('doctor finds nothing wrong once a runner is up', async () => {
    const doctor = await deskrun('doctor', '--json')
    const report = JSON.parse(doctor.stdout)
    const failed = report.checks.filter((check: {status: string}) => check.status === 'fail')
    expect(failed, doctor.stdout).to.deep.equal([])
    expect(doctor.exitCode).to.equal(0)
  })

  it('up is idempotent and says nothing changed', async () => {
    const up = await deskrun('up', '--json')
    expect(up.exitCode, up.stderr).to.equal(0)
    expect(JSON.parse(up.stdout).changed).to.deep.equal([])
  })

  it('adds three dind instances and shows their status', async () => {
    const add = await deskrun(
      'add',
      'e2e-dind',
      '--repository',
      'https://github.com/deskrun/e2e',
      '--mode',
      'dind',
      '--instances',
      '3',
    )
    expect(add.exitCode, add.stderr).to.equal(0)
    const status = JSON.parse((await deskrun('status', '--json')).stdout)
    const dind = status.installations.find((installation: {name: string}) => installation.name === 'e2e-dind')
    expect(dind.scaleSets.map((scaleSet: {name: string}) => scaleSet.name)).to.deep.equal([
      'e2e-dind-1',
      'e2e-dind-2',
      'e2e-dind-3',
    ])
    for (const scaleSet of dind.scaleSets) expect(scaleSet.release.status).to.equal('deployed')
  })

  it('removes an installation, scale sets first, and keeps the rest', async () => {
    const remove = await deskrun('remove', 'e2e-dind')
    expect(remove.exitCode, remove.stderr).to.equal(0)
    const releases = JSON.parse(
      (await execa('helm', ['--kube-context', context, 'list', '-n', 'arc-runners', '-o', 'json'])).stdout,
    )
    expect(releases.map((release: {name: string}) => release.name)).to.deep.equal(['e2e-priv'])
  })

  it('rebuilds everything after cluster delete with up', async () => {
    expect((await deskrun('cluster', 'delete')).exitCode).to.equal(0)
    const up = await deskrun('up')
    expect(up.exitCode, up.stderr).to.equal(0)
    const ars = JSON.parse(await kubectl('get', 'autoscalingrunnersets', '-n', 'arc-runners', '-o', 'json'))
    expect(ars.items.map((item: {metadata: {name: string}}) => item.metadata.name)).to.deep.equal([
      'e2e-priv',
    ])
  })
})
