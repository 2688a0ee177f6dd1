import {mkdtemp, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {realFacts} from '../../../src/lib/adapters/host-facts.js'
import {runDoctor, type DoctorOptions} from '../../../src/lib/app/doctor/doctor.js'
import {KIND_BINARY, OFFICIAL, testCatalog} from '../provision/fixtures.js'
import {startServer, type TestServer} from '../provision/server.js'
import {FakeTools, failed, fakeFacts, healthyMachine, healthyWorld, type Machine} from './fakes.js'

describe('deskrun doctor (the report)', function () {
  if (process.platform === 'win32') return
  let server: TestServer
  let home: string
  let machine: Machine

  beforeEach(async () => {
    server = await startServer({...OFFICIAL})
    home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-doctor-'))
    machine = healthyMachine()
    await writeFile(
      path.join(home, 'config.json'),
      JSON.stringify({version: 1, cluster_name: 'deskrun', cache_root: '/srv/cache', installations: {}}),
      {mode: 0o600},
    )
  })
  afterEach(async () => {
    await server.close()
    await rm(home, {recursive: true, force: true})
  })

  function options(extra: Partial<DoctorOptions> = {}): DoctorOptions {
    const env = {DESKRUN_HOME: home, PATH: '/nonexistent', ...extra.env}
    const facts = fakeFacts(machine)
    const real = realFacts(env)
    return {
      adapters: new FakeTools(healthyWorld()),
      facts: {...facts, locate: async (program) => (await real.locate(program)) ?? facts.locate(program)},
      catalog: testCatalog(server.url),
      platform: 'linux-amd64',
      json: true,
      ...extra,
      env,
    }
  }

  it('reports every check in order, ok on a ready machine', async () => {
    const report = await runDoctor(options())
    expect(report.ok).to.equal(true)
    expect(report.installed).to.deep.equal([])
    expect(report.checks.map((check) => `${check.id}:${check.status}`)).to.deep.equal([
      'config:ok',
      'docker:ok',
      'kind:ok',
      'helm:ok',
      'kubectl:ok',
      'cluster:ok',
      'cache-mount:ok',
      'controller:ok',
      'cache-root:ok',
      'cache-lifetime:ok',
      'inotify:ok',
      'cgroup:ok',
    ])
  })

  describe('for an existing cluster (deskrun cluster use)', () => {
    beforeEach(() =>
      writeFile(
        path.join(home, 'config.json'),
        JSON.stringify({version: 1, cluster_name: 'deskrun', kube_context: 'homelab', installations: {}}),
        {mode: 0o600},
      ),
    )

    it('checks helm, kubectl, the cluster, your rights there and the controller; not Docker, kind or host caches', async () => {
      const report = await runDoctor(options())
      expect(report.checks.map((check) => `${check.id}:${check.status}`)).to.deep.equal([
        'config:ok',
        'helm:ok',
        'kubectl:ok',
        'cluster:ok',
        'permissions:ok',
        'controller:ok',
      ])
      expect(report.checks.find((check) => check.id === 'cluster')?.found).to.contain('context homelab')
    })

    it('names each right you lack there', async () => {
      const world = healthyWorld()
      world.denied = [
        'create customresourcedefinitions.apiextensions.k8s.io',
        'create clusterroles.rbac.authorization.k8s.io',
      ]
      const report = await runDoctor(options({adapters: new FakeTools(world)}))
      const permissions = report.checks.find((check) => check.id === 'permissions')
      expect(report.ok).to.equal(false)
      expect(permissions?.status).to.equal('fail')
      expect(permissions?.found)
        .to.contain('create customresourcedefinitions.apiextensions.k8s.io')
        .and.contain('create clusterroles.rbac.authorization.k8s.io')
      expect(permissions?.found).not.to.contain('namespaces').and.not.to.contain('nodes')
    })

    it('a context that does not answer fails the cluster check and says how to go back to kind', async () => {
      const world = healthyWorld()
      world.nodes = failed('The connection to the server 10.0.0.5:6443 was refused')
      const report = await runDoctor(options({adapters: new FakeTools(world)}))
      const cluster = report.checks.find((check) => check.id === 'cluster')
      expect(cluster?.status).to.equal('fail')
      expect(cluster?.fix).to.contain('deskrun cluster use --kind')
    })
  })

  it('is not ok when a check fails, and changes nothing without --fix', async () => {
    delete machine.programs.kind
    const report = await runDoctor(options())
    expect(report.ok).to.equal(false)
    expect(report.checks.find((check) => check.id === 'kind')).to.include({
      status: 'fail',
      provisionable: true,
    })
    expect(server.hits).to.deep.equal([])
    expect(await readdir(home)).to.deep.equal(['config.json'])
  })

  it('--fix installs the tools that failed and reports the machine after', async () => {
    delete machine.programs.kind
    const report = await runDoctor(options({fix: true}))
    expect(report.installed).to.deep.equal(['kind v0.29.0'])
    expect(report.ok).to.equal(true)
    expect(report.checks.find((check) => check.id === 'kind')?.tool).to.include({source: 'deskrun'})
  })

  it('--fix downloads from the mirror in DESKRUN_TOOLS_BASE_URL or the config', async () => {
    delete machine.programs.kind
    server.routes['/mirror/kind/v0.29.0/kind-linux-amd64'] = {body: KIND_BINARY}
    await runDoctor(options({fix: true, env: {DESKRUN_TOOLS_BASE_URL: `${server.url}/mirror`}}))
    expect(server.hits).to.deep.equal(['/mirror/kind/v0.29.0/kind-linux-amd64'])

    await rm(path.join(home, 'bin'), {recursive: true})
    await writeFile(
      path.join(home, 'config.json'),
      JSON.stringify({
        version: 1,
        cluster_name: 'deskrun',
        installations: {},
        tools_base_url: `${server.url}/mirror`,
      }),
      {mode: 0o600},
    )
    await runDoctor(options({fix: true}))
    expect(server.hits).to.have.length(2)
    expect(server.hits[1]).to.equal('/mirror/kind/v0.29.0/kind-linux-amd64')
  })
})
