/**
 * The reconciler's last stage: a plan (domain/reconcile/plan.ts) as listr2 steps. The cluster and the
 * controller come first, then every changed object in one server-side apply, then the scale sets,
 * independent of one another, `concurrency` at a time: one that fails does not stop the others, and
 * the error names each failure. Objects of removed scale sets go last, once nothing uses them.
 */
import type {ListrTask} from 'listr2'

import {
  CONTROLLER_CHART,
  CONTROLLER_CHART_NAME,
  CONTROLLER_NAMESPACE,
  CONTROLLER_RELEASE,
  SCALE_SET_CHART,
  SCALE_SET_NAMESPACE,
  chartVersionOf,
} from '../domain/arc/charts.js'
import {DeskrunError} from '../domain/errors.js'
import {authSecretName} from '../domain/installation/naming.js'
import type {Installation} from '../domain/installation/types.js'
import {DESKRUN_RELEASE_LABELS, installationReleaseLabels, type KubeObject} from '../domain/kube.js'
import type {InstallationPlan} from '../domain/plan.js'
import {mountNeeds} from '../domain/reconcile/mounts.js'
import {describeAction, objectName, type Action, type Plan} from '../domain/reconcile/plan.js'
import {DEFAULT_CONCURRENCY} from '../domain/settings.js'
import {createKindCluster, requireMounts} from './cluster.js'
import {planFor, type Deps, type Outcome} from './deps.js'
import {kubernetesVersionOf} from './observe.js'
import {teardownSteps} from './arc-upgrade.js'
import {toolOutput} from './run.js'

/** What a scale set step needs that the plan leaves out: the rendered values and objects. */
export interface ApplyOptions {
  /** The installations the plan was made for (rendered again once a new cluster's version is known). */
  installations: Installation[]
  concurrency?: number
  /** An ARC upgrade does not wait for running jobs (they fail). */
  force?: boolean
  /** How long an ARC upgrade waits for running jobs. */
  waitMs?: number
}

export interface ApplyOutcome extends Outcome {
  /** Scale sets whose step failed, with the error. */
  failed: {name: string; installation?: string; error: unknown}[]
  /** Every scale set step ran (some may have failed): the installations without a failure are deployed. */
  scaleSetsDone?: boolean
}

export function newApplyOutcome(): ApplyOutcome {
  return {changed: [], unchanged: [], failed: []}
}

/** The installations that a run, finished or stopped, left deployed. */
export function deployedBy(outcome: ApplyOutcome, installations: string[], finished: boolean): string[] {
  if (!finished && !outcome.scaleSetsDone) return []
  const failed = new Set(outcome.failed.map((entry) => entry.installation))
  return installations.filter((name) => !failed.has(name))
}

export function applySteps(deps: Deps, plan: Plan, options: ApplyOptions): ListrTask<ApplyOutcome>[] {
  const teardown = plan.actions.filter((action) => action.stage === 'teardown')
  const of = (subject: Action['subject']) =>
    plan.actions.filter((action) => action.subject === subject && action.stage === undefined)
  const rendered = renderer(deps, options.installations)
  const scaleSets = of('scale set')
  const objects = of('object')
  const steps: ListrTask<ApplyOutcome>[] = []
  for (const action of of('cluster')) steps.push(clusterStep(deps, action, rendered))
  if (plan.arcUpgrade) steps.push(...teardownSteps(deps, plan.arcUpgrade, teardown, options))
  for (const action of of('controller')) steps.push(controllerStep(deps, action))
  const applied = objects.filter((action) => action.verb === 'apply')
  if (applied.length > 0) steps.push(applyObjectsStep(deps, applied, rendered))
  let group: {title?: unknown} | undefined
  if (scaleSets.length > 0)
    steps.push({
      title: `Scale sets: ${scaleSets.length} to change`,
      task: (_, task) =>
        (group = task).newListr(
          scaleSets.map((action) => scaleSetStep(deps, action, rendered)),
          {concurrent: options.concurrency ?? DEFAULT_CONCURRENCY, exitOnError: false},
        ),
    })
  // Once all of them ran (untitled: nothing to show): one that failed did not stop the others.
  steps.push({
    task: (outcome) => {
      outcome.scaleSetsDone = true
      const failed = failedScaleSets(outcome)
      if (failed && group) group.title = `Scale sets: ${outcome.failed.length} of ${scaleSets.length} failed`
      if (failed) throw failed
    },
  })
  const deleted = objects.filter((action) => action.verb === 'delete')
  if (deleted.length > 0) steps.push(deleteObjectsStep(deps, deleted))
  return steps
}

