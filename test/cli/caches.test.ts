/**
 * Caches on a real machine: the cache root is made by deskrun (not by Docker, as root) before the
 * cluster exists, and every cache folder a non-root container writes is opened up by an init
 * container of the runner pod, next to the chart's own init containers.
 */
import {mkdir, readFile, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'
import {parse} from 'yaml'

import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'

interface Container {
  name: string
  image?: string
  command?: string[]
  securityContext?: {runAsUser?: number}
  volumeMounts?: {name: string; mountPath: string}[]
}
interface PodSpec {
  initContainers?: Container[]
  containers: Container[]
  volumes: {name: string; hostPath?: {path: string}}[]
}

describe('caches', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const kindCreates = async () =>
    (await s.fake.calls()).filter((call) => call.tool === 'kind' && call.argv[0] === 'create')
  const podSpec = async (release: string) =>
    (await s.fake.releases(CLUSTER)).find((r) => r.name === release)!.podTemplate!.spec as unknown as PodSpec

  describe('cache root', () => {
    it('is made by deskrun, owned by the user, mode 0700, before kind would make it as root', async () => {
      expectOk(await s.deskrun(['cluster', 'create']))
      expect(await kindCreates()).to.have.length(1)
      const root = await stat(s.cacheRoot)
      // Docker (and the fake kind) would have made a missing mount source with mode 0755.
      expect(root.mode & 0o777).to.equal(0o700)
      expect(root.uid).to.equal(process.getuid!())
    })

    it('is left as it is when it exists', async () => {
      await mkdir(s.cacheRoot, {mode: 0o750})
      expectOk(await s.deskrun(['cluster', 'create']))
      expect((await stat(s.cacheRoot)).mode & 0o777).to.equal(0o750)
    })

    it('that cannot be made stops before kind, naming the folder and cache_root', async () => {
      const blocker = path.join(s.fake.root, 'not-a-folder')
      await writeFile(blocker, '')
      const cacheRoot = path.join(blocker, 'cache')
      const config = JSON.parse(await readFile(s.configFile, 'utf8'))
      await writeFile(s.configFile, JSON.stringify({...config, cache_root: cacheRoot}))
      const before = await readFile(s.configFile, 'utf8')

      const result = await s.deskrun(['cluster', 'create'])
      expect(result.exitCode).to.equal(1)
      const stderr = unwrap(result.stderr)
      expect(stderr).to.contain(
        `Cannot create the cache root ${cacheRoot}: part of the path is a file, not a folder.`,
      )
      expect(stderr).to.contain('"cache_root"').and.contain(s.configFile)
      expect(stderr).to.not.match(/\n\s+at /)
      expect(await kindCreates()).to.deep.equal([])
      expect(await readFile(s.configFile, 'utf8')).to.equal(before)
    })
  })

  describe('init container', () => {
    const prepares = (init: Container) => init.volumeMounts?.map((mount) => mount.name)

    it('kubernetes: opens the job caches in the runner pod, beside the chart-made work volume', async () => {
      expectOk(
        await s.add(
          'kube',
          '--cache',
          '/home/runner/.cache',
          '--cache',
          '/var/lib/docker',
          '--max-runners',
          '1',
        ),
      )
      const spec = await podSpec('kube')
      const runner = spec.containers.find((c) => c.name === 'runner')!
      expect(spec.initContainers?.map((c) => c.name)).to.deep.equal(['init-cache-folders'])
      const [init] = spec.initContainers!
      expect(init).to.deep.include({
        image: runner.image,
        securityContext: {runAsUser: 0, runAsGroup: 0, runAsNonRoot: false},
      })
      expect(prepares(init)).to.deep.equal(['cache-0'])
      expect(spec.volumes.map((v) => v.name)).to.deep.equal(['work', 'cache-0', 'hook-extension'])

      // The same node folder as the job pods mount through the hook extension.
      const configMap = (await s.fake.objects(CLUSTER, {kind: 'ConfigMap', namespace: 'arc-runners'})).find(
        (object) => object.metadata.name === 'kube-hook-extension',
      )!
      const hook = parse((configMap.data as Record<string, string>).content) as {spec: PodSpec}
      const node = (spec: PodSpec) => spec.volumes.find((v) => v.name === 'cache-0')?.hostPath?.path
      expect(node(spec)).to.equal('/var/lib/deskrun/cache/kube/cache-0').and.equal(node(hook.spec))
    })

    it("dind: opens the runner's cache first, and keeps the externals copy and the daemon sidecar", async () => {
      expectOk(
        await s.add(
          'dnd',
          '--mode',
          'dind',
          '--cache',
          '/home/runner/.cache',
          '--cache',
          '/var/lib/docker',
          '--max-runners',
          '1',
        ),
      )
      const spec = await podSpec('dnd')
      expect(spec.initContainers?.map((c) => c.name)).to.deep.equal([
        'init-cache-folders',
        'init-dind-externals',
        'dind',
      ])
      const [init] = spec.initContainers!
      expect(init.securityContext?.runAsUser).to.equal(0)
      expect(init.image).to.equal(spec.containers.find((c) => c.name === 'runner')!.image)
      // The daemon's data root (cache-1) stays root's.
      expect(prepares(init)).to.deep.equal(['cache-0'])
    })
  })
})
