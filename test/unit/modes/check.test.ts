import {expect} from 'chai'
import {Role} from 'kubernetes-models/rbac.authorization.k8s.io/v1'
import {ConfigMap, Pod, PodTemplate} from 'kubernetes-models/v1'
import {stringify} from 'yaml'

import {DeskrunError} from '../../../src/lib/domain/errors.js'
import {
  type ContainerMode,
  defineContainerMode,
  type RenderResult,
} from '../../../src/lib/domain/modes/api.js'
import {builtinModes} from '../../../src/lib/domain/modes/builtins.js'
import {checkRender, renderInstance} from '../../../src/lib/domain/modes/check.js'
import {hookExtension, jobContainerPatch, runnerContainer} from '../../../src/lib/domain/modes/helpers.js'
import type {RegisteredMode} from '../../../src/lib/domain/modes/registry.js'
import {docker, hookTemplateOf, renderOne, toolCache} from './fixtures.js'

/** A plugin-like mode whose output the test decides. */
function fakeMode(render: ContainerMode['render'], takesCaches = true): ContainerMode {
  return defineContainerMode({name: 'fake', summary: 'for tests', takesCaches, render})
}

const valid: RenderResult = {values: {template: {spec: {containers: [runnerContainer()]}}}}

function problemsOf(result: RenderResult, overrides = {}): string[] {
  const mode = fakeMode(() => result)
  const {context} = renderOne(mode, overrides)
  return checkRender(mode, context, result)
}

