import {expect} from 'chai'
import {ConfigMap} from 'kubernetes-models/v1'
import {parse} from 'yaml'

import {
  cacheInitContainers,
  cacheVolumeMounts,
  cacheVolumes,
  hookExtension,
  isInNodeSystemPath,
  jobContainerPatch,
  nodeSystemVolumeMounts,
  nodeSystemVolumes,
  privilegedRootSecurityContext,
  runnerContainer,
} from '../../../src/lib/domain/modes/helpers.js'
import {contextFor, docker, installation, roots, toolCache} from './fixtures.js'
import {expandInstances} from '../../../src/lib/domain/installation/instances.js'

describe('mode helpers', () => {
  const inst = installation({caches: [docker, toolCache], instances: 2})
  const [first, second] = expandInstances(inst, roots)

  it('turns caches into DirectoryOrCreate hostPath volumes on the node path, and matching mounts', () => {
    expect(cacheVolumes(first.caches)).to.deep.equal([
      {
        name: 'cache-0',
        hostPath: {path: '/var/lib/deskrun/cache/my-runner-1/cache-0', type: 'DirectoryOrCreate'},
      },
      {
        name: 'cache-1',
        hostPath: {path: '/var/lib/deskrun/cache/my-runner-1/cache-1', type: 'DirectoryOrCreate'},
      },
    ])
    expect(cacheVolumeMounts(first.caches)).to.deep.equal([
      {name: 'cache-0', mountPath: '/var/lib/docker'},
      {name: 'cache-1', mountPath: '/home/runner/.cache'},
    ])
  })

  describe('cacheInitContainers', () => {
    const otherCache = {target: '/opt/hostedtoolcache'}
    const [mounts] = expandInstances(installation({caches: [docker, toolCache, otherCache]}), roots).map(
      (instance) => instance.caches,
    )

    it('opens every cache folder but a Docker data root to all uids, as root, from the given image', () => {
      const [init, ...more] = cacheInitContainers(mounts, 'example.com/my-runner:1')
      expect(more).to.have.length(0)
      expect(init).to.deep.equal({
        name: 'init-cache-folders',
        image: 'example.com/my-runner:1',
        command: ['chmod', '1777', '/deskrun-caches/cache-1', '/deskrun-caches/cache-2'],
        securityContext: {runAsUser: 0, runAsGroup: 0, runAsNonRoot: false},
        volumeMounts: [
          {name: 'cache-1', mountPath: '/deskrun-caches/cache-1'},
          {name: 'cache-2', mountPath: '/deskrun-caches/cache-2'},
        ],
      })
    })

    it("uses the runner's default image, and builds nothing when only a Docker data root is left", () => {
      expect(cacheInitContainers(mounts)[0].image).to.equal('ghcr.io/actions/actions-runner:latest')
      expect(cacheInitContainers(mounts.filter((cache) => cache.target === '/var/lib/docker'))).to.deep.equal(
        [],
      )
      expect(cacheInitContainers([])).to.deep.equal([])
    })
  })

  it("builds the chart's runner container and leaves out empty lists", () => {
    expect(runnerContainer()).to.deep.equal({
      name: 'runner',
      image: 'ghcr.io/actions/actions-runner:latest',
      command: ['/home/runner/run.sh'],
    })
    expect(runnerContainer({env: [], volumeMounts: []})).to.not.have.any.keys('env', 'volumeMounts')
  })

  it('makes a $job patch without image or empty lists', () => {
    expect(jobContainerPatch({env: [{name: 'A', value: '1'}], volumeMounts: []})).to.deep.equal({
      name: '$job',
      env: [{name: 'A', value: '1'}],
    })
  })

  it("mounts the node's system folders it is asked for, Bidirectional only for the cgroup tree", () => {
    expect(nodeSystemVolumes(['/sys/fs/cgroup', '/dev/shm'])).to.deep.equal([
      {name: 'node-sys-fs-cgroup', hostPath: {path: '/sys/fs/cgroup', type: 'Directory'}},
      {name: 'node-dev-shm', hostPath: {path: '/dev/shm', type: 'Directory'}},
    ])
    expect(nodeSystemVolumeMounts(['/sys/fs/cgroup', '/dev/shm'])).to.deep.equal([
      {name: 'node-sys-fs-cgroup', mountPath: '/sys/fs/cgroup', mountPropagation: 'Bidirectional'},
      {name: 'node-dev-shm', mountPath: '/dev/shm'},
    ])
    expect(nodeSystemVolumes().map((volume) => volume.hostPath?.path)).to.deep.equal([
      '/sys',
      '/sys/fs/cgroup',
      '/proc',
      '/dev',
      '/dev/pts',
      '/dev/shm',
    ])
  })

  it("tells paths in the node's system folders from the rest", () => {
    for (const inside of ['/sys', '/proc/', '/dev//shm/x', '/sys/fs/cgroup/a'])
      expect(isInNodeSystemPath(inside), inside).to.equal(true)
    for (const outside of ['/system', '/devices', '/var/lib/docker', '/home/runner/proc'])
      expect(isInNodeSystemPath(outside), outside).to.equal(false)
  })

  it('grants privileged root with the capabilities of the original deskrun', () => {
    const context = privilegedRootSecurityContext()
    expect(context).to.include({privileged: true, runAsUser: 0})
    expect(context.capabilities?.add).to.include.members([
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
    ])
  })

  describe('hookExtension', () => {
    const template = {spec: {containers: [jobContainerPatch({env: [{name: 'X', value: 'y'}]})]}}

    it('names one ConfigMap per instance, in the namespace, with the labels, holding the template as YAML', () => {
      const one = hookExtension(contextFor(inst, first), template)
      const two = hookExtension(contextFor(inst, second), template)
      expect(one.configMap.metadata).to.deep.include({
        name: 'my-runner-1-hook-extension',
        namespace: 'arc-runners',
      })
      expect(two.configMap.metadata.name).to.equal('my-runner-2-hook-extension')
      expect(one.configMap.metadata.labels).to.deep.equal(contextFor(inst, first).labels)
      expect(parse((one.configMap.data as Record<string, string>).content)).to.deep.equal(template)
      expect(() => new ConfigMap(one.configMap).validate()).to.not.throw()
    })

    it('points the runner at the mounted file', () => {
      const extension = hookExtension(contextFor(inst, first), template)
      expect(extension.volume).to.deep.equal({
        name: 'hook-extension',
        configMap: {name: 'my-runner-1-hook-extension'},
      })
      expect(extension.volumeMount).to.include({
        name: 'hook-extension',
        mountPath: '/home/runner/hook-extension',
      })
      expect(extension.env).to.deep.equal({
        name: 'ACTIONS_RUNNER_CONTAINER_HOOK_TEMPLATE',
        value: '/home/runner/hook-extension/content',
      })
    })
  })
})
