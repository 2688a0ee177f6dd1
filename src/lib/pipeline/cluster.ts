import type {ListrTask} from 'listr2'

import {createCacheRoot} from '../adapters/cache-root.js'
import {hostMountSources} from '../domain/installation/mounts.js'
import {hasCacheMount, kindClusterConfig, nodeMounts} from '../domain/kind-config.js'
import {DeskrunError} from '../domain/errors.js'
import {mountBlockers, type MountNeeds} from '../domain/reconcile/mounts.js'
import {blockersError} from '../domain/reconcile/plan.js'
import {NODE_CACHE_ROOT, isKindCluster, targetContext} from '../domain/settings.js'
import {unlessFailed, type NodeReadiness} from '../adapters/tools/index.js'
import type {Deps, Outcome} from './deps.js'
import {toolOutput} from './run.js'

export function nodeContainer(clusterName: string): string {
  return `${clusterName}-control-plane`
}

/**
 * Creates the kind cluster when it is missing; an existing one (or one another deskrun created
 * meanwhile) is checked for the mounts: the cache root when `needsCacheMount`, and every `--mount`.
 */
export function ensureCluster(deps: Deps, options: {needsCacheMount: boolean}): ListrTask<Outcome> {
  const {clusterName} = deps.config
  const needs: MountNeeds = {
    caches: options.needsCacheMount,
    hostMounts: hostMountSources(Object.values(deps.config.installations)),
  }
  return {
    title: `Cluster ${clusterName}`,
    task: async (outcome, task) => {
      if (await deps.tools.kind.exists(clusterName)) {
        await requireMounts(deps, needs)
        task.title = `Cluster ${clusterName}: exists`
        outcome.unchanged.push(`cluster ${clusterName}`)
        return
      }
      task.title = `Cluster ${clusterName}: creating (this takes a minute)`
      const created = await createKindCluster(deps, task)
      if (!created) await requireMounts(deps, needs)
      task.title = `Cluster ${clusterName}: ${created ? 'created' : 'exists (created by another deskrun meanwhile)'}`
      if (created) outcome.changed.push(`cluster ${clusterName} created`)
      else outcome.unchanged.push(`cluster ${clusterName}`)
    },
  }
}

/**
 * Creates the cache root and the kind cluster that mounts it. False when another deskrun started at
 * the same time won the race ("node(s) already exist").
 */
export async function createKindCluster(deps: Deps, task: {output?: unknown}): Promise<boolean> {
  const {clusterName, cacheRoot} = deps.config
  const hostMounts = hostMountSources(Object.values(deps.config.installations))
  const config = kindClusterConfig({cacheRoot, nodeCacheRoot: NODE_CACHE_ROOT, hostMounts})
  await createCacheRoot(cacheRoot)
  try {
    await deps.tools.kind.createCluster(clusterName, config, {onLine: toolOutput(task)})
    return true
  } catch (error) {
    if (await createdMeanwhile(deps, error)) return false
    throw error
  }
}

async function createdMeanwhile(deps: Deps, error: unknown): Promise<boolean> {
  if (!(error instanceof DeskrunError) || error.code !== 'TOOL_FAILED') return false
  return deps.tools.kind.exists(deps.config.clusterName).catch(() => false)
}

/**
 * A cluster deskrun did not just create must mount what the installations need, by the planner's rule:
 * caches only survive on the host if the node sees the cache root through its extraMount (a hostPath
 * would otherwise land in the node container and vanish with it), and a `--mount` must reach the node.
 */
export async function requireMounts(deps: Deps, needs: MountNeeds): Promise<void> {
  const {clusterName, cacheRoot} = deps.config
  // A node that Docker cannot inspect has no mount to show.
  const node = await unlessFailed(deps.tools.docker.inspect(nodeContainer(clusterName)))
  const blocked = blockersError({
    blockers: mountBlockers(
      deps.config,
      needs,
      node ? nodeMounts(node.mounts, cacheRoot) : {cacheMount: false, hostMounts: []},
    ),
  })
  if (blocked) throw blocked
}

export function deleteCluster(deps: Deps): ListrTask<Outcome> {
  const {clusterName} = deps.config
  return {
    title: `Delete cluster ${clusterName}`,
    task: async (outcome, task) => {
      if (!(await deps.tools.kind.exists(clusterName))) {
        task.title = `Cluster ${clusterName}: not found, nothing to delete`
        outcome.unchanged.push(`cluster ${clusterName}`)
        return
      }
      await deps.tools.kind.deleteCluster(clusterName, {onLine: toolOutput(task)})
      task.title = `Cluster ${clusterName}: deleted`
      outcome.changed.push(`cluster ${clusterName} deleted`)
    },
  }
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
  /** An existing cluster named by kube context (not deskrun's kind cluster): caches live on its nodes. */
  existing?: boolean
}

/** What `cluster status` and `status` show of the cluster: there, its nodes, its cache mount. */
export async function readClusterStatus(deps: Deps): Promise<ClusterStatus> {
  const {clusterName, cacheRoot} = deps.config
  const context = targetContext(deps.config)
  if (!isKindCluster(deps.config)) {
    // There by definition; "exists" says whether it answers.
    const reachable = (await unlessFailed(deps.tools.kubectl.serverVersion())) !== undefined
    const nodes = reachable ? await deps.tools.kubectl.nodes() : []
    return {name: context, context, exists: reachable, nodes, cacheRoot, existing: true}
  }
  const status: ClusterStatus = {
    name: clusterName,
    context,
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
