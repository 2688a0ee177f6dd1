import {expect} from 'chai'

import {checkRender} from '../../../src/lib/modes/check.js'
import {kubernetesMode} from '../../../src/lib/modes/kubernetes.js'
import {
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

describe('kubernetes mode', () => {
  it('uses containerMode kubernetes with a work volume claim on kind\u2019s standard storage class', () => {
    const {result} = renderOne(kubernetesMode)
    expect(result.values.containerMode).to.deep.equal({
      type: 'kubernetes',
      kubernetesModeWorkVolumeClaim: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'standard',
        resources: {requests: {storage: '1Gi'}},
      },
    })
  })

  it('requires a job container, as the chart does, and needs no extra objects without caches', () => {
    const {result, context} = renderOne(kubernetesMode)
    const runner = containerOf(specOf(result), 'runner')
    expect(envOf(runner)).to.deep.equal({ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER: 'true'})
    expect(runner.image).to.equal('ghcr.io/actions/actions-runner:latest')
    expect(result.objects ?? []).to.have.length(0)
    expect(checkRender(kubernetesMode, context, result)).to.deep.equal([])
  })

  it('mounts caches into job pods through a hook extension, not into the runner', () => {
    const {result, context} = renderOne(kubernetesMode, {caches: [docker, toolCache]})
    const spec = specOf(result)
    const runner = containerOf(spec, 'runner')
    expect(envOf(runner).ACTIONS_RUNNER_CONTAINER_HOOK_TEMPLATE).to.equal(
      '/home/runner/hook-extension/content',
    )
    expect(mountsOf(runner)).to.deep.equal({'/home/runner/hook-extension': 'hook-extension'})
    expect(spec.volumes?.map((volume) => volume.name)).to.deep.equal(['cache-1', 'hook-extension'])

    const hook = hookTemplateOf(result)
    expect(mountsOf(containerOf(hook.spec, '$job'))).to.deep.equal({
      '/var/lib/docker': 'cache-0',
      '/home/runner/.cache': 'cache-1',
    })
    expect(hook.spec.volumes?.map((volume) => volume.hostPath?.path)).to.deep.equal([
      '/var/lib/deskrun/cache/my-runner/cache-0',
      '/var/lib/deskrun/cache/my-runner/cache-1',
    ])
    // Not privileged: that is what cached-privileged-kubernetes is for.
    expect(containerOf(hook.spec, '$job').securityContext).to.equal(undefined)
    expect(hook.spec).to.not.have.any.keys('initContainers', 'securityContext')
    expect(checkRender(kubernetesMode, context, result)).to.deep.equal([])
  })

  it("opens the job pods' cache folders to any uid from an init container of the runner pod", () => {
    const {result, context} = renderOne(kubernetesMode, {caches: [docker, toolCache]})
    const spec = specOf(result)
    expect(spec.initContainers?.map((container) => container.name)).to.deep.equal(['init-cache-folders'])
    const init = containerOf(spec, 'init-cache-folders', 'initContainers')
    expect(init.image).to.equal(containerOf(spec, 'runner').image)
    expect(init.securityContext).to.include({runAsUser: 0})
    expect(init.command).to.deep.equal(['chmod', '1777', '/deskrun-caches/cache-1'])
    // The same node folder the job pod mounts; /var/lib/docker stays root's.
    expect(mountsOf(init)).to.deep.equal({'/deskrun-caches/cache-1': 'cache-1'})
    expect(spec.volumes?.find((volume) => volume.name === 'cache-1')).to.deep.equal(
      hookTemplateOf(result).spec.volumes?.find((volume) => volume.name === 'cache-1'),
    )
    expect(checkRender(kubernetesMode, context, result)).to.deep.equal([])
  })

  it('prepares nothing when the only cache is a Docker data root', () => {
    const spec = specOf(renderOne(kubernetesMode, {caches: [docker]}).result)
    expect(spec).to.not.have.property('initContainers')
    expect(spec.volumes?.map((volume) => volume.name)).to.deep.equal(['hook-extension'])
  })

  it('gives each instance its own ConfigMap and cache partition', () => {
    const rendered = renderAll(kubernetesMode, {caches: [docker], instances: 3})
    expect(rendered.map(({result}) => configMapOf(result).metadata.name)).to.deep.equal([
      'my-runner-1-hook-extension',
      'my-runner-2-hook-extension',
      'my-runner-3-hook-extension',
    ])
    expect(rendered.map(({result}) => hookTemplateOf(result).spec.volumes?.[0].hostPath?.path)).to.deep.equal(
      [
        '/var/lib/deskrun/cache/my-runner-1/cache-0',
        '/var/lib/deskrun/cache/my-runner-2/cache-0',
        '/var/lib/deskrun/cache/my-runner-3/cache-0',
      ],
    )
    for (const {result, context} of rendered) {
      expect(specOf(result).volumes?.[0].configMap?.name).to.equal(`${context.instance.name}-hook-extension`)
      expect(checkRender(kubernetesMode, context, result)).to.deep.equal([])
    }
  })
})
