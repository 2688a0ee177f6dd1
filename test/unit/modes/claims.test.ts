/** How the built-in modes mount caches on a storage class (`--cache-storage-class`), and what deskrun adds. */
import {expect} from 'chai'

import {scaleSetValues} from '../../../src/lib/domain/arc/values.js'
import {expandInstances} from '../../../src/lib/domain/installation/instances.js'
import type {Installation} from '../../../src/lib/domain/installation/types.js'
import type {ContainerMode, RenderResult} from '../../../src/lib/domain/modes/api.js'
import {builtinModes} from '../../../src/lib/domain/modes/builtins.js'
import {cachedPrivilegedMode} from '../../../src/lib/domain/modes/cached-privileged.js'
import {checkRender, renderInstance} from '../../../src/lib/domain/modes/check.js'
import {dindMode} from '../../../src/lib/domain/modes/dind.js'
import {cacheInitContainers, cacheVolumeMounts, cacheVolumes} from '../../../src/lib/domain/modes/helpers.js'
import {kubernetesMode} from '../../../src/lib/domain/modes/kubernetes.js'
import {
  containerOf,
  contextFor,
  docker,
  hookTemplateOf,
  installation,
  renderOne,
  roots,
  specOf,
  toolCache,
} from './fixtures.js'

const onClass = {caches: [docker, toolCache], cacheStorage: {storageClass: 'longhorn', size: '50Gi'}}
const claimVolume = {name: 'cache-claim', persistentVolumeClaim: {claimName: 'my-runner-cache'}}
const sameNode = (instance: string) => ({
  podAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      {
        labelSelector: {matchLabels: {'actions.github.com/scale-set-name': instance}},
        topologyKey: 'kubernetes.io/hostname',
      },
    ],
  },
})

function valuesOf(mode: ContainerMode, overrides: Partial<Installation>) {
  const inst = installation({mode: mode.name, ...overrides})
  return expandInstances(inst, roots).map((instance) => {
    const context = contextFor(inst, instance)
    return scaleSetValues({
      installation: inst,
      instance,
      secretName: 'my-runner-github-auth',
      chartVersion: context.chartVersion,
      mode: renderInstance(mode, context),
    })
  })
}

const volumesOf = (result: RenderResult) => specOf(result).volumes ?? []

describe('caches on a storage class, as the modes mount them', () => {
  const [instance] = expandInstances(installation(onClass), roots)

  it('is one volume of the claim, each cache a folder of it (two volumes of one claim hang a pod)', () => {
    expect(cacheVolumes(instance.caches)).to.deep.equal([claimVolume])
    expect(cacheVolumeMounts(instance.caches)).to.deep.equal([
      {name: 'cache-claim', mountPath: '/var/lib/docker', subPath: 'cache-0'},
      {name: 'cache-claim', mountPath: '/home/runner/.cache', subPath: 'cache-1'},
    ])
  })

  it("opens the claim's folders to every uid with the init container, a Docker data root left out", () => {
    expect(cacheInitContainers(instance.caches, 'runner:1')).to.deep.equal([
      {
        name: 'init-cache-folders',
        image: 'runner:1',
        command: ['chmod', '1777', '/deskrun-caches/cache-1'],
        securityContext: {runAsUser: 0, runAsGroup: 0, runAsNonRoot: false},
        volumeMounts: [{name: 'cache-claim', mountPath: '/deskrun-caches/cache-1', subPath: 'cache-1'}],
      },
    ])
  })

  for (const mode of builtinModes)
    it(`${mode.name}: renders what deskrun's own checks accept`, () => {
      const {context, result} = renderOne(mode, onClass)
      expect(checkRender(mode, context, result)).to.deep.equal([])
    })

  it('kubernetes: the runner pod carries the claim even with nothing to prepare, so it is bound where the runner runs', () => {
    // The hook gives job pods a nodeName: a claim first used by one of them would wait for a node forever.
    const {result} = renderOne(kubernetesMode, {...onClass, caches: [docker]})
    expect(specOf(result).initContainers).to.equal(undefined)
    expect(volumesOf(result)).to.deep.include(claimVolume)
    expect(hookTemplateOf(result).spec.volumes).to.deep.equal([claimVolume])
  })

  it('dind: the daemon and the runner mount their folders of the one claim', () => {
    const {result} = renderOne(dindMode, onClass)
    const spec = specOf(result)
    expect(volumesOf(result).filter((volume) => 'persistentVolumeClaim' in volume)).to.deep.equal([
      claimVolume,
    ])
    expect(containerOf(spec, 'dind', 'initContainers').volumeMounts).to.deep.include({
      name: 'cache-claim',
      mountPath: '/var/lib/docker',
      subPath: 'cache-0',
    })
    expect(containerOf(spec, 'runner').volumeMounts).to.deep.include({
      name: 'cache-claim',
      mountPath: '/home/runner/.cache',
      subPath: 'cache-1',
    })
  })

  describe('the node the pods run on', () => {
    it('keeps the runners of an instance together, beside no pin: the claim decides the node', () => {
      for (const mode of builtinModes) {
        const all = valuesOf(mode, {...onClass, caches: [toolCache], instances: 2})
        for (const [i, values] of all.entries()) {
          const spec = (values.template as {spec: Record<string, unknown>}).spec
          expect(spec.affinity, mode.name).to.deep.equal(sameNode(`my-runner-${i + 1}`))
          expect(spec, mode.name).not.to.have.property('nodeSelector')
        }
      }
    })

    it('leaves the runners of host-folder caches free', () => {
      const [values] = valuesOf(kubernetesMode, {caches: [toolCache]})
      expect((values.template as {spec: object}).spec).not.to.have.property('affinity')
    })

    it("cached-privileged-kubernetes: sends job pods with caches to their runners' node (its hook does not)", () => {
      for (const overrides of [onClass, {caches: [toolCache]}]) {
        const {result} = renderOne(cachedPrivilegedMode, overrides)
        expect(hookTemplateOf(result).spec).to.deep.include({affinity: sameNode('my-runner')})
      }
      expect(hookTemplateOf(renderOne(cachedPrivilegedMode, {}).result).spec).not.to.have.property('affinity')
    })
  })

  describe("deskrun's checks of what a mode renders", () => {
    it('refuses two volumes of one claim in a pod', () => {
      const {context} = renderOne(dindMode, onClass)
      const result = dindMode.render(context)
      const spec = specOf(result)
      spec.volumes = [...(spec.volumes ?? []), {...claimVolume, name: 'again'}]
      expect(checkRender(dindMode, context, result)).to.deep.include(
        'template.spec has more than one volume of the claim "my-runner-cache", and such a pod never starts; use one volume and mount its folders with subPath.',
      )
    })

    it('refuses a cache that no volume of its claim mounts', () => {
      const {context} = renderOne(dindMode, onClass)
      const result = dindMode.render(context)
      const spec = specOf(result)
      spec.volumes = (spec.volumes ?? []).filter((volume) => volume.name !== 'cache-claim')
      for (const container of [...spec.containers, ...(spec.initContainers ?? [])])
        container.volumeMounts = container.volumeMounts?.filter((mount) => mount.name !== 'cache-claim')
      expect(checkRender(dindMode, context, result)).to.deep.include(
        'the cache for /var/lib/docker (claim my-runner-cache) is not mounted from a volume of that claim.',
      )
    })
  })
})
