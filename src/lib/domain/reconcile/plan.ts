/**
 * The reconciler's middle stage: from what the config wants and what the cluster has, the list of
 * actions that make them agree, each with its reason. Pure: no tool, no process, no clock, so that
 * `up --dry-run` prints exactly what `up` then does, and unit tests cover every decision.
 */
import {isDeepStrictEqual} from 'node:util'

import {
  CONTROLLER_CHART_NAME,
  CONTROLLER_NAMESPACE,
  CONTROLLER_RELEASE,
  SCALE_SET_CHART_NAME,
  SCALE_SET_NAMESPACE,
  ARC_CRDS,
} from '../arc/charts.js'
import {reinstallReason} from '../arc/cleanup.js'
import type {InstallationPlan} from '../plan.js'
import {
  INSTALLATION_LABEL,
  INSTALLATION_RELEASE_LABEL,
  INSTANCE_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_RELEASE_LABEL,
  type KubeObject,
} from '../kube.js'
import {DeskrunError} from '../errors.js'
import {KIND_STORAGE_CLASS} from '../modes/kubernetes.js'
import {CLAIM_KIND, claimChange, missingStorageClasses} from './claims.js'
import {mountBlockers, mountNeeds} from './mounts.js'
import type {Observation, ObservedRelease} from './observation.js'

export interface Desired {
  clusterName: string
  cacheRoot: string
  chartVersion: string
  /** The installations to deploy, rendered for the cluster's Kubernetes version when it is known. */
  installations: InstallationPlan[]
  /** Installations that stay as they are in the cluster (up skipped them): nothing of theirs is touched. */
  kept: {installation: string; releases: string[]}[]
  /**
   * Installations being removed, with their release names (an older deskrun did not label releases);
   * `purgeCaches`: their cache claims go too (`remove --purge-cache`).
   */
  removed?: {installation: string; releases: string[]; purgeCaches?: boolean}[]
  /** Plan only what concerns these installations (add, remove); everything when undefined. */
  scope?: string[]
  /** Create the cluster and install the controller when they are missing (remove does not). */
  ensure: boolean
}

export type ActionVerb = 'create' | 'install' | 'upgrade' | 'reinstall' | 'apply' | 'uninstall' | 'delete'
export type ActionSubject = 'cluster' | 'controller' | 'scale set' | 'object'

export interface Action {
  verb: ActionVerb
  subject: ActionSubject
  /** The cluster, the Helm release, or `kind/name` of an object. */
  name: string
  installation?: string
  /** Why, in words for the user: which values differ, "credentials changed" (never what they are). */
  reasons: string[]
  /** A release left pending or failed by an interrupted helm run is first rolled back or uninstalled. */
  recover?: 'rollback' | 'uninstall'
  /** Part of taking ARC down for an upgrade: runs before the controller is installed again. */
  stage?: 'teardown'
}

/** Something that stops the plan from being applied, with what to do about it. */
export interface Blocker {
  code: string
  message: string
  hint: string
}

export interface Plan {
  actions: Action[]
  blockers: Blocker[]
  /**
   * The controller's chart version changes. Helm upgrades neither ARC's CRDs nor a controller safely
   * under running scale sets, so every scale set is uninstalled, then the controller and the CRDs, and
   * all is installed again at the new version (after the running jobs are done).
   */
  arcUpgrade?: {from: string; to: string}
  /** What is already as the config wants it, in the words of the summary (`scale set web`). */
  unchanged: string[]
}