/** The installations' plans, rendered for the cluster's Kubernetes version (asked once, when first needed). */
function renderer(deps: Deps, installations: Installation[]): () => Promise<InstallationPlan[]> {
  let plans: Promise<InstallationPlan[]> | undefined
  return () =>
    (plans ??= kubernetesVersionOf(deps).then((version) =>
      Promise.all(
        installations.map((installation) => planFor(deps.config, installation, deps.modes, version)),
      ),
    ))
}

function clusterStep(
  deps: Deps,
  action: Action,
  rendered: () => Promise<InstallationPlan[]>,
): ListrTask<ApplyOutcome> {
  return {
    title: `Cluster ${action.name}: creating (this takes a minute)`,
    task: async (outcome, task) => {
      const created = await createKindCluster(deps, task)
      // Planned for no cluster: the one another deskrun made must mount what the plan would have checked.
      if (!created) await requireMounts(deps, mountNeeds(await rendered()))
      task.title = `Cluster ${action.name}: ${created ? 'created' : 'exists (created by another deskrun meanwhile)'}`
      if (created) outcome.changed.push(`cluster ${action.name} created`)
      else outcome.unchanged.push(`cluster ${action.name}`)
    },
  }
}

function controllerStep(deps: Deps, action: Action): ListrTask<ApplyOutcome> {
  const target = deps.config.chartVersion
  const verb = action.verb === 'install' ? 'installing' : 'upgrading'
  return {
    title: `ARC controller ${target}: ${verb}`,
    task: async (outcome, task) => {
      await recover(deps, CONTROLLER_NAMESPACE, CONTROLLER_RELEASE, action.recover)
      try {
        await deps.tools.helm.upgradeInstall(
          {
            release: CONTROLLER_RELEASE,
            chart: CONTROLLER_CHART,
            version: target,
            namespace: CONTROLLER_NAMESPACE,
            values: {},
            labels: DESKRUN_RELEASE_LABELS,
            step: 'install the ARC controller',
            hint: 'Check network access to ghcr.io, and `kubectl --context kind-<cluster> get pods -n arc-systems` for pods that do not start.',
          },
          {onLine: toolOutput(task)},
        )
      } catch (error) {
        // Another deskrun started at the same time may have installed it meanwhile.
        if (!(await installedMeanwhile(deps, error))) throw error
        task.title = `ARC controller ${target}: installed (by another deskrun meanwhile)`
        outcome.unchanged.push(`controller ${CONTROLLER_RELEASE}`)
        return
      }
      const done = action.verb === 'install' ? 'installed' : 'upgraded'
      task.title = `ARC controller ${target}: ${done}`
      outcome.changed.push(`controller ${CONTROLLER_RELEASE} ${done} (${target})`)
    },
  }
}

async function installedMeanwhile(deps: Deps, error: unknown): Promise<boolean> {
  if (!(error instanceof DeskrunError) || error.code !== 'TOOL_FAILED') return false
  const release = await deps.tools.helm
    .release(CONTROLLER_NAMESPACE, CONTROLLER_RELEASE)
    .catch(() => undefined)
  return (
    release?.status === 'deployed' &&
    chartVersionOf(release.chart, CONTROLLER_CHART_NAME) === deps.config.chartVersion
  )
}

/** Every changed object in one server-side apply, the scale sets' namespace first. */
function applyObjectsStep(
  deps: Deps,
  actions: Action[],
  rendered: () => Promise<InstallationPlan[]>,
): ListrTask<ApplyOutcome> {
  const names = actions.map((action) => action.name)
  return {
    title: `Apply ${names.join(', ')}`,
    task: async (outcome, task) => {
      const byName = new Map<string, KubeObject>()
      for (const plan of await rendered())
        for (const object of [plan.secret, ...plan.scaleSets.flatMap((scaleSet) => scaleSet.objects)])
          byName.set(objectName(object), object)
      const namespace = {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {name: SCALE_SET_NAMESPACE, labels: {'app.kubernetes.io/managed-by': 'deskrun'}},
      }
      const objects = names.map((name) => byName.get(name)).filter((object) => object !== undefined)
      await deps.tools.kubectl.apply(
        [namespace, ...objects],
        'store the credentials and objects of the scale sets',
      )
      outcome.changed.push(...actions.map(changeOf))
      task.title = `Applied ${names.join(', ')}`
    },
  }
}

/** `credentials of web`, `configmap web-1-hook-extension applied`: what the summary says. */
function changeOf(action: Action): string {
  const [kind, name] = action.name.split('/')
  if (action.installation && action.name === `secret/${authSecretName(action.installation)}`)
    return `credentials of ${action.installation}`
  return `${kind.split('.')[0]} ${name} ${action.verb === 'delete' ? 'deleted' : 'applied'}`
}

