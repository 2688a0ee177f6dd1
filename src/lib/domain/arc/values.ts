/**
 * Helm values of one scale set: deskrun's keys (GitHub, scaling, controller) plus the mode's part.
 * The chart ships no values schema and only fails at render time, so checkScaleSetValues checks
 * what the chart would, in words a user understands, before helm runs.
 */
import type {ErrorObject, ValidateFunction} from 'ajv'
import semver from 'semver'

import {DeskrunError} from '../errors.js'
import {resourceRequirements, type ResourceRequirements} from '../installation/resources.js'
import {isClaimCache, type Installation, type Instance} from '../installation/types.js'
import {githubUrlProblem, URL_FORMS} from '../installation/validate.js'
import type {RenderResult} from '../modes/api.js'
import {DIND_CONTAINER} from '../modes/dind.js'
import {NODE_LABEL, RUNNER_CONTAINER, sameNodeAsRunners} from '../modes/helpers.js'
import {CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT, MAX_SCALE_SET_NAME_LENGTH} from './charts.js'
import {networkValues} from './network.js'
import {validateModeValues, validateValues} from './values-validators.generated.js'

/** Keys only deskrun sets; a mode that sets one would break routing, auth or cleanup. */
export const DESKRUN_VALUE_KEYS = [
  'githubConfigUrl',
  'githubConfigSecret',
  'runnerScaleSetName',
  'minRunners',
  'maxRunners',
  'runnerGroup',
  'scaleSetLabels',
  'controllerServiceAccount',
  'namespaceOverride',
  'proxy',
  'githubServerTLS',
] as const

/** The chart version that introduced scaleSetLabels. */
const SCALE_SET_LABELS_SINCE = '0.14.0'
/** The chart version that introduced containerMode kubernetes-novolume. */
const NOVOLUME_SINCE = '0.13.0'

export interface ScaleSetValuesInput {
  installation: Installation
  instance: Instance
  /** Name of the Secret holding the GitHub credentials (see authSecret). */
  secretName: string
  chartVersion: string
  mode: RenderResult
}

/** The pod template with a nodeSelector for `kubernetes.io/hostname`, whatever else the mode put there. */
function pinned(template: unknown, node: string): Record<string, unknown> {
  const base = (template ?? {}) as {spec?: {nodeSelector?: Record<string, string>}}
  const spec = base.spec ?? {}
  return {...base, spec: {...spec, nodeSelector: {...spec.nodeSelector, [NODE_LABEL]: node}}}
}

/** The pod template with the affinity that keeps it beside the instance's other runners. */
function besideRunners(template: unknown, instance: string): Record<string, unknown> {
  const base = (template ?? {}) as {spec?: {affinity?: Record<string, unknown>}}
  const spec = base.spec ?? {}
  return {...base, spec: {...spec, affinity: {...spec.affinity, ...sameNodeAsRunners(instance)}}}
}

/**
 * `--cpus` / `--memory` on the containers that run a job's work in every mode: the runner, and the dind
 * daemon where the mode writes it (the chart's own dind container takes no resources). A container that
 * sets its own resources keeps them.
 */
function limited(template: unknown, resources: ResourceRequirements): unknown {
  const base = template as {spec?: {containers?: unknown[]; initContainers?: unknown[]}} | undefined
  if (!base?.spec) return template
  const patch = (list?: unknown[]) =>
    list?.map((item) => {
      const container = item as {name?: string; resources?: unknown}
      const runsJobs = container.name === RUNNER_CONTAINER || container.name === DIND_CONTAINER
      return runsJobs && container.resources === undefined ? {...container, resources} : item
    })
  const {containers, initContainers} = base.spec
  return {
    ...base,
    spec: {
      ...base.spec,
      ...(containers ? {containers: patch(containers)} : {}),
      ...(initContainers ? {initContainers: patch(initContainers)} : {}),
    },
  }
}

