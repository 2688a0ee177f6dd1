/**
 * The deploy that add, set, pause and resume share. Apart from context.ts, which every command loads:
 * this one brings the pipeline (listr2, the tool adapters) with it.
 */
import {withClusterLock} from '../adapters/cluster-lock.js'
import {markDeployed} from '../adapters/config-store.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import type {Deps} from '../pipeline/deps.js'
import {applyPlan, observeAndPlan, type ReconcileRequest} from '../pipeline/reconcile.js'
import {recordNodePins, type ActionContext} from './context.js'

/**
 * Brings the named installations of the saved config into the cluster, under the cluster lock, as `up`
 * would but for them alone (add, set, pause and resume). `ensure`: create the cluster and controller
 * when missing; without it, nothing is done where there is no cluster (`applied` false). Deployed
 * installations are marked so in the config.
 */
export async function deployScoped(
  context: ActionContext,
  saved: DeskrunConfig,
  names: string[],
  {ensure}: {ensure: boolean},
): Promise<{applied: boolean; changed: string[]}> {
  const deps: Deps = {config: saved, tools: context.tools(saved), modes: context.modes}
  const request: ReconcileRequest = {
    installations: names.map((name) => saved.installations[name]),
    others: Object.values(saved.installations).filter((other) => !names.includes(other.name)),
    kept: [],
    scope: names,
    ensure,
  }
  const progress = {json: context.json}
  return withClusterLock(context, saved.clusterName, async () => {
    const planned = await observeAndPlan(deps, request, progress)
    if (!ensure && !planned.observation.cluster.exists) return {applied: false, changed: []}
    await recordNodePins(context, planned.assigned)
    const {changed} = await applyPlan(deps, planned, progress)
    await markDeployed(names, true, {onNote: context.note})
    return {applied: true, changed}
  })
}
