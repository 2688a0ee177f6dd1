/**
 * The plugin's modes, rendered with deskrun's own helpers and checked with deskrun's own checks:
 * what passes here is what `deskrun add --mode gpu` accepts before anything reaches helm.
 */
import {expect} from 'chai'
import {checkRender, modeHelpers, type ContainerMode, type RenderContext} from 'deskrun'
import {parse} from 'yaml'

import hook from '../src/hooks/modes.js'
import {GPU_RESOURCE, GPU_RUNTIME_CLASS, gpuModes} from '../src/modes.js'

type Container = {
  name: string
  resources?: {limits?: Record<string, string>}
  volumeMounts?: {mountPath: string; name?: string}[]
}
type PodSpec = {
  runtimeClassName?: string
  tolerations?: {key: string}[]
  initContainers?: (Container & {securityContext?: {runAsUser?: number}})[]
  containers: Container[]
  volumes?: {name: string; hostPath?: {path: string}}[]
}

/** A context like the one deskrun builds for `deskrun add gpu-box --mode MODE [--cache TARGET...]`. */
function renderContext(mode: string, targets: string[] = []): RenderContext {
  const name = 'gpu-box'
  return {
    installation: {
      name,
      repository: 'https://github.com/owner/repo',
      mode,
      minRunners: 0,
      maxRunners: 2,
      instances: 1,
      caches: targets.map((target) => ({target})),
      labels: [],
      authType: 'pat',
    },
    instance: {name, index: 1, count: 1, minRunners: 0, maxRunners: 2},
    runnerImage: modeHelpers.RUNNER_IMAGE,
    mounts: [],
    caches: targets.map((target, i) => ({
      volumeName: `cache-${i}`,
      target,
      hostPath: `/tmp/github-runner-cache/${name}/cache-${i}`,
      nodePath: `/var/lib/deskrun/cache/${name}/cache-${i}`,
    })),
    namespace: 'arc-runners',
    chartVersion: '0.14.2',
    labels: {
      'app.kubernetes.io/managed-by': 'deskrun',
      'deskrun.io/installation': name,
      'deskrun.io/instance': name,
    },
    cluster: {
      name: 'deskrun',
      cacheRoot: '/tmp/github-runner-cache',
      nodeCacheRoot: '/var/lib/deskrun/cache',
    },
  }
}

const modes = gpuModes(modeHelpers)
const mode = (name: string): ContainerMode => modes.find((candidate) => candidate.name === name)!

/** Freezes a value and everything in it, so a render that changes its input throws. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item)
    Object.freeze(value)
  }
  return value
}

describe('deskrun-plugin-gpu', () => {
  it('its hook offers gpu and gpu-runner, built with the helpers deskrun hands it', async () => {
    const offered = await hook.call({} as never, {helpers: modeHelpers} as never)
    expect(offered.map((candidate) => candidate.name)).to.deep.equal(['gpu', 'gpu-runner'])
    for (const candidate of offered) expect(candidate.summary).to.match(/GPU/)
  })

  for (const name of ['gpu', 'gpu-runner'])
    for (const targets of [[], ['/root/.cache', '/opt/models']])
      it(`${name} with ${targets.length} caches passes deskrun's checks, and render is pure`, () => {
        const context = deepFreeze(renderContext(name, targets))
        const result = mode(name).render(context)
        expect(checkRender(mode(name), context, result)).to.deep.equal([])
        expect(mode(name).render(context)).to.deep.equal(result)
      })

  for (const name of ['gpu', 'gpu-runner'])
    it(`${name} mounts --mount host paths too (deskrun refuses a mode that drops them)`, () => {
      const mounts = [
        {
          source: '/opt/models',
          target: '/models',
          type: 'Directory' as const,
          readOnly: true,
          volumeName: 'mount-0',
          nodePath: '/var/lib/deskrun/mounts/opt/models',
        },
      ]
      const context = deepFreeze({...renderContext(name), mounts})
      expect(checkRender(mode(name), context, mode(name).render(context))).to.deep.equal([])
    })

  it('gpu: job pods get the GPU and the caches through a hook extension; the runner holds no GPU', () => {
    const context = renderContext('gpu', ['/root/.cache'])
    const {values, objects = []} = mode('gpu').render(context)
    expect(values.containerMode).to.deep.equal({type: 'kubernetes-novolume'})
    const runnerPod = values.template!.spec as PodSpec
    const runner = runnerPod.containers[0]
    expect(runner.name).to.equal('runner')
    expect(runner.resources).to.equal(undefined)
    // Job images may run as any user: the runner pod's init container opens the cache folders first.
    expect(runnerPod.initContainers?.map((init) => init.securityContext?.runAsUser)).to.deep.equal([0])
    expect(runnerPod.volumes?.map((volume) => volume.hostPath?.path)).to.include(
      '/var/lib/deskrun/cache/gpu-box/cache-0',
    )

    expect(objects.map((object) => `${object.kind} ${object.metadata.name}`)).to.deep.equal([
      'ConfigMap gpu-box-hook-extension',
    ])
    const template = parse(Object.values(objects[0].data as Record<string, string>)[0]) as {spec: PodSpec}
    expect(template.spec.runtimeClassName).to.equal(GPU_RUNTIME_CLASS)
    expect(template.spec.tolerations?.map((toleration) => toleration.key)).to.deep.equal([GPU_RESOURCE])
    const job = template.spec.containers.find((container) => container.name === '$job')!
    expect(job.resources?.limits).to.deep.equal({[GPU_RESOURCE]: '1'})
    expect(job.volumeMounts?.map((mount) => mount.mountPath)).to.deep.equal(['/root/.cache'])
    expect(template.spec.volumes?.[0].hostPath?.path).to.equal('/var/lib/deskrun/cache/gpu-box/cache-0')
  })

  it('gpu-runner: the runner container gets the GPU and the caches', () => {
    const {values, objects} = mode('gpu-runner').render(renderContext('gpu-runner', ['/root/.cache']))
    expect(values.containerMode).to.equal(undefined)
    expect(objects).to.equal(undefined)
    const spec = values.template!.spec as PodSpec
    expect(spec.runtimeClassName).to.equal(GPU_RUNTIME_CLASS)
    expect(spec.containers[0].resources?.limits).to.deep.equal({[GPU_RESOURCE]: '1'})
    expect(spec.containers[0].volumeMounts?.map((mount) => mount.mountPath)).to.deep.equal(['/root/.cache'])
    expect(spec.volumes?.[0].hostPath?.path).to.equal('/var/lib/deskrun/cache/gpu-box/cache-0')
    // The runner runs as uid 1001: its init container, as root, makes the cache folders writable.
    expect(spec.initContainers?.map((init) => init.securityContext?.runAsUser)).to.deep.equal([0])
    expect(spec.initContainers?.[0].volumeMounts?.map((mount) => mount.name)).to.deep.equal([
      spec.volumes?.[0].name,
    ])
  })
})