export function scaleSetValues(input: ScaleSetValuesInput): Record<string, unknown> {
  const {installation, instance, secretName, chartVersion, mode} = input
  const owned = DESKRUN_VALUE_KEYS.filter((key) => Object.hasOwn(mode.values, key))
  if (owned.length > 0) {
    throw new DeskrunError(
      `Mode "${installation.mode}" sets ${owned.map((key) => `"${key}"`).join(', ')} in the scale set values, which deskrun owns.`,
      {
        code: 'MODE_OVERRIDES_VALUES',
        hint: 'A mode may set containerMode, template, listenerTemplate and the like; not these keys.',
      },
    )
  }

  const node = installation.node ?? installation.nodes?.[instance.name]
  const values: Record<string, unknown> = {
    githubConfigUrl: installation.repository.replace(/\/+$/, ''),
    githubConfigSecret: secretName,
    runnerScaleSetName: instance.name,
    // Paused: ARC starts no runner for a scale set with at most 0, and removes only idle ones.
    minRunners: installation.paused ? 0 : instance.minRunners,
    maxRunners: installation.paused ? 0 : instance.maxRunners,
    ...(installation.runnerGroup ? {runnerGroup: installation.runnerGroup} : {}),
    ...(installation.labels.length > 0 ? {scaleSetLabels: [...installation.labels]} : {}),
    // Without these the chart searches the cluster for the controller at render time, which fails
    // under dry runs and whenever the controller is missing or installed twice.
    controllerServiceAccount: {name: CONTROLLER_SERVICE_ACCOUNT, namespace: CONTROLLER_NAMESPACE},
    ...networkValues(installation, instance.name),
    ...mode.values,
  }
  // Pinned: its runner (and in the kubernetes modes its job pods, which follow the runner) use that
  // node's cache folders only.
  if (node) values.template = pinned(values.template, node)
  // A ReadWriteOnce claim is mounted by one node at a time: runners elsewhere would wait for it (a
  // volume bound to a node, as local-path's are, takes them there anyway).
  if (instance.caches.some(isClaimCache)) values.template = besideRunners(values.template, instance.name)
  const resources = resourceRequirements(installation)
  if (resources) values.template = limited(values.template, resources)
  const problems = checkScaleSetValues(values, {chartVersion})
  if (problems.length > 0) {
    throw new DeskrunError(
      `The scale set values of "${instance.name}" would be rejected:\n${bullets(problems)}`,
      {
        code: 'INVALID_VALUES',
        hint: `Nothing was installed. Fix the installation with \`deskrun add ${installation.name} ...\` (see \`deskrun list\`).`,
      },
    )
  }

  return values
}

function bullets(lines: string[]): string {
  return lines.map((line) => `  - ${line}`).join('\n')
}

function isBefore(version: string | undefined, minimum: string): boolean {
  const parsed = version === undefined ? null : semver.coerce(version)
  return parsed !== null && semver.lt(parsed, minimum)
}

/**
 * What the chart (or ARC's controller right after it) would reject, one sentence per problem; empty
 * when the values are fine. Give `chartVersion` to also check features against the chart's age.
 */
export function checkScaleSetValues(values: unknown, options: {chartVersion?: string} = {}): string[] {
  const problems = schemaProblems(validateValues, values)
  if (problems.length > 0 || !isRecord(values)) return problems
  problems.push(...urlProblems(values.githubConfigUrl), ...secretProblems(values.githubConfigSecret))
  const {minRunners, maxRunners} = values
  if (typeof minRunners === 'number' && typeof maxRunners === 'number' && minRunners > maxRunners) {
    problems.push(`minRunners (${minRunners}) is greater than maxRunners (${maxRunners}).`)
  }

  if (values.scaleSetLabels !== undefined && isBefore(options.chartVersion, SCALE_SET_LABELS_SINCE))
    problems.push(
      `scaleSetLabels need chart ${SCALE_SET_LABELS_SINCE} or newer; this is ${options.chartVersion}.`,
    )
  return [...problems, ...checkModeValues(values, options)]
}