export function planChanges(desired: Desired, observed: Observation): Plan {
  const plan: Plan = {actions: [], blockers: [], unchanged: []}
  const {cluster} = observed
  if (!cluster.exists) {
    if (!desired.ensure) return plan
    plan.actions.push(action('create', 'cluster', desired.clusterName, ['it does not exist']))
  } else if (!cluster.running) {
    plan.blockers.push(nodeStopped(desired.clusterName))
    return plan
  } else {
    plan.blockers.push(...mountBlockers(desired, mountNeeds(desired.installations), cluster))
    if (desired.ensure) plan.unchanged.push(`cluster ${desired.clusterName}`)
  }
  const upgrade = desired.ensure ? arcUpgrade(desired, observed) : undefined
  // After the teardown nothing of ARC is left: the rest is planned as for a cluster without it.
  const after = upgrade ? planTeardown(desired, observed, plan, upgrade) : observed
  if (desired.ensure) planController(desired, after, plan)
  const inScope = (installation: string | undefined) =>
    desired.scope === undefined || (installation !== undefined && desired.scope.includes(installation))
  const deployed = desired.installations.filter((one) => inScope(one.installation))
  plan.blockers.push(
    ...missingStorageClasses(
      deployed.flatMap((one) =>
        one.scaleSets.flatMap((scaleSet) =>
          scaleSet.objects
            .filter((object) => object.kind === CLAIM_KIND)
            .map((claim) => ({installation: one.installation, claim})),
        ),
      ),
      // A cluster the plan creates is kind's, with kind's one class.
      cluster.exists ? observed.storageClasses : [KIND_STORAGE_CLASS],
    ),
  )
  for (const installation of deployed) {
    planObjects(installation, after, plan)
    for (const scaleSet of installation.scaleSets)
      planScaleSet(installation.installation, scaleSet, desired.chartVersion, after, plan)
  }
  planLeftovers(desired, after, plan, inScope)
  if (upgrade)
    for (const one of plan.actions)
      if (one.stage === undefined && one.verb === 'install')
        one.reasons = [`ARC ${upgrade.from} → ${upgrade.to}`]
  return plan
}

/** The installed controller's chart version, when it is not the one wanted. */
function arcUpgrade(desired: Desired, observed: Observation): Plan['arcUpgrade'] {
  const current = release(observed, CONTROLLER_NAMESPACE, CONTROLLER_RELEASE)
  if (!current || current.chartName !== CONTROLLER_CHART_NAME || !current.chartVersion) return undefined
  if (current.chartVersion === desired.chartVersion) return undefined
  return {from: current.chartVersion, to: desired.chartVersion}
}

/**
 * Every scale set, then the controller, then ARC's CRDs (ARC's upgrade procedure): scale sets first, or
 * their finalizers hang; the CRDs because helm installs them only with the chart and never upgrades
 * them. Returns the cluster as the rest of the plan will find it.
 */
function planTeardown(
  desired: Desired,
  observed: Observation,
  plan: Plan,
  upgrade: NonNullable<Plan['arcUpgrade']>,
): Observation {
  plan.arcUpgrade = upgrade
  const why = `ARC ${upgrade.from} → ${upgrade.to}`
  // `add` and `remove` leave it to `up`; an installation `up` skips would lose its scale sets.
  const stuck = desired.kept
    .filter((entry) =>
      observed.releases.some(
        (one) => one.namespace === SCALE_SET_NAMESPACE && entry.releases.includes(one.name),
      ),
    )
    .map((entry) => entry.installation)
  if (desired.scope !== undefined || stuck.length > 0) {
    plan.blockers.push(upgradeBlocked(upgrade, desired.scope === undefined ? stuck : undefined))
    return observed
  }
  const scaleSets = observed.releases.filter(
    (one) => one.namespace === SCALE_SET_NAMESPACE && one.status !== 'uninstalled',
  )
  const planned = new Set(
    desired.installations.flatMap((one) => one.scaleSets.map((scaleSet) => scaleSet.name)),
  )
  for (const record of scaleSets)
    if (record.labels[MANAGED_RELEASE_LABEL] === 'deskrun' || planned.has(record.name))
      plan.actions.push(
        action('uninstall', 'scale set', record.name, [why], {
          installation: record.labels[INSTALLATION_RELEASE_LABEL],
          stage: 'teardown',
        }),
      )
  plan.actions.push(action('uninstall', 'controller', CONTROLLER_RELEASE, [why], {stage: 'teardown'}))
  for (const crd of ARC_CRDS)
    plan.actions.push(
      action(
        'delete',
        'object',
        `customresourcedefinition.apiextensions.k8s.io/${crd}`,
        ['helm does not upgrade CRDs'],
        {
          stage: 'teardown',
        },
      ),
    )
  const gone = new Set([CONTROLLER_RELEASE, ...scaleSets.map((one) => one.name)])
  return {
    ...observed,
    releases: observed.releases.filter((one) => !gone.has(one.name)),
    runnerSets: undefined,
  }
}

