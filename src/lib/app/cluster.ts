import {withClusterLock} from '../adapters/cluster-lock.js'
import {ensureCluster, deleteCluster, readClusterStatus, type ClusterStatus} from '../pipeline/cluster.js'
import {newOutcome, type Deps} from '../pipeline/deps.js'
import {runTasks} from '../pipeline/run.js'
import {requireTools, type ToolName} from '../adapters/tools/prerequisites.js'
import {markDeployed} from '../adapters/config-store.js'
import {ensureWritableHome} from '../adapters/deskrun-home.js'
import {checkPrerequisites, explainFailure, readConfig, type ActionContext} from './context.js'

export interface ClusterResult {
  cluster: string
  changed: string[]
}

export async function createCluster(context: ActionContext): Promise<ClusterResult> {
  const config = await readConfig(context)
  await checkPrerequisites(context, config, ['docker', 'kind'])
  const deps: Deps = {config, tools: context.tools(config.clusterName), modes: context.modes}
  // An explicit create always checks the cache mount, so an old cluster without it is reported.
  const outcome = await withClusterLock(context, config.clusterName, () =>
    runTasks([ensureCluster(deps, {needsCacheMount: true})], newOutcome(), {json: context.json}),
  )
  return {cluster: deps.config.clusterName, changed: outcome.changed}
}

/** Deletes the cluster only: the config and the caches on disk stay, so `deskrun up` rebuilds it. */
export async function removeCluster(context: ActionContext): Promise<ClusterResult> {
  await ensureWritableHome()
  const deps = await clusterDeps(context)
  const outcome = await withClusterLock(context, deps.config.clusterName, async () => {
    const deleted = await runTasks([deleteCluster(deps)], newOutcome(), {json: context.json})
    await markDeployed(Object.keys(deps.config.installations), false, {onNote: context.note})
    return deleted
  })
  return {cluster: deps.config.clusterName, changed: outcome.changed}
}

export async function clusterStatus(context: ActionContext): Promise<ClusterStatus> {
  const deps = await clusterDeps(context, ['docker', 'kind', 'kubectl'])
  return readClusterStatus(deps).catch(async (error: unknown) => {
    throw await explainFailure(context, deps.config, error)
  })
}

async function clusterDeps(
  context: ActionContext,
  tools: readonly ToolName[] = ['docker', 'kind'],
): Promise<Deps> {
  const config = await readConfig(context)
  await requireTools(tools)
  return {config, tools: context.tools(config.clusterName), modes: context.modes}
}
