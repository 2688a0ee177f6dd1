import {expect} from 'chai'

import {cachedPrivilegedMode} from '../../../src/lib/modes/cached-privileged.js'
import {checkRender} from '../../../src/lib/modes/check.js'
import {
  type Container,
  configMapOf,
  containerOf,
  docker,
  envOf,
  hookTemplateOf,
  mountsOf,
  renderAll,
  renderOne,
  specOf,
  toolCache,
} from './fixtures.js'

const CAPABILITIES = [
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_CHROOT',
  'SETFCAP',
  'SETPCAP',
  'NET_RAW',
  'IPC_LOCK',
  'MKNOD',
  'AUDIT_WRITE',
]

function expectPrivilegedRoot(container: Container): void {
  expect(container.securityContext).to.include({privileged: true, runAsUser: 0})
  expect(container.securityContext?.capabilities?.add).to.include.members(CAPABILITIES)
  expect(envOf(container).SYSTEMD_IGNORE_CHROOT).to.equal('1')
}

describe('cached-privileged-kubernetes mode', () => {
  const caches = [docker, toolCache]

  it('uses kubernetes-novolume and its hook', () => {
    const {result} = renderOne(cachedPrivilegedMode, {caches})
    expect(result.values.containerMode).to.deep.equal({type: 'kubernetes-novolume'})
    expect(envOf(containerOf(specOf(result), 'runner')).ACTIONS_RUNNER_CONTAINER_HOOKS).to.equal(
      '/home/runner/k8s-novolume/index.js',
    )
  })

  it('makes the $job container privileged root with the caps, SYSTEMD_IGNORE_CHROOT and the cache mounts', () => {
    const {result} = renderOne(cachedPrivilegedMode, {caches})
    const hook = hookTemplateOf(result)
    const job = containerOf(hook.spec, '$job')
    expectPrivilegedRoot(job)
    expect(job).to.not.have.property('image')
    expect(mountsOf(job)).to.deep.equal({'/var/lib/docker': 'cache-0', '/home/runner/.cache': 'cache-1'})
    expect(hook.spec.volumes).to.deep.equal([
      {
        name: 'cache-0',
        hostPath: {path: '/var/lib/deskrun/cache/my-runner/cache-0', type: 'DirectoryOrCreate'},
      },
      {
        name: 'cache-1',
        hostPath: {path: '/var/lib/deskrun/cache/my-runner/cache-1', type: 'DirectoryOrCreate'},
      },
    ])
  })

  it("leaves the hook's own init container and pod securityContext alone", () => {
    const hook = hookTemplateOf(renderOne(cachedPrivilegedMode, {caches}).result)
    expect(hook.spec).to.not.have.any.keys('initContainers', 'securityContext')
    expect(Object.keys(hook)).to.deep.equal(['spec'])
  })

  it('lets container-less jobs run in the runner container, which is just as privileged and has the caches', () => {
    const {result} = renderOne(cachedPrivilegedMode, {caches})
    const spec = specOf(result)
    const runner = containerOf(spec, 'runner')
    expectPrivilegedRoot(runner)
    expect(envOf(runner)).to.include({
      ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER: 'false',
      // The runner refuses to start as root without it.
      RUNNER_ALLOW_RUNASROOT: '1',
      ACTIONS_RUNNER_CONTAINER_HOOK_TEMPLATE: '/home/runner/hook-extension/content',
    })
    expect(mountsOf(runner)).to.deep.equal({
      '/var/lib/docker': 'cache-0',
      '/home/runner/.cache': 'cache-1',
      '/home/runner/hook-extension': 'hook-extension',
    })
    expect(spec.volumes?.map((volume) => volume.name)).to.deep.equal(['cache-0', 'cache-1', 'hook-extension'])
    expect(spec).to.not.have.property('securityContext')
  })

  it('needs no init container for its caches: every container that mounts them runs as root', () => {
    const {result} = renderOne(cachedPrivilegedMode, {caches})
    const spec = specOf(result)
    const job = containerOf(hookTemplateOf(result).spec, '$job')
    for (const container of [containerOf(spec, 'runner'), job]) {
      expect(container.securityContext?.runAsUser, container.name).to.equal(0)
      expect(Object.keys(mountsOf(container))).to.include.members(['/var/lib/docker', '/home/runner/.cache'])
    }
    expect(spec).to.not.have.property('initContainers')
  })

  it('is privileged even without caches', () => {
    const {result, context} = renderOne(cachedPrivilegedMode)
    const hook = hookTemplateOf(result)
    expectPrivilegedRoot(containerOf(hook.spec, '$job'))
    expect(hook.spec).to.not.have.property('volumes')
    expectPrivilegedRoot(containerOf(specOf(result), 'runner'))
    expect(checkRender(cachedPrivilegedMode, context, result)).to.deep.equal([])
  })

  it('renders one hook extension and cache partition per instance, all valid', () => {
    const rendered = renderAll(cachedPrivilegedMode, {caches: [docker], instances: 2})
    expect(rendered.map(({result}) => configMapOf(result).metadata.name)).to.deep.equal([
      'my-runner-1-hook-extension',
      'my-runner-2-hook-extension',
    ])
    for (const {result, context} of rendered) {
      const runner = containerOf(specOf(result), 'runner')
      const volumes = specOf(result).volumes ?? []
      expect(volumes.find((volume) => volume.name === 'hook-extension')?.configMap?.name).to.equal(
        `${context.instance.name}-hook-extension`,
      )
      expect(volumes.find((volume) => volume.name === 'cache-0')?.hostPath?.path).to.equal(
        `/var/lib/deskrun/cache/${context.instance.name}/cache-0`,
      )
      expect(configMapOf(result).metadata.labels).to.deep.equal(context.labels)
      expect(mountsOf(runner)['/var/lib/docker']).to.equal('cache-0')
      expect(checkRender(cachedPrivilegedMode, context, result)).to.deep.equal([])
    }
  })
})
