/**
 * Checks what a container mode rendered before anything reaches helm or kubectl, so that a broken
 * mode (deskrun's or a plugin's) is reported by name instead of as a pod that never starts.
 */
// One file per model: the v1 index loads every Kubernetes kind and slows every command's start.
import {Role} from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role'
import {RoleBinding} from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'
import {ConfigMap} from 'kubernetes-models/v1/ConfigMap'
import {PersistentVolumeClaim} from 'kubernetes-models/v1/PersistentVolumeClaim'
import {Pod} from 'kubernetes-models/v1/Pod'
import {PodTemplate} from 'kubernetes-models/v1/PodTemplate'
import {Secret} from 'kubernetes-models/v1/Secret'
import {ServiceAccount} from 'kubernetes-models/v1/ServiceAccount'

import {checkModeValues, DESKRUN_VALUE_KEYS, dottedPath} from '../arc/values.js'
import {DeskrunError} from '../errors.js'
import {yaml} from '../yaml.js'
import type {KubeObject} from '../kube.js'
import type {ContainerMode, RenderContext, RenderResult} from './api.js'
import {HOOK_TEMPLATE_ENV, isClaimCache, JOB_CONTAINER_PATCH, RUNNER_CONTAINER} from './helpers.js'
import {describeSource, type RegisteredMode} from './registry.js'

type Validatable = new (data: never) => {validate(): void}

/** The kinds a mode may return, by `apiVersion kind`; anything cluster-wide or workload-like is refused. */
const OBJECT_MODELS: Record<string, Validatable> = {
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 ServiceAccount': ServiceAccount,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
  'rbac.authorization.k8s.io/v1 Role': Role,
  'rbac.authorization.k8s.io/v1 RoleBinding': RoleBinding,
}

/** Volumes the chart adds itself in each container mode, so mounts may name them. */
const CHART_VOLUMES: Record<string, string[]> = {
  dind: ['work', 'dind-sock', 'dind-externals'],
  kubernetes: ['work'],
}

type Container = {
  name?: string
  env?: {name?: string; value?: string}[]
  volumeMounts?: VolumeMount[]
  image?: string
  securityContext?: {privileged?: boolean}
}
type VolumeMount = {name?: string; mountPath?: string; subPath?: string; mountPropagation?: string}
type Volume = {
  name?: string
  hostPath?: {path?: string}
  persistentVolumeClaim?: {claimName?: string}
  configMap?: {name?: string; items?: {key?: string; path?: string}[]}
}
type PodSpec = {
  containers?: Container[]
  initContainers?: Container[]
  volumes?: Volume[]
  securityContext?: object
}

/** One sentence per problem with what `mode` rendered for `context`; empty when it is fine. */
export function checkRender(mode: ContainerMode, context: RenderContext, result: RenderResult): string[] {
  if (!isRecord(result)) return ['render must return an object {values, objects}.']
  const {values, objects = []} = result
  if (!isPlainObject(values)) return ['values must be a plain object.']
  const problems = [...plainDataProblems(values, 'values')]
  const owned = DESKRUN_VALUE_KEYS.filter((key) => Object.hasOwn(values, key))
  if (owned.length > 0) problems.push(`values set ${owned.join(', ')}, which deskrun sets itself.`)
  const valueProblems = checkModeValues(values, {chartVersion: context.chartVersion})
  problems.push(...valueProblems)
  if (context.caches.length > 0 && !mode.takesCaches)
    problems.push(`the mode does not take caches, but it was given ${context.caches.length}.`)
  if (!Array.isArray(objects)) return [...problems, 'objects must be a list of Kubernetes objects.']
  problems.push(
    ...objects.flatMap((object) => objectProblems(object, context)),
    ...duplicateProblems(objects),
  )

  // The values check already explains a template of the wrong shape; kubernetes-models would repeat it.
  if (valueProblems.some((problem) => problem.startsWith('template'))) return problems
  const spec =
    isRecord(values.template) && isRecord(values.template.spec)
      ? (values.template.spec as PodSpec)
      : undefined
  if (!spec)
    return [
      ...problems,
      ...(mode.takesCaches ? unmountedCaches(context, []) : []),
      ...unmountedHostMounts(context, []),
    ]
  const specProblems = podSpecProblems(spec)
  // Mounts, the hook template and caches can only be followed through a well-formed pod spec.
  if (specProblems.length > 0) return [...problems, ...specProblems]
  problems.push(
    ...mountProblems(spec, values),
    ...propagationProblems([...(spec.initContainers ?? []), ...spec.containers!], 'template.spec:'),
  )
  const hook = hookTemplate(spec, objects)
  if (hook?.problem) return [...problems, hook.problem]
  const hookProblems = hook?.template ? hookTemplateProblems(hook.template, hook.source) : []
  if (hookProblems.length > 0) return [...problems, ...hookProblems]
  const specs = [spec, hook?.template?.spec]
  return [
    ...problems,
    ...sharedClaimProblems([
      {spec, where: 'template.spec'},
      {spec: hook?.template?.spec, where: hook?.source ?? ''},
    ]),
    ...(mode.takesCaches ? unmountedCaches(context, specs) : []),
    ...unmountedHostMounts(context, specs),
  ]
}

