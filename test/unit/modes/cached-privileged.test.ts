import {expect} from 'chai'
import {PodTemplate} from 'kubernetes-models/v1/PodTemplate'

import {cachedPrivilegedMode} from '../../../src/lib/domain/modes/cached-privileged.js'
import {checkRender} from '../../../src/lib/domain/modes/check.js'
import {
  type Container,
  configMapOf,
  containerOf,
  docker,
  envOf,
  hookTemplateOf,
  installation,
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

/** What the original deskrun mounted into privileged job containers, from the node. */
const NODE_MOUNTS = [
  {name: 'node-sys', mountPath: '/sys'},
  {name: 'node-sys-fs-cgroup', mountPath: '/sys/fs/cgroup', mountPropagation: 'Bidirectional'},
  {name: 'node-proc', mountPath: '/proc'},
  {name: 'node-dev', mountPath: '/dev'},
  {name: 'node-dev-pts', mountPath: '/dev/pts'},
  {name: 'node-dev-shm', mountPath: '/dev/shm'},
]
const NODE_VOLUMES = NODE_MOUNTS.map(({name, mountPath}) => ({
  name,
  hostPath: {path: mountPath, type: 'Directory'},
}))

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

  it("makes the $job container privileged root with the caps, SYSTEMD_IGNORE_CHROOT, the caches and the node's system folders", () => {
    const {result} = renderOne(cachedPrivilegedMode, {caches})
    const hook = hookTemplateOf(result)
    const job = containerOf(hook.spec, '$job')
    expectPrivilegedRoot(job)
    expect(job).to.not.have.property('image')
    expect(job.volumeMounts).to.deep.equal([
      {name: 'cache-0', mountPath: '/var/lib/docker'},
      {name: 'cache-1', mountPath: '/home/runner/.cache'},
      ...NODE_MOUNTS,
    ])
    expect(hook.spec.volumes).to.deep.equal([
      {
        name: 'cache-0',
        hostPath: {path: '/var/lib/deskrun/cache/my-runner/cache-0', type: 'DirectoryOrCreate'},
      },
      {
        name: 'cache-1',
        hostPath: {path: '/var/lib/deskrun/cache/my-runner/cache-1', type: 'DirectoryOrCreate'},
      },
      ...NODE_VOLUMES,
    ])
  })

  it("runs the job pod as root (fsGroup 0 in place of the hook's 1001) in the node's PID and IPC namespaces", () => {
    const hook = hookTemplateOf(renderOne(cachedPrivilegedMode, {caches}).result)
    // A pod securityContext replaces the hook's whole {fsGroup: 1001}: fsGroup must be there again.
    expect(hook.spec.securityContext).to.deep.equal({runAsUser: 0, runAsGroup: 0, fsGroup: 0})
    expect(hook.spec).to.include({hostPID: true, hostIPC: true})
  })

  it('renders a hook template that kubernetes-models accepts as a PodTemplate', () => {
    const template = hookTemplateOf(renderOne(cachedPrivilegedMode, {caches}).result)
    const podTemplate = new PodTemplate({metadata: {name: 'hook-extension'}, template} as never)
    expect(() => podTemplate.validate()).to.not.throw()
  })

  it("leaves the hook's own init container alone", () => {
    const hook = hookTemplateOf(renderOne(cachedPrivilegedMode, {caches}).result)
    expect(hook.spec).to.not.have.property('initContainers')
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
    // The runner keeps its own /proc, /sys, /dev and namespaces, and the chart's pod securityContext.
    expect(spec).to.not.have.any.keys('securityContext', 'hostPID', 'hostIPC')
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
    const job = containerOf(hook.spec, '$job')
    expectPrivilegedRoot(job)
    expect(job.volumeMounts).to.deep.equal(NODE_MOUNTS)
    expect(hook.spec.volumes).to.deep.equal(NODE_VOLUMES)
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

  describe('validate', () => {
    const problemsFor = (...targets: string[]) =>
      cachedPrivilegedMode.validate!({...view, caches: targets.map((target) => ({target}))})
    const {auth, ...rest} = installation({mode: cachedPrivilegedMode.name})
    const view = {...rest, authType: auth.type}

    it("refuses a cache in the node's /sys, /proc or /dev, which jobs get from the node", () => {
      expect(problemsFor('/dev/shm', '/proc/x', '/sys/fs/cgroup/mine/', '/dev')).to.have.length(4)
      expect(problemsFor('/dev/shm')[0]).to.equal(
        "--cache /dev/shm: this mode mounts the node's /sys, /sys/fs/cgroup, /proc, /dev, /dev/pts, /dev/shm " +
          'into jobs; cache a path outside /sys, /proc and /dev.',
      )
    })

    it('accepts paths elsewhere, also those that only start like one', () => {
      expect(problemsFor('/var/lib/docker', '/devices', '/system', '/home/runner/.cache')).to.deep.equal([])
    })
  })
})
