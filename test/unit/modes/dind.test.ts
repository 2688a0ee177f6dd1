import {expect} from 'chai'

import {checkRender} from '../../../src/lib/modes/check.js'
import {dindMode} from '../../../src/lib/modes/dind.js'
import {containerOf, docker, envOf, mountsOf, renderAll, renderOne, specOf, toolCache} from './fixtures.js'

describe('dind mode', () => {
  it("uses the chart's dind container mode when there are no caches", () => {
    const {result, context} = renderOne(dindMode)
    expect(result.values.containerMode).to.deep.equal({type: 'dind'})
    expect(specOf(result).containers.map((container) => container.name)).to.deep.equal(['runner'])
    expect(result.objects ?? []).to.have.length(0)
    // The chart adds its own init containers; no cache, nothing to prepare.
    expect(specOf(result)).to.not.have.property('initContainers')
    expect(checkRender(dindMode, context, result)).to.deep.equal([])
  })

  describe('with caches', () => {
    const {result, context} = renderOne(dindMode, {caches: [docker, toolCache]})
    const spec = specOf(result)

    it('writes the whole pod itself, leaving containerMode out', () => {
      expect(result.values).to.not.have.property('containerMode')
      expect(spec.initContainers?.map((container) => container.name)).to.deep.equal([
        'init-cache-folders',
        'init-dind-externals',
        'dind',
      ])
      expect(spec.containers.map((container) => container.name)).to.deep.equal(['runner'])
      expect(checkRender(dindMode, context, result)).to.deep.equal([])
    })

    it('mounts a /var/lib/docker cache into the daemon container, where the layers live', () => {
      const dind = containerOf(spec, 'dind', 'initContainers')
      expect(mountsOf(dind)['/var/lib/docker']).to.equal('cache-0')
      expect(mountsOf(containerOf(spec, 'runner'))).to.not.have.property('/var/lib/docker')
      expect(spec.volumes?.find((volume) => volume.name === 'cache-0')).to.deep.equal({
        name: 'cache-0',
        hostPath: {path: '/var/lib/deskrun/cache/my-runner/cache-0', type: 'DirectoryOrCreate'},
      })
    })

    it('mounts other caches into the runner container', () => {
      expect(mountsOf(containerOf(spec, 'runner'))['/home/runner/.cache']).to.equal('cache-1')
      expect(mountsOf(containerOf(spec, 'dind', 'initContainers'))).to.not.have.property(
        '/home/runner/.cache',
      )
    })

    it("opens the runner's cache folders to uid 1001 first, as root, from the runner's image", () => {
      const init = containerOf(spec, 'init-cache-folders', 'initContainers')
      expect(init.image).to.equal(containerOf(spec, 'runner').image)
      expect(init.securityContext).to.include({runAsUser: 0})
      expect(init.command).to.deep.equal(['chmod', '1777', '/deskrun-caches/cache-1'])
      // Only the runner's cache: the daemon runs as root and wants its data root to itself.
      expect(mountsOf(init)).to.deep.equal({'/deskrun-caches/cache-1': 'cache-1'})
    })

    it("prepares no folder when the only cache is the daemon's", () => {
      const only = specOf(renderOne(dindMode, {caches: [docker]}).result)
      expect(only.initContainers?.map((container) => container.name)).to.deep.equal([
        'init-dind-externals',
        'dind',
      ])
    })

    it('runs a privileged docker:dind native sidecar like the chart', () => {
      const dind = containerOf(spec, 'dind', 'initContainers')
      expect(dind.image).to.equal('docker:dind')
      expect(dind.securityContext?.privileged).to.equal(true)
      expect(dind.restartPolicy).to.equal('Always')
      expect(dind.args).to.deep.equal([
        'dockerd',
        '--host=unix:///var/run/docker.sock',
        '--group=$(DOCKER_GROUP_GID)',
      ])
      expect(envOf(dind)).to.deep.equal({DOCKER_GROUP_GID: '123'})
      expect(mountsOf(dind)).to.include({
        '/home/runner/_work': 'work',
        '/var/run': 'dind-sock',
        '/home/runner/externals': 'dind-externals',
      })
    })

    it('copies the externals first and points the runner at the daemon', () => {
      const init = containerOf(spec, 'init-dind-externals', 'initContainers')
      expect(init.image).to.equal('ghcr.io/actions/actions-runner:latest')
      expect([...(init.command ?? []), ...(init.args ?? [])]).to.deep.equal([
        'cp',
        '-r',
        '/home/runner/externals/.',
        '/home/runner/tmpDir/',
      ])
      const runner = containerOf(spec, 'runner')
      expect(envOf(runner)).to.deep.equal({
        DOCKER_HOST: 'unix:///var/run/docker.sock',
        RUNNER_WAIT_FOR_DOCKER_IN_SECONDS: '120',
      })
      expect(mountsOf(runner)).to.include({'/home/runner/_work': 'work', '/var/run': 'dind-sock'})
    })

    it('has emptyDir volumes for work, socket and externals', () => {
      const emptyDirs = (spec.volumes ?? []).filter((volume) => volume.emptyDir).map((volume) => volume.name)
      expect(emptyDirs).to.deep.equal(['work', 'dind-sock', 'dind-externals'])
    })
  })

  describe('on Kubernetes before 1.29 (no native sidecars)', () => {
    const rendered = renderOne(dindMode, {caches: [docker]})
    const on = (minor: number) => {
      const cluster = {
        ...rendered.context.cluster,
        kubernetesVersion: {major: 1, minor, gitVersion: `v1.${minor}.0`},
      }
      const context = {...rendered.context, cluster}
      return {context, result: dindMode.render(context)}
    }

    it('runs the daemon as a plain container beside the runner, without probe, as the chart does', () => {
      const {context, result} = on(28)
      const spec = specOf(result)
      expect(spec.initContainers?.map((container) => container.name)).to.deep.equal(['init-dind-externals'])
      expect(spec.containers.map((container) => container.name)).to.deep.equal(['runner', 'dind'])
      const dind = containerOf(spec, 'dind')
      expect(dind).to.not.have.any.keys('restartPolicy', 'startupProbe')
      expect(mountsOf(dind)['/var/lib/docker']).to.equal('cache-0')
      expect(checkRender(dindMode, context, result)).to.deep.equal([])
    })

    it('uses a native sidecar from 1.29 on, and when the version is not known yet', () => {
      expect(on(29).result).to.deep.equal(rendered.result)
      expect(containerOf(specOf(on(33).result), 'dind', 'initContainers').restartPolicy).to.equal('Always')
    })
  })

  it('gives every instance its own daemon cache', () => {
    const rendered = renderAll(dindMode, {caches: [docker], instances: 2})
    expect(
      rendered.map(({result}) => specOf(result).volumes?.find((v) => v.name === 'cache-0')?.hostPath?.path),
    ).to.deep.equal([
      '/var/lib/deskrun/cache/my-runner-1/cache-0',
      '/var/lib/deskrun/cache/my-runner-2/cache-0',
    ])
    for (const {result, context} of rendered) expect(checkRender(dindMode, context, result)).to.deep.equal([])
  })
})