/** The checks on the part of the values a container mode writes (containerMode, template). */
export function checkModeValues(values: unknown, options: {chartVersion?: string} = {}): string[] {
  const problems = schemaProblems(validateModeValues, values)
  if (problems.length > 0 || !isRecord(values)) return problems
  const mode = isRecord(values.containerMode) ? values.containerMode.type : undefined
  if (mode === 'kubernetes-novolume' && isBefore(options.chartVersion, NOVOLUME_SINCE))
    problems.push(
      `containerMode kubernetes-novolume needs chart ${NOVOLUME_SINCE} or newer; this is ${options.chartVersion}.`,
    )
  return [...problems, ...templateProblems(values)]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function urlProblems(value: unknown): string[] {
  if (typeof value !== 'string') return []
  const reason = githubUrlProblem(value)
  return reason ? [`githubConfigUrl "${value}" is not usable: ${reason}. Use ${URL_FORMS}.`] : []
}

/** The chart accepts a Secret name (what deskrun uses) or the credentials themselves. */
function secretProblems(value: unknown): string[] {
  if (typeof value === 'string') {
    return /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value) && value.length <= 253
      ? []
      : [`githubConfigSecret "${value}" is not a valid Secret name.`]
  }

  if (!isRecord(value)) return []
  const token = typeof value.github_token === 'string' && value.github_token !== ''
  const appKeys = ['github_app_id', 'github_app_installation_id', 'github_app_private_key']
  const app = appKeys.filter((key) => value[key] !== undefined && value[key] !== '')
  if (token && app.length > 0)
    return ['githubConfigSecret holds both a token and GitHub App keys; keep one kind.']
  if (!token && app.length === 0)
    return ['githubConfigSecret holds neither github_token nor GitHub App keys.']
  const problems =
    app.length > 0 && app.length < appKeys.length
      ? [`githubConfigSecret lacks ${appKeys.filter((key) => !app.includes(key)).join(', ')}.`]
      : []
  for (const key of appKeys.slice(0, 2)) {
    if (value[key] !== undefined && typeof value[key] !== 'string')
      problems.push(`githubConfigSecret.${key} must be a string (quote it), not a ${typeof value[key]}.`)
  }

  return problems
}

/** Checks the schema cannot express: unique container names, the runner container, the dind drop. */
function templateProblems(values: Record<string, unknown>): string[] {
  const template = values.template
  if (!isRecord(template) || !isRecord(template.spec)) return []
  const spec = template.spec
  const containers = Array.isArray(spec.containers) ? (spec.containers as {name: string}[]) : []
  const names = containers.map((container) => container.name)
  const problems: string[] = []
  for (const name of new Set(names.filter((name, i) => names.indexOf(name) !== i)))
    problems.push(`template.spec.containers has more than one container named "${name}".`)
  if (containers.length > 0 && !names.includes('runner'))
    problems.push(
      'template.spec.containers has no container named "runner"; ARC starts the runner in that container.',
    )
  const mode = isRecord(values.containerMode) ? values.containerMode.type : undefined
  if (mode === 'dind' && names.includes('dind'))
    problems.push(
      'template.spec.containers has a "dind" container, which the chart drops in dind mode; leave containerMode empty to write it yourself.',
    )
  return problems
}

const HINTS: Record<string, string> = {
  runnerScaleSetName: ` (lower-case letters, digits and '-', at most ${MAX_SCALE_SET_NAME_LENGTH} characters: it names Kubernetes objects)`,
  kubernetesModeWorkVolumeClaim:
    ' (the chart requires it in kubernetes mode: the work volume runner and job pods share)',
}

function schemaProblems(validate: ValidateFunction, values: unknown): string[] {
  if (validate(values)) return []
  return (validate.errors ?? []).filter((error) => error.keyword !== 'if').map(describe)
}

/** JSON pointer to what a person reads: `/template/spec/containers/0` -> `template.spec.containers[0]`. */
export function dottedPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '')
}

function describe(error: ErrorObject): string {
  const path = dottedPath(error.instancePath)
  const subject = path || 'The values'
  const key = path.split('.').at(-1) ?? ''
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as {missingProperty: string}).missingProperty
      const where = path ? `${path}.${missing}` : missing
      return `${where} is missing${HINTS[missing] ?? ''}.`
    }
    case 'enum':
      return `${subject} must be one of ${(error.params as {allowedValues: unknown[]}).allowedValues.map((v) => JSON.stringify(v)).join(', ')}.`
    case 'type':
      return `${subject} must be ${article((error.params as {type: string | string[]}).type)}.`
    case 'minimum':
      return `${subject} must be at least ${(error.params as {limit: number}).limit}.`
    case 'minLength':
      return `${subject} must not be empty.`
    case 'maxLength':
      return `${subject} must be at most ${(error.params as {limit: number}).limit} characters long${HINTS[key] ?? ''}.`
    case 'minItems':
      return `${subject} must not be empty.`
    case 'pattern':
      return `${subject} is not valid${HINTS[key] ?? ''}.`
    default:
      return `${subject} ${error.message ?? 'is not valid'}.`
  }
}

function article(type: string | string[]): string {
  const names = (Array.isArray(type) ? type : [type]).map((name) =>
    name === 'integer'
      ? 'a whole number'
      : name === 'object'
        ? 'a map'
        : name === 'array'
          ? 'a list'
          : `a ${name}`,
  )
  return names.join(' or ')
}