/** Renders one instance and checks it; a mode that throws or renders something broken is named. */
export function renderInstance(mode: ContainerMode | RegisteredMode, context: RenderContext): RenderResult {
  const {mode: containerMode, source} = 'render' in mode ? {mode, source: undefined} : mode
  const who = `Container mode "${containerMode.name}"${source && source.type !== 'built-in' ? ` (${describeSource(source)})` : ''}`
  const hint =
    source && source.type === 'plugin'
      ? `Update or report the plugin ${source.name}, or pick another mode (\`deskrun modes\`).`
      : 'This is a bug in deskrun; please report it with the output of `deskrun modes --json`.'
  let result: RenderResult
  try {
    result = containerMode.render(context)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new DeskrunError(`${who} failed to render "${context.instance.name}": ${reason}`, {
      code: 'MODE_RENDER_FAILED',
      hint,
      cause: error,
    })
  }

  const problems = checkRender(containerMode, context, result)
  if (problems.length > 0) {
    const list = problems.map((problem) => `  - ${problem}`).join('\n')
    throw new DeskrunError(`${who} rendered an invalid scale set "${context.instance.name}":\n${list}`, {
      code: 'MODE_RENDER_INVALID',
      hint,
    })
  }

  return result
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** Values travel to helm as YAML: functions, class instances or NaN would be lost or mangled. */
function plainDataProblems(value: unknown, path: string): string[] {
  // undefined is fine: JSON and YAML simply leave such keys out.
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean')
    return []
  if (typeof value === 'number')
    return Number.isFinite(value) ? [] : [`${path} is ${value}, which YAML cannot carry.`]
  if (Array.isArray(value)) return value.flatMap((item, i) => plainDataProblems(item, `${path}[${i}]`))
  if (isPlainObject(value))
    return Object.entries(value).flatMap(([key, item]) => plainDataProblems(item, `${path}.${key}`))
  return [
    `${path} is a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}, not plain data.`,
  ]
}

/** kubernetes-models throws an error that carries ajv-style details; turn them into sentences. */
function validationProblems(validate: () => void, describe: (path: string) => string): string[] {
  try {
    validate()
    return []
  } catch (error) {
    const details = (error as {errors?: {instancePath?: string; message?: string}[]}).errors
    if (!Array.isArray(details) || details.length === 0)
      return [`${describe('')}: ${(error as Error).message}`]
    const lines = details.map(
      (detail) => `${describe(dottedPath(detail.instancePath ?? ''))} ${detail.message}`,
    )
    return [...new Set(lines)].map((line) => `${line}.`)
  }
}

function podSpecProblems(spec: PodSpec): string[] {
  const pod = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'runner'}, spec}
  return validationProblems(
    () => new Pod(pod as never).validate(),
    (path) => (path ? `template.${path}` : 'template.spec'),
  )
}

/** A mount of a volume nobody defines makes the API server refuse every runner pod. */
function mountProblems(spec: PodSpec, values: Record<string, unknown>): string[] {
  const type = isRecord(values.containerMode) ? String(values.containerMode.type ?? '') : ''
  const volumes = new Set([
    ...(CHART_VOLUMES[type] ?? []),
    ...(spec.volumes ?? []).map((volume) => volume.name),
  ])
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])].flatMap((container) =>
    (container.volumeMounts ?? [])
      .filter((mount) => !volumes.has(mount.name))
      .map(
        (mount) =>
          `template.spec: container "${container.name}" mounts volume "${mount.name}", which no volume defines.`,
      ),
  )
}