function scaleSetStep(
  deps: Deps,
  action: Action,
  rendered: () => Promise<InstallationPlan[]>,
): ListrTask<ApplyOutcome> {
  const {helm} = deps.tools
  const {name} = action
  const done = {
    install: 'installed',
    upgrade: 'upgraded',
    reinstall: 'reinstalled',
    uninstall: 'uninstalled',
  }[action.verb as 'install']
  return {
    title: `Scale set ${name}: ${describeAction(action).replace(` scale set ${name}`, '')}`,
    task: async (outcome, task) => {
      try {
        if (action.verb === 'uninstall') {
          await helm.uninstall(SCALE_SET_NAMESPACE, name, {onLine: toolOutput(task)})
        } else {
          const scaleSet = (await rendered())
            .flatMap((plan) => plan.scaleSets)
            .find((candidate) => candidate.name === name)
          if (!scaleSet) throw new Error(`no plan for scale set ${name}`)
          await recover(deps, SCALE_SET_NAMESPACE, name, action.recover)
          // Its runners stop meanwhile; a job that is running fails, as with `deskrun remove`.
          if (action.verb === 'reinstall')
            await helm.uninstall(SCALE_SET_NAMESPACE, name, {onLine: toolOutput(task)})
          await helm.upgradeInstall(
            {
              release: name,
              chart: SCALE_SET_CHART,
              version: deps.config.chartVersion,
              namespace: SCALE_SET_NAMESPACE,
              values: scaleSet.values,
              labels: installationReleaseLabels(action.installation ?? ''),
              step: `deploy the scale set ${name}`,
              hint: `See what the runners do: deskrun status ${action.installation}`,
            },
            {onLine: toolOutput(task)},
          )
        }
      } catch (error) {
        outcome.failed.push({name, installation: action.installation, error})
        throw error
      }
      task.title = `Scale set ${name}: ${done}${action.verb === 'reinstall' ? ` (${action.reasons[0]})` : ''}`
      outcome.changed.push(`scale set ${name} ${done}`)
    },
  }
}

/** Objects of removed scale sets, after the scale sets (ARC's finalizers hold the credentials until then). */
function deleteObjectsStep(deps: Deps, actions: Action[]): ListrTask<ApplyOutcome> {
  return {
    title: `Delete ${actions.map((action) => action.name).join(', ')}`,
    task: async (outcome) => {
      // A removed installation whose scale set could not be uninstalled keeps its objects for the next run.
      const failed = new Set(outcome.failed.map((entry) => entry.installation))
      const deletable = actions.filter((action) => !failed.has(action.installation))
      const byType = new Map<string, string[]>()
      for (const action of deletable) {
        const [kind, name] = action.name.split('/')
        byType.set(kind, [...(byType.get(kind) ?? []), name])
      }
      for (const [kind, names] of byType)
        await deps.tools.kubectl.delete(`${kind}s`, {namespace: SCALE_SET_NAMESPACE, names})
      outcome.changed.push(...deletable.map(changeOf))
    },
  }
}

/**
 * Puts a release that an interrupted helm run left pending or failed back where helm can go on from:
 * rolled back to its last good revision, or uninstalled when it never had one.
 */
async function recover(deps: Deps, namespace: string, name: string, how: Action['recover']): Promise<void> {
  if (how === 'uninstall') await deps.tools.helm.uninstall(namespace, name)
  if (how === 'rollback') await deps.tools.helm.rollback(namespace, name)
}

/**
 * One error for the scale sets that failed, after the others were done: the tool's own error when
 * only one failed (it says which step and what to try), a list otherwise.
 */
export function failedScaleSets(outcome: ApplyOutcome): Error | undefined {
  const {failed} = outcome
  if (failed.length === 0) return undefined
  const interrupted = failed.find(({error}) => error instanceof DeskrunError && error.code === 'INTERRUPTED')
  if (interrupted) return asError(interrupted.error)
  if (failed.length === 1) return asError(failed[0].error)
  const firstLine = (error: unknown) =>
    error instanceof Error ? error.message.split('\n')[0] : String(error)
  const hints = failed.flatMap(({error}) => (error instanceof DeskrunError && error.hint ? [error.hint] : []))
  return new DeskrunError(
    `${failed.length} scale sets could not be deployed; the others were.\n${failed.map(({name, error}) => `  ✗ ${name}: ${firstLine(error)}`).join('\n')}`,
    {
      code: 'SCALE_SETS_FAILED',
      hint: [
        ...new Set(hints),
        'Fix the cause and run deskrun up again: it picks up where this stopped.',
      ].join('\n'),
      cause: failed[0].error,
    },
  )
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)))