describe('checkRender', () => {
  describe('built-in modes', () => {
    const variants = {
      'no caches': {},
      'two caches': {caches: [docker, toolCache]},
      'three instances with a cache': {caches: [docker], instances: 3},
    }
    for (const mode of builtinModes) {
      for (const [label, overrides] of Object.entries(variants)) {
        it(`${mode.name}, ${label}: passes, and kubernetes-models accepts every pod template and object`, () => {
          const {result, context} = renderOne(mode, overrides)
          expect(checkRender(mode, context, result)).to.deep.equal([])
          const spec = result.values.template?.spec
          expect(() =>
            new Pod({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'x'}, spec} as never).validate(),
          ).to.not.throw()
          for (const object of result.objects ?? []) {
            expect(() => new ConfigMap(object).validate()).to.not.throw()
          }

          if (result.objects?.length) {
            const template = hookTemplateOf(result)
            const podTemplate = {apiVersion: 'v1', kind: 'PodTemplate', metadata: {name: 'x'}, template}
            expect(() => new PodTemplate(podTemplate as never).validate()).to.not.throw()
          }
        })
      }
    }
  })

  it('accepts a minimal valid result', () => {
    expect(problemsOf(valid)).to.deep.equal([])
  })

  it('rejects a malformed PodSpec, saying where', () => {
    const problems = problemsOf({
      values: {
        template: {
          spec: {containers: [{name: 'runner', env: [{value: 'x'}], securityContext: {privileged: 'yes'}}]},
        },
      },
    })
    expect(problems).to.include('template.spec.containers[0].env[0] must have required property name.')
    expect(problems).to.include('template.spec.containers[0].securityContext.privileged must be boolean.')
  })

  it('rejects values that are not a plain object, or not plain data', () => {
    expect(problemsOf({values: [] as never})).to.deep.equal(['values must be a plain object.'])
    expect(
      problemsOf({values: {extra: () => 1, ratio: Number.NaN, table: new Map(), unset: undefined}}),
    ).to.deep.equal([
      'values.extra is a function, not plain data.',
      'values.ratio is NaN, which YAML cannot carry.',
      'values.table is a Map, not plain data.',
    ])
  })

  it('reports a spec of the wrong shape instead of tripping over it', () => {
    const mode = fakeMode(() => valid)
    const {context} = renderOne(mode, {caches: [docker]})
    const broken = {values: {template: {spec: {containers: 'runner', volumes: 'none'}}}} as never
    let problems: string[] = []
    expect(() => (problems = checkRender(mode, context, broken))).to.not.throw()
    expect(problems).to.deep.equal(['template.spec.containers must be a list.'])
    const noVolumes = {values: {template: {spec: {containers: [{name: 'runner'}], volumes: 'none'}}}} as never
    expect(checkRender(mode, context, noVolumes)).to.deep.equal(['template.spec.volumes must be array.'])
  })

  it('rejects an unknown containerMode.type and kubernetes without a work volume claim', () => {
    expect(problemsOf({values: {containerMode: {type: 'docker' as never}}})).to.deep.equal([
      'containerMode.type must be one of "dind", "kubernetes", "kubernetes-novolume", "".',
    ])
    expect(problemsOf({values: {containerMode: {type: 'kubernetes'}}})[0]).to.match(
      /^containerMode\.kubernetesModeWorkVolumeClaim is missing/,
    )
  })

  it('rejects keys deskrun owns', () => {
    expect(
      problemsOf({values: {...valid.values, runnerScaleSetName: 'other', githubConfigSecret: 'x'}}),
    ).to.include('values set githubConfigSecret, runnerScaleSetName, which deskrun sets itself.')
  })

  it('rejects mounts of volumes that nothing defines', () => {
    const runner = runnerContainer({volumeMounts: [{name: 'nowhere', mountPath: '/x'}]})
    expect(problemsOf({values: {template: {spec: {containers: [runner]}}}})).to.deep.equal([
      'template.spec: container "runner" mounts volume "nowhere", which no volume defines.',
    ])
  })

  describe('objects', () => {
    const configMap = (metadata: Record<string, unknown>, data: unknown = {a: 'b'}) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'my-runner-extra',
        namespace: 'arc-runners',
        labels: {
          'app.kubernetes.io/managed-by': 'deskrun',
          'deskrun.io/installation': 'my-runner',
          'deskrun.io/instance': 'my-runner',
        },
        ...metadata,
      },
      data,
    })
    const withObjects = (...objects: unknown[]) => problemsOf({...valid, objects: objects as never})

    it('accepts allowed kinds in the namespace, named after the scale set, with the labels', () => {
      expect(withObjects(configMap({}))).to.deep.equal([])
    })

    it('refuses kinds a mode may not create', () => {
      const deployment = {...configMap({}), apiVersion: 'apps/v1', kind: 'Deployment'}
      expect(withObjects(deployment)[0]).to.match(
        /^Deployment "my-runner-extra" \(apps\/v1\): a mode may only return ConfigMap, Secret/,
      )
    })

    it('wants the namespace, the name prefix and the labels', () => {
      expect(withObjects(configMap({namespace: 'default', name: 'other', labels: {}}))).to.deep.equal([
        'ConfigMap "other" must be in namespace "arc-runners", not "default".',
        'ConfigMap "other" must be named after its scale set: "my-runner-...".',
        'ConfigMap "other" lacks deskrun\'s labels app.kubernetes.io/managed-by=deskrun, deskrun.io/installation=my-runner, deskrun.io/instance=my-runner.',
      ])
    })

    it('validates each object with its kubernetes-models class', () => {
      expect(withObjects(configMap({}, {a: 1}))).to.deep.equal([
        'ConfigMap "my-runner-extra" data.a must be string.',
      ])
      const role = {...configMap({}), apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', rules: [{}]}
      delete (role as {data?: unknown}).data
      expect(() => new Role(role as never).validate()).to.throw()
      expect(withObjects(role)).to.deep.equal([
        'Role "my-runner-extra" rules[0] must have required property verbs.',
      ])
    })

    it('refuses the same object twice', () => {
      expect(withObjects(configMap({}), configMap({}))).to.deep.equal([
        'ConfigMap "my-runner-extra" is returned twice.',
      ])
    })
  })

  describe('hook extension', () => {
    /** A result whose hook template the test writes; `content` replaces the YAML when given. */
    function withHook(template: object, content?: string): RenderResult {
      const mode = fakeMode(() => valid)
      const {context} = renderOne(mode)
      const extension = hookExtension(context, template)
      if (content !== undefined) extension.configMap.data = {content}
      const runner = runnerContainer({env: [extension.env], volumeMounts: [extension.volumeMount]})
      return {
        values: {template: {spec: {containers: [runner], volumes: [extension.volume]}}},
        objects: [extension.configMap],
      }
    }

    it('passes a $job patch', () => {
      expect(
        problemsOf(withHook({spec: {containers: [jobContainerPatch({env: [{name: 'A', value: '1'}]})]}})),
      ).to.deep.equal([])
    })

    it("refuses initContainers and a pod securityContext that drops the hook's fsGroup", () => {
      const problems = problemsOf(
        withHook({
          spec: {
            containers: [],
            initContainers: [{name: 'mine', image: 'x'}],
            securityContext: {runAsUser: 0},
          },
        }),
      )
      expect(problems).to.have.length(2)
      expect(problems[0]).to.match(/sets initContainers, which replaces the hook's own init container/)
      expect(problems[1]).to.match(/pod securityContext without fsGroup/)
    })

    it('refuses Bidirectional mount propagation in a container that is not privileged', () => {
      const cgroup = {name: 'cg', hostPath: {path: '/sys/fs/cgroup', type: 'Directory'}}
      const mount = {name: 'cg', mountPath: '/sys/fs/cgroup', mountPropagation: 'Bidirectional' as const}
      const hook = (securityContext: object) =>
        withHook({
          spec: {
            containers: [jobContainerPatch({securityContext, volumeMounts: [mount]})],
            volumes: [cgroup],
          },
        })
      expect(problemsOf(hook({privileged: true}))).to.deep.equal([])
      expect(problemsOf(hook({runAsUser: 0, capabilities: {add: ['SYS_ADMIN']}}))).to.deep.equal([
        'hook extension ConfigMap "my-runner-hook-extension": container "$job" mounts /sys/fs/cgroup with ' +
          'mountPropagation Bidirectional, which Kubernetes allows only in privileged containers ' +
          '(securityContext.privileged: true).',
      ])
      const runner = runnerContainer({volumeMounts: [mount]})
      expect(
        problemsOf({values: {template: {spec: {containers: [runner], volumes: [cgroup]}}}}),
      ).to.deep.equal([
        'template.spec: container "runner" mounts /sys/fs/cgroup with mountPropagation Bidirectional, which ' +
          'Kubernetes allows only in privileged containers (securityContext.privileged: true).',
      ])
    })

    it('validates the embedded PodTemplateSpec', () => {
      const problems = problemsOf(
        withHook({spec: {containers: [{name: '$job', securityContext: {privileged: 'yes'}}]}}),
      )
      expect(problems).to.deep.equal([
        'hook extension ConfigMap "my-runner-hook-extension" spec.containers[0].securityContext.privileged must be boolean.',
      ])
    })

    it('reports YAML that does not parse and a ConfigMap the mode forgot', () => {
      expect(problemsOf(withHook({}, 'spec: [unclosed'))[0]).to.match(/"content" is not valid YAML/)
      const missing = withHook({spec: {containers: []}})
      expect(problemsOf({...missing, objects: []})).to.deep.equal([
        'the runner reads its hook template from hook extension ConfigMap "my-runner-hook-extension", which the mode does not return.',
      ])
    })

    it('notices a hook template key that is missing', () => {
      const result = withHook({}, 'x')
      result.objects![0].data = {other: stringify({spec: {containers: []}})}
      expect(problemsOf(result)).to.deep.equal([
        'hook extension ConfigMap "my-runner-hook-extension" has no key "content" for ACTIONS_RUNNER_CONTAINER_HOOK_TEMPLATE.',
      ])
    })
  })

  describe('caches', () => {
    it('wants every cache mounted as a hostPath', () => {
      const unmounted =
        'the cache for /var/lib/docker (/var/lib/deskrun/cache/my-runner/cache-0) is not mounted as a hostPath volume.'
      expect(problemsOf(valid, {caches: [docker]})).to.deep.equal([unmounted])
      expect(problemsOf({values: {}}, {caches: [docker]})).to.deep.equal([unmounted])
    })

    it('wants every --mount mounted as a hostPath, by every mode (one written before --mount would drop it)', () => {
      const nix = {source: '/nix/store', target: '/nix/store', type: 'Directory' as const, readOnly: true}
      const unmounted =
        '--mount /nix/store (/var/lib/deskrun/mounts/nix/store) is not mounted as a hostPath volume.'
      const noCaches = fakeMode(() => valid, false)
      const {context} = renderOne(noCaches, {mounts: [nix]})
      expect(checkRender(noCaches, context, valid)).to.deep.equal([unmounted])
      expect(problemsOf({values: {}}, {mounts: [nix]})).to.deep.equal([unmounted])
    })

    it('refuses caches for a mode that does not take them', () => {
      const mode = fakeMode(() => valid, false)
      const {context} = renderOne(mode, {caches: [docker]})
      expect(checkRender(mode, context, valid)).to.deep.equal([
        'the mode does not take caches, but it was given 1.',
      ])
    })
  })
})