function objectProblems(object: unknown, context: RenderContext): string[] {
  if (!isRecord(object) || !isRecord(object.metadata))
    return ['objects must be Kubernetes objects with metadata.']
  const {apiVersion, kind} = object as Partial<KubeObject>
  const {name, namespace, labels} = object.metadata as Partial<KubeObject['metadata']>
  const label = `${kind ?? 'object'} "${name ?? '?'}"`
  const Model = OBJECT_MODELS[`${apiVersion} ${kind}`]
  if (!Model) {
    const allowed = Object.keys(OBJECT_MODELS).map((key) => key.split(' ')[1])
    return [`${label} (${apiVersion}): a mode may only return ${allowed.join(', ')}.`]
  }

  const problems = validationProblems(
    () => new Model(object as never).validate(),
    (path) => `${label}${path ? ` ${path}` : ''}`,
  )
  if (namespace !== context.namespace)
    problems.push(`${label} must be in namespace "${context.namespace}", not "${namespace ?? '(none)'}".`)
  const prefixes = [...new Set([context.instance.name, context.installation.name])]
  if (
    typeof name !== 'string' ||
    !prefixes.some((prefix) => name === prefix || name.startsWith(`${prefix}-`))
  )
    problems.push(
      `${label} must be named after its scale set: ${prefixes.map((p) => `"${p}-..."`).join(' or ')}.`,
    )
  const missing = Object.entries(context.labels).filter(([key, value]) => labels?.[key] !== value)
  if (missing.length > 0)
    problems.push(
      `${label} lacks deskrun's labels ${missing.map(([key, value]) => `${key}=${value}`).join(', ')}.`,
    )
  return problems
}

function duplicateProblems(objects: unknown[]): string[] {
  const keys = objects
    .filter(isRecord)
    .map((object) => `${object.kind} "${(object.metadata as {name?: string})?.name}"`)
  return [...new Set(keys.filter((key, i) => keys.indexOf(key) !== i))].map(
    (key) => `${key} is returned twice.`,
  )
}

interface HookTemplate {
  template?: {spec?: PodSpec; [key: string]: unknown}
  /** Where it came from, for messages. */
  source: string
  problem?: string
}

/**
 * Follows the runner's ACTIONS_RUNNER_CONTAINER_HOOK_TEMPLATE to the ConfigMap the mode returns.
 * A template that lives elsewhere (baked into an image, another volume type) cannot be checked here.
 */
function hookTemplate(spec: PodSpec, objects: unknown[]): HookTemplate | undefined {
  const runner = spec.containers?.find((container) => container.name === RUNNER_CONTAINER)
  const file = runner?.env?.find((env) => env.name === HOOK_TEMPLATE_ENV)?.value
  const mount = file
    ? runner?.volumeMounts?.find((m) => file === m.mountPath || file.startsWith(`${m.mountPath}/`))
    : undefined
  const volume = mount && spec.volumes?.find((v) => v.name === mount.name)
  if (!file || !mount || !volume?.configMap?.name) return undefined
  const relative = mount.subPath ?? file.slice((mount.mountPath ?? '').length + 1)
  const key = volume.configMap.items?.find((item) => item.path === relative)?.key ?? relative
  const source = `hook extension ConfigMap "${volume.configMap.name}"`
  const configMap = objects.find(
    (object): object is KubeObject =>
      isRecord(object) &&
      object.kind === 'ConfigMap' &&
      (object.metadata as {name?: string})?.name === volume.configMap?.name,
  )
  if (!configMap)
    return {
      source,
      problem: `the runner reads its hook template from ${source}, which the mode does not return.`,
    }
  const content = (configMap.data as Record<string, unknown> | undefined)?.[key]
  if (typeof content !== 'string')
    return {source, problem: `${source} has no key "${key}" for ${HOOK_TEMPLATE_ENV}.`}
  try {
    const template: unknown = yaml().parse(content)
    if (!isRecord(template)) return {source, problem: `${source} "${key}" is not a PodTemplateSpec.`}
    return {source, template}
  } catch (error) {
    return {source, problem: `${source} "${key}" is not valid YAML: ${(error as Error).message}`}
  }
}

/**
 * The API server allows Bidirectional mount propagation only in privileged containers and refuses the
 * whole pod otherwise; in a hook template that happens at job time, long after deskrun has finished.
 */