/** One action in the words `up --dry-run`, `add` and `remove` use: `upgrade scale set web (maxRunners differs)`. */
export function describeAction(action: Action): string {
  const how =
    action.recover === 'rollback'
      ? `roll back, then ${action.verb}`
      : action.recover === 'uninstall'
        ? `uninstall, then ${action.verb}`
        : action.verb
  const what = action.subject === 'object' ? action.name : `${action.subject} ${action.name}`
  return `${how} ${what}${action.reasons.length > 0 ? ` (${action.reasons.join('; ')})` : ''}`
}

/** Whether applying the plan would change anything. */
export function hasChanges(plan: Plan): boolean {
  return plan.actions.length > 0
}

function action(
  verb: ActionVerb,
  subject: ActionSubject,
  name: string,
  reasons: string[],
  more: Partial<Action> = {},
): Action {
  return {verb, subject, name, ...more, reasons}
}

function planController(desired: Desired, observed: Observation, plan: Plan): void {
  const target = desired.chartVersion
  const current = release(observed, CONTROLLER_NAMESPACE, CONTROLLER_RELEASE)
  if (!current) {
    plan.actions.push(action('install', 'controller', CONTROLLER_RELEASE, [`ARC ${target}`]))
    return
  }
  const version = current.chartName === CONTROLLER_CHART_NAME ? current.chartVersion : undefined
  const recover = stuck(current)
  if (recover) {
    const verb = recover === 'uninstall' ? 'install' : 'upgrade'
    plan.actions.push(
      action(verb, 'controller', CONTROLLER_RELEASE, [`its release is ${current.status}`], {recover}),
    )
  } else if (version !== target) {
    plan.actions.push(
      action('upgrade', 'controller', CONTROLLER_RELEASE, [`chart ${version ?? 'unknown'} → ${target}`]),
    )
  } else plan.unchanged.push(`controller ${CONTROLLER_RELEASE}`)
}

function planScaleSet(
  installation: string,
  scaleSet: InstallationPlan['scaleSets'][number],
  chartVersion: string,
  observed: Observation,
  plan: Plan,
): void {
  const {name} = scaleSet
  const current = release(observed, SCALE_SET_NAMESPACE, name)
  const add = (verb: ActionVerb, reasons: string[], more: Partial<Action> = {}) =>
    plan.actions.push(action(verb, 'scale set', name, reasons, {installation, ...more}))
  if (!current) return void add('install', ['not in the cluster'])
  const recover = stuck(current)
  if (recover)
    return void add(recover === 'uninstall' ? 'install' : 'upgrade', [`its release is ${current.status}`], {
      recover,
    })
  const wanted = JSON.parse(JSON.stringify(scaleSet.values)) as Record<string, unknown>
  const reasons = differingKeys(current.values, wanted).map((key) => `${key} differs`)
  const version = current.chartName === SCALE_SET_CHART_NAME ? current.chartVersion : undefined
  if (version !== chartVersion) reasons.unshift(`chart ${version ?? 'unknown'} → ${chartVersion}`)
  // helm upgrade puts back what the release has and the cluster lost.
  if (observed.runnerSets && !observed.runnerSets.includes(name))
    reasons.push('its AutoscalingRunnerSet is gone')
  if (reasons.length === 0) return void plan.unchanged.push(`scale set ${name}`)
  const reinstall = reinstallReason(name, current.values, wanted)
  // Helm cannot make that change in place; its runners stop meanwhile, as with `deskrun remove`.
  if (reinstall) add('reinstall', [reinstall, ...reasons])
  else add('upgrade', reasons)
}

/** The credentials Secret, the cache claims and the mode's objects (hook extensions) of one installation. */
function planObjects(installation: InstallationPlan, observed: Observation, plan: Plan): void {
  const objects = [installation.secret, ...installation.scaleSets.flatMap((scaleSet) => scaleSet.objects)]
  for (const object of objects) {
    const name = objectName(object)
    const live = object.kind === CLAIM_KIND ? liveObject(object, observed) : undefined
    const change = live && claimChange(object, live, installation.installation)
    if (change && 'blocker' in change) {
      plan.blockers.push(change.blocker)
      continue
    }
    const reason = live ? change?.reason : objectDifference(object, observed)
    if (reason)
      plan.actions.push(action('apply', 'object', name, [reason], {installation: installation.installation}))
    else
      plan.unchanged.push(
        object === installation.secret ? `credentials of ${installation.installation}` : name,
      )
  }
}

