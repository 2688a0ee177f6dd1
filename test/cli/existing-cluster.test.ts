/** An existing cluster named by kube context (issue 14): deskrun drives it, never creates or deletes it. */
import {readFile} from 'node:fs/promises'

import {expect} from 'chai'

import {expectOk, sandbox, type Sandbox} from './support.js'

describe('an existing cluster (deskrun cluster use)', () => {
  let s: Sandbox
  beforeEach(async () => {
    s = await sandbox()
    await s.fake.addRemoteCluster({name: 'homelab', context: 'homelab', version: 'v1.31.4', nodes: 2})
  })
  afterEach(async () => {
    await s.expectNoLeaks()
    await s.fake.cleanup()
  })

  const use = async () => {
    const used = await s.deskrun(['cluster', 'use', 'homelab'])
    expectOk(used)
    expect(used.stdout).to.contain('deskrun now uses the cluster of context homelab (Kubernetes v1.31.4)')
  }

  it('deploys there with helm and kubectl only: no kind, no docker, no cluster created', async () => {
    await use()
    expect((await s.config()).kube_context).to.equal('homelab')
    expectOk(await s.add('web'))
    const names = (await s.fake.releases('homelab')).map((release) => release.name).sort()
    expect(names).to.deep.equal(['arc', 'web'])
    expect(await s.fake.clusters()).to.deep.equal([])
    const tools = new Set((await s.fake.calls()).map((call) => call.tool))
    expect([...tools].sort()).to.deep.equal(['helm', 'kubectl'])
    // Every call that reaches a cluster reaches that one (kubectl's own version check reaches none).
    for (const call of await s.fake.calls('kubectl'))
      if (!call.argv.includes('--client'))
        expect(call.argv.slice(0, 2)).to.deep.equal(['--context', 'homelab'])
    const again = await s.deskrun(['up', '--json'])
    expectOk(again)
    expect(JSON.parse(again.stdout).changed).to.deep.equal([])
  })

  it("the work volume of the kubernetes mode takes that cluster's default storage class, not kind's", async () => {
    await use()
    expectOk(await s.add('web'))
    const [web] = (await s.fake.releases('homelab')).filter((release) => release.name === 'web')
    const claim = (web.values?.containerMode as {kubernetesModeWorkVolumeClaim: Record<string, unknown>})
      .kubernetesModeWorkVolumeClaim
    expect(claim).to.deep.equal({accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}})
  })

  it('works while this machine has no Docker running', async () => {
    await use()
    const added = await s.deskrun(
      ['add', 'web', '--repository', 'https://github.com/owner/repo', '--auth-value', '-'],
      {input: 'ghp_TestTokenDoNotLeak0123456789abcdefABCD\n', env: {FAKE_DOCKER_DOWN: '1'}},
    )
    expectOk(added)
  })

  it('refuses to create or delete it, and says how to go back to kind', async () => {
    await use()
    for (const verb of ['create', 'delete']) {
      const result = await s.deskrun(['cluster', verb])
      expect(result.exitCode, result.stderr).to.equal(2)
      expect(result.stderr).to.contain('deskrun cluster use --kind')
    }
    expect(await s.fake.calls('kind')).to.deep.equal([])
  })

  it('cluster status shows the context, its nodes, and where caches live', async () => {
    await use()
    const status = await s.deskrun(['cluster', 'status', '--json'])
    expectOk(status)
    const result = JSON.parse(status.stdout)
    expect(result).to.include({existing: true, exists: true, context: 'homelab'})
    expect(result.nodes.map((node: {name: string}) => node.name)).to.deep.equal([
      'homelab-node-1',
      'homelab-node-2',
    ])
  })

  it('a context that does not answer is refused and nothing is saved', async () => {
    const before = await readFile(s.configFile, 'utf8')
    const result = await s.deskrun(['cluster', 'use', 'nowhere'])
    expect(result.exitCode).to.equal(1)
    expect(result.stderr).to.contain('nowhere').and.to.contain('Nothing was changed')
    expect(await readFile(s.configFile, 'utf8')).to.equal(before)
  })

  it('--kind goes back; installations are then not deployed until up', async () => {
    await use()
    expectOk(await s.add('web'))
    const back = await s.deskrun(['cluster', 'use', '--kind'])
    expectOk(back)
    expect(back.stdout).to.contain('kind cluster again')
    const config = await s.config()
    expect(config).not.to.have.property('kube_context')
    expect(config.installations.web.Deployed).to.equal(false)
  })

  it('doctor checks the context and the rights deskrun needs there', async () => {
    await use()
    await s.fake.deny('homelab', ['create clusterroles.rbac.authorization.k8s.io'])
    const doctor = await s.deskrun(['doctor', '--json'])
    expect(doctor.exitCode).to.equal(1)
    const checks = JSON.parse(doctor.stdout).checks as {id: string; status: string; found: string}[]
    expect(checks.map((check) => check.id)).to.deep.equal([
      'config',
      'helm',
      'kubectl',
      'cluster',
      'permissions',
      'controller',
    ])
    const permissions = checks.find((check) => check.id === 'permissions')
    expect(permissions).to.include({status: 'fail'})
    expect(permissions?.found).to.contain('create clusterroles.rbac.authorization.k8s.io')
  })

  it('with caches on a storage class, doctor also asks for storage classes and claims', async () => {
    await use()
    await s.writeInstallations({
      web: {CachePaths: [{Target: '/root/.cache'}], CacheStorageClass: 'local-path', CacheSize: '20Gi'},
    })
    await s.fake.deny('homelab', ['create persistentvolumeclaims'])
    const doctor = await s.deskrun(['doctor', '--json'])
    const checks = JSON.parse(doctor.stdout).checks as {id: string; status: string; found: string}[]
    const permissions = checks.find((check) => check.id === 'permissions')
    expect(permissions).to.include({status: 'fail'})
    expect(permissions?.found).to.equal(
      'you may not create persistentvolumeclaims in arc-runners (kubectl auth can-i)',
    )
    const asked = (await s.fake.calls('kubectl')).filter((call) => call.argv.includes('can-i'))
    expect(asked.map((call) => call.argv.slice(call.argv.indexOf('can-i') + 1).join(' '))).to.include.members(
      ['list storageclasses.storage.k8s.io', 'create persistentvolumeclaims -n arc-runners'],
    )
  })

  it('remove uninstalls there', async () => {
    await use()
    expectOk(await s.add('web'))
    expectOk(await s.deskrun(['remove', 'web']))
    expect((await s.fake.releases('homelab')).map((release) => release.name)).to.deep.equal(['arc'])
  })

  describe('instances with caches on a cluster of several nodes', () => {
    beforeEach(async () => {
      await s.fake.addRemoteCluster({name: 'farm', context: 'farm', nodes: 3})
      expectOk(await s.deskrun(['cluster', 'use', 'farm']))
    })
    const cache = ['--mode', 'cached-privileged-kubernetes', '--cache', '/home/runner/.cache']
    const runnerNodes = async () =>
      Object.fromEntries(
        (await s.fake.objects('farm', {kind: 'Pod', namespace: 'arc-runners'}))
          .filter((pod) => pod.metadata.labels?.['actions-ephemeral-runner'] === 'True')
          .map((pod) => [
            pod.metadata.labels?.['actions.github.com/scale-set-name'],
            (pod.spec as {nodeName?: string}).nodeName,
          ]),
      )

    it('pins each instance to a node once, keeps it there, and spreads the next over the least busy', async () => {
      expectOk(await s.add('build', ...cache, '--instances', '2'))
      const pins = {'build-1': 'farm-node-1', 'build-2': 'farm-node-2'}
      expect((await s.config()).installations.build.Nodes).to.deep.equal(pins)
      expect(await runnerNodes()).to.deep.include(pins)
      const list = JSON.parse((await s.deskrun(['list', '--json'])).stdout)
      expect(list.installations[0]).to.deep.include({name: 'build', nodes: pins})
      expectOk(await s.add('test', ...cache))
      expect((await s.config()).installations.test.Nodes).to.deep.equal({test: 'farm-node-3'})
      const again = await s.deskrun(['up', '--json'])
      expect(JSON.parse(again.stdout).changed).to.deep.equal([])
      expect((await s.config()).installations.build.Nodes).to.deep.equal(pins)
    })

    it('leaves installations without caches free to run anywhere', async () => {
      expectOk(await s.add('web'))
      expect((await s.config()).installations.web).not.to.have.property('Nodes')
    })

    it('--node puts every instance on that node; a node the cluster lacks stops up with the nodes it has', async () => {
      expectOk(await s.add('build', ...cache, '--instances', '2', '--node', 'farm-node-3'))
      expect(await runnerNodes()).to.deep.include({'build-1': 'farm-node-3', 'build-2': 'farm-node-3'})
      const result = await s.add('lost', '--node', 'farm-node-9')
      expect(result.exitCode).to.equal(1)
      expect(result.stderr).to.contain('farm-node-9').and.contain('farm-node-1, farm-node-2, farm-node-3')
    })
  })
})