function propagationProblems(containers: Container[], where: string): string[] {
  return containers.flatMap((container) =>
    (container.volumeMounts ?? [])
      .filter(
        (mount) =>
          mount.mountPropagation === 'Bidirectional' && container.securityContext?.privileged !== true,
      )
      .map(
        (mount) =>
          `${where} container "${container.name}" mounts ${mount.mountPath} with mountPropagation Bidirectional, ` +
          'which Kubernetes allows only in privileged containers (securityContext.privileged: true).',
      ),
  )
}

/** The hook merges the template into its own job pod; some keys would silently undo what it needs. */
function hookTemplateProblems(template: NonNullable<HookTemplate['template']>, source: string): string[] {
  const spec: PodSpec = isRecord(template.spec) ? template.spec : {}
  // The hook's template may omit containers (only volumes, say); the schema would insist on them.
  const withContainers = isRecord(template.spec)
    ? {...spec, containers: spec.containers ?? []}
    : template.spec
  const podTemplate = {
    apiVersion: 'v1',
    kind: 'PodTemplate',
    metadata: {name: 'hook-extension'},
    template: {...template, ...(template.spec === undefined ? {} : {spec: withContainers})},
  }
  const problems = validationProblems(
    () => new PodTemplate(podTemplate as never).validate(),
    (path) => `${source}${path ? ` ${path.replace(/^template\./, '')}` : ''}`,
  )
  if (problems.length > 0) return problems
  if (spec.initContainers)
    problems.push(
      `${source} sets initContainers, which replaces the hook's own init container and breaks job pods.`,
    )
  if (spec.securityContext && !('fsGroup' in spec.securityContext))
    problems.push(
      `${source} sets a pod securityContext without fsGroup; it replaces the hook's (fsGroup 1001).`,
    )
  // The hook replaces the job container's securityContext with the one of `$job`, so that alone decides.
  problems.push(...propagationProblems(spec.containers ?? [], `${source}:`))
  for (const container of spec.containers ?? []) {
    if (container.name === JOB_CONTAINER_PATCH && container.image)
      problems.push(
        `${source}: the hook ignores "image" in "${JOB_CONTAINER_PATCH}"; the workflow's container: decides.`,
      )
  }

  return problems
}

/** Every mode must mount each `--mount` somewhere (a mode written before --mount existed would drop them). */
function unmountedHostMounts(context: RenderContext, specs: (PodSpec | undefined)[]): string[] {
  const paths = new Set(specs.flatMap((spec) => (spec?.volumes ?? []).map((volume) => volume.hostPath?.path)))
  return (context.mounts ?? [])
    .filter((mount) => !paths.has(mount.nodePath))
    .map((mount) => `--mount ${mount.target} (${mount.nodePath}) is not mounted as a hostPath volume.`)
}

/**
 * A mode that takes caches must mount every one of them somewhere: in the runner pod or in job pods, as
 * a hostPath volume of its folder or a volume of its claim (`--cache-storage-class`).
 */
function unmountedCaches(context: RenderContext, specs: (PodSpec | undefined)[]): string[] {
  const volumes = specs.flatMap((spec) => spec?.volumes ?? [])
  const paths = new Set(volumes.map((volume) => volume.hostPath?.path))
  const claims = new Set(volumes.map((volume) => volume.persistentVolumeClaim?.claimName))
  return context.caches
    .filter((cache) => (isClaimCache(cache) ? !claims.has(cache.claimName) : !paths.has(cache.nodePath)))
    .map((cache) =>
      isClaimCache(cache)
        ? `the cache for ${cache.target} (claim ${cache.claimName}) is not mounted from a volume of that claim.`
        : `the cache for ${cache.target} (${cache.nodePath}) is not mounted as a hostPath volume.`,
    )
}

/** The kubelet never starts a pod with two volumes of one claim (kubernetes issue 132921): mount subPaths of one. */
function sharedClaimProblems(specs: {spec?: PodSpec; where: string}[]): string[] {
  return specs.flatMap(({spec, where}) => {
    const claims = (spec?.volumes ?? []).flatMap((volume) => volume.persistentVolumeClaim?.claimName ?? [])
    return [...new Set(claims.filter((claim, i) => claims.indexOf(claim) !== i))].map(
      (claim) =>
        `${where} has more than one volume of the claim "${claim}", and such a pod never starts; use one volume and mount its folders with subPath.`,
    )
  })
}