describe('renderInstance', () => {
  const plugin = (mode: ContainerMode): RegisteredMode => ({
    mode,
    source: {type: 'plugin', name: 'deskrun-plugin-x', version: '1.2.3'},
  })

  it('returns what a valid mode renders', () => {
    const mode = fakeMode(() => valid)
    expect(renderInstance(mode, renderOne(mode).context)).to.deep.equal(valid)
    expect(renderInstance(plugin(mode), renderOne(mode).context)).to.deep.equal(valid)
  })

  it('names the mode and its plugin when the output is invalid', () => {
    const mode = fakeMode(() => ({values: {containerMode: {type: 'kubernetes'}}}))
    let error: unknown
    try {
      renderInstance(plugin(mode), renderOne(mode).context)
    } catch (caught) {
      error = caught
    }

    expect(error).to.be.instanceOf(DeskrunError)
    expect((error as DeskrunError).message).to.match(
      /^Container mode "fake" \(deskrun-plugin-x@1\.2\.3\) rendered an invalid scale set "my-runner":\n {2}- containerMode\.kubernetesModeWorkVolumeClaim is missing/,
    )
    expect((error as DeskrunError).hint).to.contain('deskrun-plugin-x')
  })

  it('turns a throwing render into a DeskrunError naming the mode', () => {
    const mode = fakeMode(() => {
      throw new Error('boom')
    })
    expect(() => renderInstance(mode, renderOne(fakeMode(() => valid)).context)).to.throw(
      DeskrunError,
      'Container mode "fake" failed to render "my-runner": boom',
    )
  })
})
