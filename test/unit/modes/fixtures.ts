/** Builds mode inputs the way deskrun does (expandInstances + deskrunLabels) and digs into results. */
import {parse} from 'yaml'

import {DEFAULT_CHART_VERSION, SCALE_SET_NAMESPACE} from '../../../src/lib/domain/arc/charts.js'
import {DEFAULT_RUNNER_IMAGE} from '../../../src/lib/domain/installation/image.js'
import {resolveMounts} from '../../../src/lib/domain/installation/mounts.js'
import {expandInstances} from '../../../src/lib/domain/installation/instances.js'
import type {Installation, Instance} from '../../../src/lib/domain/installation/types.js'
import {deskrunLabels, type KubeObject} from '../../../src/lib/domain/kube.js'
import type {ContainerMode, RenderContext, RenderResult} from '../../../src/lib/domain/modes/api.js'
import {NODE_CACHE_ROOT, NODE_MOUNTS_ROOT, ORIGINAL_CACHE_ROOT} from '../../../src/lib/domain/settings.js'

export const roots = {cacheRoot: ORIGINAL_CACHE_ROOT, nodeCacheRoot: NODE_CACHE_ROOT}

export function installation(overrides: Partial<Installation> = {}): Installation {
  return {
    name: 'my-runner',
    repository: 'https://github.com/owner/repo',
    mode: 'kubernetes',
    minRunners: 1,
    maxRunners: 3,
    instances: 1,
    caches: [],
    labels: [],
    auth: {type: 'pat', token: 'ghp_secret'},
    ...overrides,
  }
}

export function contextFor(
  inst: Installation,
  instance: Instance,
  chartVersion = DEFAULT_CHART_VERSION,
): RenderContext {
  const {auth, ...view} = inst
  return {
    installation: {...view, authType: auth.type},
    instance: {
      name: instance.name,
      index: instance.index,
      count: instance.count,
      minRunners: instance.minRunners,
      maxRunners: instance.maxRunners,
    },
    runnerImage: inst.runnerImage ?? DEFAULT_RUNNER_IMAGE,
    caches: instance.caches,
    mounts: resolveMounts(inst.mounts, NODE_MOUNTS_ROOT),
    namespace: SCALE_SET_NAMESPACE,
    chartVersion,
    labels: deskrunLabels(inst.name, instance.name),
    cluster: {name: 'deskrun', ...roots},
  }
}

export interface Rendered {
  instance: Instance
  context: RenderContext
  result: RenderResult
}

/** Every instance of the installation, rendered by `mode`. */
export function renderAll(mode: ContainerMode, overrides: Partial<Installation> = {}): Rendered[] {
  const inst = installation({mode: mode.name, ...overrides})
  return expandInstances(inst, roots).map((instance) => {
    const context = contextFor(inst, instance)
    return {instance, context, result: mode.render(context)}
  })
}

export function renderOne(mode: ContainerMode, overrides: Partial<Installation> = {}): Rendered {
  return renderAll(mode, overrides)[0]
}

export const docker = {target: '/var/lib/docker'}
export const toolCache = {target: '/home/runner/.cache'}

export interface EnvVar {
  name: string
  value?: string
}
export interface Mount {
  name: string
  mountPath: string
}
export interface Container {
  name: string
  image?: string
  args?: string[]
  command?: string[]
  env?: EnvVar[]
  volumeMounts?: Mount[]
  restartPolicy?: string
  securityContext?: {
    privileged?: boolean
    runAsUser?: number
    capabilities?: {add?: string[]}
  }
}
export interface Volume {
  name: string
  hostPath?: {path: string; type?: string}
  emptyDir?: object
  configMap?: {name: string}
}
export interface PodSpec {
  containers: Container[]
  initContainers?: Container[]
  volumes?: Volume[]
  securityContext?: object
}

export function specOf(result: RenderResult): PodSpec {
  return result.values.template?.spec as unknown as PodSpec
}

export function containerOf(
  spec: PodSpec,
  name: string,
  list: 'containers' | 'initContainers' = 'containers',
): Container {
  const found = spec[list]?.find((container) => container.name === name)
  if (!found) throw new Error(`no ${list} entry named ${name}`)
  return found
}

export function envOf(container: Container): Record<string, string | undefined> {
  return Object.fromEntries((container.env ?? []).map((env) => [env.name, env.value]))
}

export function mountsOf(container: Container): Record<string, string> {
  return Object.fromEntries((container.volumeMounts ?? []).map((mount) => [mount.mountPath, mount.name]))
}

export function configMapOf(result: RenderResult): KubeObject & {data: Record<string, string>} {
  const found = (result.objects ?? []).find((object) => object.kind === 'ConfigMap')
  if (!found) throw new Error('no ConfigMap among the objects')
  return found as KubeObject & {data: Record<string, string>}
}

/** The PodTemplateSpec the hook extension ConfigMap carries. */
export function hookTemplateOf(result: RenderResult): {spec: PodSpec; [key: string]: unknown} {
  return parse(configMapOf(result).data.content)
}