/**
 * deskrun's releases and objects that the config no longer wants: removed installations, instances
 * beyond --instances. A kept installation's are left alone, whatever they are.
 */
function planLeftovers(
  desired: Desired,
  observed: Observation,
  plan: Plan,
  inScope: (installation: string | undefined) => boolean,
): void {
  const planned = new Map(desired.installations.map((one) => [one.installation, one]))
  const kept = new Set(desired.kept.map((entry) => entry.installation))
  const wanted = new Set([
    ...desired.installations.flatMap((one) => one.scaleSets.map((scaleSet) => scaleSet.name)),
    ...desired.kept.flatMap((entry) => entry.releases),
  ])
  const removing = new Set(desired.removed?.map((entry) => entry.installation))
  const reason = (installation: string, instance?: string) =>
    removing.has(installation)
      ? `removing ${installation}`
      : planned.has(installation)
        ? `${instance} is no longer an instance of ${installation}`
        : `${installation} is no longer in the config`
  for (const record of observed.releases.filter((one) => one.namespace === SCALE_SET_NAMESPACE)) {
    if (wanted.has(record.name) || record.status === 'uninstalled') continue
    const removed = desired.removed?.find((entry) => entry.releases.includes(record.name))
    const owner =
      record.labels[MANAGED_RELEASE_LABEL] === 'deskrun'
        ? record.labels[INSTALLATION_RELEASE_LABEL]
        : removed?.installation
    if (owner === undefined || kept.has(owner) || !inScope(owner)) continue
    plan.actions.push(
      action('uninstall', 'scale set', record.name, [reason(owner, record.name)], {installation: owner}),
    )
  }
  const plannedObjects = new Set(
    desired.installations.flatMap((one) => [
      objectName(one.secret),
      ...one.scaleSets.flatMap((scaleSet) => scaleSet.objects.map(objectName)),
    ]),
  )
  const purged = new Set(
    desired.removed?.filter((entry) => entry.purgeCaches).map((entry) => entry.installation),
  )
  for (const object of observed.objects) {
    const labels = object.metadata.labels ?? {}
    const owner = labels[INSTALLATION_LABEL]
    const instance = labels[INSTANCE_LABEL]
    if (object.metadata.namespace !== SCALE_SET_NAMESPACE || labels[MANAGED_BY_LABEL] !== 'deskrun') continue
    if (owner === undefined || kept.has(owner) || !inScope(owner)) continue
    // The cache data of a removed installation or instance stays, as host folders do, unless purged.
    if (object.kind === CLAIM_KIND && !purged.has(owner)) continue
    // Also what it no longer renders: a hook extension after a change to dind, a proxy Secret once none is used.
    if (plannedObjects.has(objectName(object))) continue
    const why =
      planned.has(owner) && (instance === undefined || wanted.has(instance))
        ? `${owner} no longer uses it`
        : reason(owner, instance)
    plan.actions.push(action('delete', 'object', objectName(object), [why], {installation: owner}))
  }
}

/** A release's latest record; one uninstalled with --keep-history counts as gone (helm installs it afresh). */
function release(observed: Observation, namespace: string, name: string): ObservedRelease | undefined {
  return observed.releases.find(
    (one) => one.namespace === namespace && one.name === name && one.status !== 'uninstalled',
  )
}

/**
 * An interrupted helm run leaves its release pending or failed, and helm then refuses every further
 * operation. One that never got deployed is started afresh; another is rolled back to its last good revision.
 */
function stuck(record: ObservedRelease): Action['recover'] {
  if (record.status === 'deployed') return undefined
  const neverDeployed =
    record.revision === 1 || record.status === 'pending-install' || record.status === 'uninstalling'
  return neverDeployed ? 'uninstall' : 'rollback'
}

