import {expect} from 'chai'

import type {HostMountSpec} from '../../../src/lib/domain/installation/types.js'
import {cachedPrivilegedMode} from '../../../src/lib/domain/modes/cached-privileged.js'
import {checkRender} from '../../../src/lib/domain/modes/check.js'
import {dindMode} from '../../../src/lib/domain/modes/dind.js'
import {kubernetesMode} from '../../../src/lib/domain/modes/kubernetes.js'
import {
  containerOf,
  hookTemplateOf,
  renderOne,
  specOf,
  toolCache,
  type Container,
  type PodSpec,
} from './fixtures.js'

const socket: HostMountSpec = {
  source: '/var/run/docker.sock',
  target: '/var/run/docker.sock',
  type: 'Socket',
  readOnly: false,
}
const nix: HostMountSpec = {source: '/nix/store', target: '/nix/store', type: 'Directory', readOnly: true}

/** The volume and mount of each --mount target in `container` of `spec`, as [target, node path, type, readOnly]. */
function mountsIn(
  spec: PodSpec,
  container: Container,
): [string, string | undefined, string | undefined, boolean][] {
  return (container.volumeMounts ?? [])
    .filter((mount) => mount.name.startsWith('mount-'))
    .map((mount) => {
      const volume = spec.volumes?.find((one) => one.name === mount.name)
      const readOnly = (mount as {readOnly?: boolean}).readOnly === true
      return [mount.mountPath, volume?.hostPath?.path, volume?.hostPath?.type, readOnly]
    })
}

const expected = [
  ['/var/run/docker.sock', '/var/lib/deskrun/mounts/var/run/docker.sock', 'Socket', false],
  ['/nix/store', '/var/lib/deskrun/mounts/nix/store', 'Directory', true],
]

describe('--mount in the built-in modes', () => {
  it('kubernetes: into the job pods (through the hook extension), not the runner, which runs no step', () => {
    const {result, context} = renderOne(kubernetesMode, {mounts: [socket, nix]})
    const hook = hookTemplateOf(result).spec
    expect(mountsIn(hook, containerOf(hook, '$job'))).to.deep.equal(expected)
    expect(mountsIn(specOf(result), containerOf(specOf(result), 'runner'))).to.deep.equal([])
    expect(checkRender(kubernetesMode, context, result)).to.deep.equal([])
  })

  it('cached-privileged-kubernetes: into the job pods and the runner (jobs without container: run there)', () => {
    const {result, context} = renderOne(cachedPrivilegedMode, {mounts: [socket, nix], caches: [toolCache]})
    const hook = hookTemplateOf(result).spec
    expect(mountsIn(hook, containerOf(hook, '$job'))).to.deep.equal(expected)
    expect(mountsIn(specOf(result), containerOf(specOf(result), 'runner'))).to.deep.equal(expected)
    expect(checkRender(cachedPrivilegedMode, context, result)).to.deep.equal([])
  })

  for (const caches of [[], [toolCache]])
    it(`dind with ${caches.length} cache(s): into the runner container`, () => {
      const {result, context} = renderOne(dindMode, {mounts: [nix], caches})
      expect(mountsIn(specOf(result), containerOf(specOf(result), 'runner'))).to.deep.equal([expected[1]])
      expect(checkRender(dindMode, context, result)).to.deep.equal([])
    })

  it('leaves the pods as they were without --mount', () => {
    expect(renderOne(kubernetesMode).result.objects ?? []).to.deep.equal([])
    expect(specOf(renderOne(dindMode).result)).to.not.have.property('volumes')
  })

  it("cached-privileged-kubernetes refuses a mount in the node's /proc, /sys or /dev", () => {
    const proc = {...nix, source: '/srv/x', target: '/proc/x'}
    const view = {...renderOne(cachedPrivilegedMode).context.installation, mounts: [proc]}
    expect(cachedPrivilegedMode.validate!(view)).to.have.length(1)
    expect(cachedPrivilegedMode.validate!(view)[0]).to.match(/^--mount \/proc\/x: .*mount a path outside/)
  })

  it("dind refuses a mount in /var/run, where the sidecar daemon's socket is", () => {
    const view = {...renderOne(dindMode).context.installation, mounts: [socket]}
    expect(dindMode.validate!(view)[0]).to.match(/^--mount \/var\/run\/docker.sock: in dind mode/)
  })
})
