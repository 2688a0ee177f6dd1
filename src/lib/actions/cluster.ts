import {hasCacheMount} from '../cluster/kind-config.js'
import {withClusterLock} from '../cluster/lock.js'
import {ensureCluster, deleteCluster, nodeContainer} from '../tasks/cluster.js'
import {newOutcome, type Deps} from '../tasks/deps.js'
import {runTasks} from '../tasks/run.js'
import {unlessFailed, type NodeReadiness} from '../tools/index.js'
import {requireTools, type ToolName} from '../tools/prerequisites.js'
import {NODE_CACHE_ROOT, kubeContext} from '../settings.js'
import {markDeployed} from '../config/store.js'
import {checkPrerequisites, readConfig, type ActionContext} from './context.js'

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
  const deps = await clusterDeps(context)
  const outcome = await withClusterLock(context, deps.config.clusterName, async () => {
    const deleted = await runTasks([deleteCluster(deps)], newOutcome(), {json: context.json})
    await markDeployed(Object.keys(deps.config.installations), false, {onNote: context.note})
    return deleted
  })
  return {cluster: deps.config.clusterName, changed: outcome.changed}
}

export type NodeStatus = NodeReadiness

export interface ClusterStatus {
  name: string
  context: string
  exists: boolean
  nodes: NodeStatus[]
  /** Whether the node mounts the cache root from this machine (undefined: could not tell). */
  cacheMount?: boolean
  cacheRoot: string
}

export async function clusterStatus(context: ActionContext): Promise<ClusterStatus> {
  const deps = await clusterDeps(context, ['docker', 'kind', 'kubectl'])
  return readClusterStatus(deps)
}

export async function readClusterStatus(deps: Deps): Promise<ClusterStatus> {
  const {clusterName, cacheRoot} = deps.config
  const status: ClusterStatus = {
    name: clusterName,
    context: kubeContext(clusterName),
    exists: await deps.tools.kind.exists(clusterName),
    nodes: [],
    cacheRoot,
  }
  if (!status.exists) return status
  const mounts = await unlessFailed(deps.tools.docker.mounts(nodeContainer(clusterName)))
  status.cacheMount = mounts ? hasCacheMount(mounts, cacheRoot, NODE_CACHE_ROOT) : undefined
  status.nodes = await deps.tools.kubectl.nodes()
  return status
}

async function clusterDeps(
  context: ActionContext,
  tools: readonly ToolName[] = ['docker', 'kind'],
): Promise<Deps> {
  const config = await readConfig(context)
  await requireTools(tools)
  return {config, tools: context.tools(config.clusterName), modes: context.modes}
}