/** `secret/web-github-auth`: how kubectl names an object, and how the plan does. */
export function objectName(object: KubeObject): string {
  const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : ''
  return `${object.kind.toLowerCase()}${group}/${object.metadata.name}`
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** Kinds whose objects deskrun reads back (see pipeline/observe.ts); others are always applied. */
const OBSERVED_KINDS = new Set(['Secret', 'ConfigMap', CLAIM_KIND])

/** The object of that kind, name and namespace in the cluster. */
function liveObject(object: KubeObject, observed: Observation): KubeObject | undefined {
  return observed.objects.find(
    (one) =>
      one.kind === object.kind &&
      one.metadata.name === object.metadata.name &&
      one.metadata.namespace === object.metadata.namespace,
  )
}

/** Why a server-side apply of `object` would change the cluster, or undefined when it would not. */
function objectDifference(object: KubeObject, observed: Observation): string | undefined {
  const secret = object.kind === 'Secret'
  if (!OBSERVED_KINDS.has(object.kind)) return `deskrun does not read back ${object.kind} objects`
  const current = liveObject(object, observed)
  if (!current) return secret ? 'credentials not in the cluster' : 'not in the cluster'
  // Client-side apply (older deskruns) kept a copy of the object, a Secret's data included, in this
  // annotation; a server-side apply takes the fields over and drops it.
  if (current.metadata.annotations?.[LAST_APPLIED] !== undefined)
    return secret
      ? 'an older deskrun left a copy of the credentials in an annotation'
      : 'applied client-side by an older deskrun'
  const {metadata, ...content} = object
  const labelsDiffer = !isSubset(metadata.labels ?? {}, current.metadata.labels ?? {})
  // The same fields of the live object: its metadata has the server's own (uid, resourceVersion, ...).
  const live = Object.fromEntries(Object.keys(content).map((key) => [key, current[key]]))
  const contentDiffers = !isDeepStrictEqual(live, content)
  if (secret && contentDiffers) return 'credentials changed'
  if (contentDiffers) return `${differingKeys(live, content).join(', ')} differs`
  if (labelsDiffer || !isSubset(metadata.annotations ?? {}, current.metadata.annotations ?? {}))
    return 'labels differ'
  return undefined
}

function isSubset(wanted: Record<string, string>, actual: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => actual[key] === value)
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The keys whose values differ, as dotted paths down to `depth` levels (`template.spec.containers`),
 * so that a reason says what changed without printing any value.
 */
export function differingKeys(before: unknown, after: unknown, depth = 3, prefix = ''): string[] {
  if (isDeepStrictEqual(before, after)) return []
  if (depth === 0 || !isMap(before) || !isMap(after)) return [prefix || '(everything)']
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  return keys.flatMap((key) =>
    differingKeys(before[key], after[key], depth - 1, prefix ? `${prefix}.${key}` : key),
  )
}

function upgradeBlocked(upgrade: NonNullable<Plan['arcUpgrade']>, kept?: string[]): Blocker {
  const what = `The ARC controller in the cluster is ${upgrade.from}, deskrun is set to ${upgrade.to}: every scale set is reinstalled around the upgrade`
  return kept
    ? {
        code: 'ARC_UPGRADE_BLOCKED',
        message: `${what}, but ${kept.join(', ')} cannot be deployed as ${kept.length === 1 ? 'it is' : 'they are'} (see above), so ${kept.length === 1 ? 'it' : 'they'} would be lost.`,
        hint: `Fix or remove ${kept.join(', ')} first (deskrun remove NAME), then run deskrun up.`,
      }
    : {
        code: 'ARC_UPGRADE_PENDING',
        message: `${what}, which is deskrun up's job.`,
        hint: 'Run deskrun up (deskrun up --dry-run shows what it does), then this command again.',
      }
}

function nodeStopped(clusterName: string): Blocker {
  return {
    code: 'CLUSTER_STOPPED',
    message: `The node of the cluster "${clusterName}" is not running (after a reboot Docker may not have restarted it).`,
    hint: `Start it, then run deskrun up again:\n  docker start ${clusterName}-control-plane`,
  }
}

/** What stops a plan, as one error (each problem, each fix). */
export function blockersError(plan: Pick<Plan, 'blockers'>): DeskrunError | undefined {
  const [first, ...more] = plan.blockers
  if (!first) return undefined
  return new DeskrunError([first, ...more].map((blocker) => blocker.message).join('\n'), {
    code: first.code,
    hint: [first, ...more].map((blocker) => blocker.hint).join('\n'),
  })
}
