/**
 * Caches on a storage class (`--cache-storage-class`, issue 14): a claim per instance that deskrun applies
 * and keeps, mounted in subPaths, no node pinned; what set, remove and the cache commands do with it.
 */
import {readFile} from 'node:fs/promises'

import {expect} from 'chai'

import {unwrap, type KubeObject} from '../helpers/fake-tools.js'
import {expectOk, sandbox, type Sandbox} from './support.js'

interface Spec {
  nodeSelector?: Record<string, string>
  affinity?: unknown
  volumes?: {name: string; persistentVolumeClaim?: {claimName: string}; hostPath?: unknown}[]
  initContainers?: {name: string; volumeMounts?: {name: string; mountPath: string; subPath?: string}[]}[]
  containers: {name: string; volumeMounts?: {name: string; mountPath: string; subPath?: string}[]}[]
}

const DIND = ['--mode', 'dind', '--cache', '/var/lib/docker', '--cache', '/home/runner/.cache']

describe('caches on a storage class', () => {
  let s: Sandbox
  afterEach(async () => {
    await s.expectNoLeaks()
    await s.fake.cleanup()
  })

  const claims = async (cluster: string) =>
    (await s.fake.objects(cluster, {
      kind: 'PersistentVolumeClaim',
      namespace: 'arc-runners',
    })) as (KubeObject & {
      spec: {storageClassName?: string; resources: {requests: {storage: string}}}
    })[]
  const spec = async (cluster: string, release: string) =>
    (await s.fake.releases(cluster)).find((one) => one.name === release)!.podTemplate!.spec as Spec
  const runnerNodes = async (cluster: string) =>
    (await s.fake.objects(cluster, {kind: 'Pod', namespace: 'arc-runners'}))
      .filter((pod) => pod.metadata.labels?.['actions-ephemeral-runner'] === 'True')
      .map((pod) => [
        pod.metadata.labels?.['actions.github.com/scale-set-name'],
        (pod.spec as {nodeName?: string}).nodeName,
      ])

  describe("on deskrun's kind cluster", () => {
    beforeEach(async () => {
      s = await sandbox()
    })

    it('applies a claim per instance, mounts each cache as its folder, and pins nothing', async () => {
      const added = await s.add('build', ...DIND, '--instances', '2', '--cache-storage-class', 'standard')
      expectOk(added)
      expect(added.stdout)
        .to.contain('Caches in the cluster:')
        .and.contain('build-1 /var/lib/docker -> claim build-1-cache, folder cache-0')
      expect(
        (await claims('deskrun')).map((claim) => [
          claim.metadata.name,
          claim.spec.storageClassName,
          claim.spec.resources.requests.storage,
          claim.metadata.labels?.['deskrun.io/instance'],
        ]),
      ).to.deep.equal([
        ['build-1-cache', 'standard', '20Gi', 'build-1'],
        ['build-2-cache', 'standard', '20Gi', 'build-2'],
      ])
      const pod = await spec('deskrun', 'build-2')
      expect(pod.volumes?.filter((volume) => volume.persistentVolumeClaim)).to.deep.equal([
        {name: 'cache-claim', persistentVolumeClaim: {claimName: 'build-2-cache'}},
      ])
      expect(pod.volumes?.some((volume) => volume.hostPath)).to.equal(false)
      const daemon = pod.initContainers?.find((container) => container.name === 'dind')
      expect(daemon?.volumeMounts).to.deep.include({
        name: 'cache-claim',
        mountPath: '/var/lib/docker',
        subPath: 'cache-0',
      })
      const opener = pod.initContainers?.find((container) => container.name === 'init-cache-folders')
      expect(opener?.volumeMounts).to.deep.equal([
        {name: 'cache-claim', mountPath: '/deskrun-caches/cache-1', subPath: 'cache-1'},
      ])
      expect(pod).not.to.have.property('nodeSelector')
      // The claims got bound where the runners run, and they run.
      expect((await claims('deskrun')).map((claim) => (claim.status as {phase: string}).phase)).to.deep.equal(
        ['Bound', 'Bound'],
      )
      expect(await runnerNodes('deskrun')).to.have.length(2)

      const config = (await s.config()).installations.build
      expect(config).to.deep.include({CacheStorageClass: 'standard', CacheSize: '20Gi'})
      expect(config).not.to.have.property('Nodes')
      const listed = JSON.parse((await s.deskrun(['list', '--json'])).stdout).installations[0]
      expect(listed.cacheStorage).to.deep.equal({
        storageClass: 'standard',
        size: '20Gi',
        claims: ['build-1-cache', 'build-2-cache'],
      })
      const status = JSON.parse((await s.deskrun(['status', '--json'])).stdout).installations[0]
      expect(status.cacheStorage).to.deep.equal(listed.cacheStorage)
      const again = await s.deskrun(['up', '--json'])
      expectOk(again)
      expect(JSON.parse(again.stdout).changed).to.deep.equal([])
    })

    it('names the claims in cache list, which prune leaves alone', async () => {
      expectOk(
        await s.add(
          'build',
          ...DIND,
          '--max-runners',
          '1',
          '--cache-storage-class',
          'standard',
          '--cache-size',
          '50Gi',
        ),
      )
      const list = await s.deskrun(['cache', 'list'])
      expectOk(list)
      expect(list.stdout)
        .to.contain('In the cluster, in claims of a storage class')
        .and.contain('build-cache (standard, 50Gi)')
      expect(JSON.parse((await s.deskrun(['cache', 'list', '--json'])).stdout).claims).to.have.length(2)
      const prune = await s.deskrun(['cache', 'prune'])
      expectOk(prune)
      expect(unwrap(prune.stdout)).to.contain('Left alone, in the cluster: the cache claims build-cache')
      expect(await claims('deskrun')).to.have.length(1)
    })

    it('keeps the claims of a removed installation (its cache data), and deletes them with --purge-cache', async () => {
      expectOk(await s.add('build', ...DIND, '--max-runners', '1', '--cache-storage-class', 'standard'))
      const removed = await s.deskrun(['remove', 'build'])
      expectOk(removed)
      expect(unwrap(removed.stdout)).to.contain(
        'Its cache claims stay in the cluster, for an installation of the same name: build-cache',
      )
      expect(removed.stdout).to.contain(
        'kubectl --context kind-deskrun --namespace arc-runners delete pvc build-cache',
      )
      expect((await claims('deskrun')).map((claim) => claim.metadata.name)).to.deep.equal(['build-cache'])
      // Added again, it finds its caches where they were.
      expectOk(await s.add('build', ...DIND, '--max-runners', '1', '--cache-storage-class', 'standard'))
      const purged = await s.deskrun(['remove', 'build', '--purge-cache', '--json'])
      expectOk(purged)
      expect(JSON.parse(purged.stdout)).to.deep.include({claims: ['build-cache'], cachesPurged: true})
      expect(await claims('deskrun')).to.deep.equal([])
    })

    it('stops before anything is applied when the cluster has no such storage class', async () => {
      const result = await s.add('build', ...DIND, '--max-runners', '1', '--cache-storage-class', 'fast')
      expect(result.exitCode).to.equal(1)
      expect(unwrap(result.stderr)).to.contain(
        'The cluster has no storage class "fast", which the caches of build ask for (it has: standard).',
      )
      expect(unwrap(result.stderr)).to.contain('deskrun set build --cache-storage-class standard')
      expect(await claims('deskrun')).to.deep.equal([])
      expect(await s.fake.clusters()).to.deep.equal([])
      // The fix it names works.
      expectOk(await s.deskrun(['set', 'build', '--cache-storage-class', 'standard']))
      expect((await claims('deskrun')).map((claim) => claim.spec.storageClassName)).to.deep.equal([
        'standard',
      ])
    })

    it('set refuses a bad size and changes nothing', async () => {
      expectOk(await s.add('build', ...DIND, '--max-runners', '1', '--cache-storage-class', 'standard'))
      const before = await readFile(s.configFile, 'utf8')
      const calls = (await s.fake.calls()).length
      const result = await s.deskrun(['set', 'build', '--cache-size', '5'])
      expect(result.exitCode).to.equal(2)
      expect(unwrap(result.stderr)).to.contain('--cache-size 5 is too small (a unit missing?)')
      expect(await readFile(s.configFile, 'utf8')).to.equal(before)
      expect((await s.fake.calls()).length).to.equal(calls)
    })
  })

  describe('on a cluster of your own with several nodes', () => {
    beforeEach(async () => {
      s = await sandbox()
      await s.fake.addRemoteCluster({name: 'farm', context: 'farm', nodes: 3})
      expectOk(await s.deskrun(['cluster', 'use', 'farm']))
    })

    it('records no node: the runners go where their claim is, also after a remove and add', async () => {
      expectOk(
        await s.add(
          'build',
          ...DIND,
          '--max-runners',
          '1',
          '--cache-storage-class',
          'local-path',
          '--node',
          'farm-node-2',
        ),
      )
      expect(await runnerNodes('farm')).to.deep.equal([['build', 'farm-node-2']])
      expectOk(await s.deskrun(['remove', 'build']))
      expectOk(await s.add('build', ...DIND, '--max-runners', '1', '--cache-storage-class', 'local-path'))
      expect((await s.config()).installations.build).not.to.have.property('Nodes')
      expect((await spec('farm', 'build')).nodeSelector).to.equal(undefined)
      // Without a pin the scheduler would take the first node; the claim's volume is on the second.
      expect(await runnerNodes('farm')).to.deep.equal([['build', 'farm-node-2']])
    })

    it('grows a claim where the class allows it, and stops on a change of class with the way out', async () => {
      const longhorn = {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: {name: 'longhorn'},
        provisioner: 'driver.longhorn.io',
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'Immediate',
        allowVolumeExpansion: true,
      }
      expectOk(
        await s.fake.tool('kubectl', ['--context', 'farm', 'apply', '-f', '-'], {
          input: JSON.stringify(longhorn),
        }),
      )
      expectOk(await s.add('build', ...DIND, '--max-runners', '1', '--cache-storage-class', 'longhorn'))
      const grown = await s.deskrun(['set', 'build', '--cache-size', '80Gi', '--json'])
      expectOk(grown)
      expect(JSON.parse(grown.stdout).changes).to.deep.equal(['cache storage: longhorn 20Gi → longhorn 80Gi'])
      expect((await claims('farm'))[0].spec.resources.requests.storage).to.equal('80Gi')

      const moved = await s.deskrun(['set', 'build', '--cache-storage-class', 'local-path'])
      expect(moved.exitCode).to.equal(1)
      const stderr = unwrap(moved.stderr)
      expect(stderr).to.contain(
        'The cache claim build-cache in the cluster has the storage class "longhorn", not "local-path": Kubernetes cannot change the class of a claim.',
      )
      expect(stderr)
        .to.contain('deskrun remove build --purge-cache')
        .and.contain('deskrun set build --cache-storage-class longhorn')
      expect((await claims('farm'))[0].spec.storageClassName).to.equal('longhorn')
      // Back to the class it has: deployed again.
      expectOk(await s.deskrun(['set', 'build', '--cache-storage-class', 'longhorn']))
      expect((await s.config()).installations.build.Deployed).to.equal(true)
    })
  })
})
