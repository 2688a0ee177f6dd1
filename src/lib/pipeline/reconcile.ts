/**
 * Observe, plan, apply: what `up`, `add` and `remove` share. Each says which installations it deploys,
 * keeps or removes; the cluster is read once, the plan is a pure function of that, and applying it
 * runs only the actions the plan lists.
 */
import {missingNodes, pinToNodes, type Pinning} from '../domain/installation/nodes.js'
import type {Installation} from '../domain/installation/types.js'
import type {KubernetesVersion} from '../domain/kube.js'
import type {Observation} from '../domain/reconcile/observation.js'
import {blockersError, planChanges, type Desired, type Plan} from '../domain/reconcile/plan.js'
import {applySteps, newApplyOutcome, type ApplyOptions, type ApplyOutcome} from './apply.js'
import {planFor, type Deps} from './deps.js'
import {observe} from './observe.js'
import {runTasks, type ProgressOptions} from './run.js'

export interface ReconcileRequest {
  /** The installations to deploy. */
  installations: Installation[]
  /** The config's other installations, left as they are: where they run counts when pinning to nodes. */
  others?: Installation[]
  kept: Desired['kept']
  removed?: Desired['removed']
  scope?: string[]
  ensure: boolean
  /** Also compare with the live AutoscalingRunnerSets (`up --refresh`). */
  refresh?: boolean
}

export interface Reconciliation {
  observation: Observation
  plan: Plan
  /** The installations the plan deploys, pinned to nodes where the cluster has several. */
  installations: Installation[]
  /** Pins chosen now (installation -> instance -> node), for the config to keep. */
  assigned: Pinning['assigned']
}

/** Reads the cluster (shown as a step) and plans what would make it match the request. */
export async function observeAndPlan(
  deps: Deps,
  request: ReconcileRequest,
  progress: ProgressOptions,
): Promise<Reconciliation> {
  const {clusterName} = deps.config
  const read = await runTasks<{observation?: Observation}>(
    [
      {
        title: `Cluster ${clusterName}: reading`,
        task: async (ctx, task) => {
          ctx.observation = await observe(deps, {refresh: request.refresh})
          task.title = `Cluster ${clusterName}: ${summary(ctx.observation)}`
        },
      },
    ],
    {},
    progress,
  )
  const observation = read.observation as Observation
  const nodes = observation.cluster.nodes ?? []
  const {installations, assigned} = pinToNodes(request.installations, nodes, request.others)
  const wanted = {...request, installations}
  const plan = planChanges(await desired(deps, wanted, observation.cluster.kubernetesVersion), observation)
  if (nodes.length > 0)
    for (const {installation, node} of missingNodes(installations, nodes))
      plan.blockers.push({
        code: 'NODE_MISSING',
        message: `${installation} is pinned to the node "${node}", which the cluster does not have (Ready nodes: ${nodes.join(', ')}).`,
        hint: `Pick one of them: deskrun remove ${installation}, then deskrun add ${installation} ... --node NODE`,
      })
  return {observation, plan, installations, assigned}
}

function summary({cluster, releases}: Observation): string {
  if (!cluster.exists) return 'not found'
  if (!cluster.running) return 'stopped'
  const count = `${releases.length} Helm release${releases.length === 1 ? '' : 's'}`
  return `Kubernetes ${cluster.kubernetesVersion?.gitVersion ?? '?'}, ${count}`
}

async function desired(deps: Deps, request: ReconcileRequest, version?: KubernetesVersion): Promise<Desired> {
  const {clusterName, cacheRoot, chartVersion} = deps.config
  return {
    clusterName,
    cacheRoot,
    chartVersion,
    installations: await Promise.all(
      request.installations.map((one) => planFor(deps.config, one, deps.modes, version)),
    ),
    kept: request.kept,
    removed: request.removed,
    scope: request.scope,
    ensure: request.ensure,
  }
}

/**
 * Applies the plan. Scale sets that fail do not stop the others; the error then names them all, and
 * `outcome` (the caller's, so it is there after an error too) tells what did succeed.
 */
export async function applyPlan(
  deps: Deps,
  reconciliation: Reconciliation,
  options: ProgressOptions & Pick<ApplyOptions, 'concurrency' | 'force' | 'waitMs'>,
  outcome: ApplyOutcome = newApplyOutcome(),
): Promise<ApplyOutcome> {
  const blocked = blockersError(reconciliation.plan)
  if (blocked) throw blocked
  outcome.unchanged.push(...reconciliation.plan.unchanged)
  const steps = applySteps(deps, reconciliation.plan, {
    ...options,
    installations: reconciliation.installations,
  })
  return runTasks(steps, outcome, options)
}
