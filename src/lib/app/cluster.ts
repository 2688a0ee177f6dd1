import {existsSync} from 'node:fs'

import {withClusterLock} from '../adapters/cluster-lock.js'
import {ensureCluster, deleteCluster, readClusterStatus, type ClusterStatus} from '../pipeline/cluster.js'
import {newOutcome, type Deps} from '../pipeline/deps.js'
import {runTasks} from '../pipeline/run.js'
import {requireTools, type ToolName} from '../adapters/tools/prerequisites.js'
import {markDeployed, updateConfig} from '../adapters/config-store.js'
import {probe, reason} from '../adapters/tools/index.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {DeskrunError, UsageError} from '../domain/errors.js'
import {isKindCluster, targetContext} from '../domain/settings.js'
import {ensureWritableHome} from '../adapters/deskrun-home.js'
import {checkPrerequisites, explainFailure, readConfig, type ActionContext} from './context.js'

export interface ClusterResult {
  cluster: string
  changed: string[]
}

export async function createCluster(context: ActionContext): Promise<ClusterResult> {
  const config = await readConfig(context)
  requireKindCluster(config, 'create')
  await checkPrerequisites(context, config, ['docker', 'kind'])
  const deps: Deps = {config, tools: context.tools(config), modes: context.modes}
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
  requireKindCluster(deps.config, 'delete')
  const outcome = await withClusterLock(context, deps.config.clusterName, async () => {
    const deleted = await runTasks([deleteCluster(deps)], newOutcome(), {json: context.json})
    await markDeployed(Object.keys(deps.config.installations), false, {onNote: context.note})
    return deleted
  })
  return {cluster: deps.config.clusterName, changed: outcome.changed}
}

export async function clusterStatus(context: ActionContext): Promise<ClusterStatus> {
  const config = await readConfig(context)
  await requireTools(isKindCluster(config) ? ['docker', 'kind', 'kubectl'] : ['kubectl'])
  return readClusterStatus({config, tools: context.tools(config), modes: context.modes}).catch(
    async (error: unknown) => {
      throw await explainFailure(context, config, error)
    },
  )
}

/** An existing cluster is the user's: deskrun never creates or deletes it. */
function requireKindCluster(config: DeskrunConfig, verb: 'create' | 'delete'): void {
  if (isKindCluster(config)) return
  throw new UsageError(
    `deskrun uses the existing cluster of kube context "${config.kubeContext}" (deskrun cluster use), and never ${verb}s it.`,
    {
      hint: `To ${verb} deskrun's own kind cluster "${config.clusterName}", switch back first: deskrun cluster use --kind`,
    },
  )
}

export interface UseResult {
  /** The kube context deskrun now uses. */
  context: string
  /** deskrun's own kind cluster (false: an existing cluster). */
  kind: boolean
  kubernetesVersion?: string
}

/**
 * Points deskrun at an existing cluster by kube context (checked to answer first; nothing is saved
 * otherwise), or back at its own kind cluster. Installations are then not deployed there yet: `up`.
 */
export async function useCluster(
  context: ActionContext,
  target: {kubeContext?: string; kubeconfig?: string},
): Promise<UseResult> {
  const config = await readConfig(context)
  let kubernetesVersion: string | undefined
  if (target.kubeContext) {
    if (target.kubeconfig && !existsSync(target.kubeconfig))
      throw new UsageError(`There is no kubeconfig file ${target.kubeconfig}.`, {
        hint: 'Give the path of the file that holds the context: --kubeconfig FILE',
      })
    await requireTools(['kubectl'])
    const tools = context.tools({clusterName: config.clusterName, ...target})
    const answer = await probe(tools.kubectl.serverVersion())
    if (!answer.ok)
      throw new DeskrunError(
        `The cluster of kube context "${target.kubeContext}" does not answer: ${reason(answer.error)}`,
        {
          code: 'CLUSTER_UNREACHABLE',
          hint: `Nothing was changed. Check it with: kubectl --context ${target.kubeContext} get nodes (kubectl config get-contexts lists the contexts)`,
        },
      )
    kubernetesVersion = answer.value.gitVersion
  }
  await updateConfig(
    (current) => {
      const {kubeContext: _context, kubeconfig: _kubeconfig, ...rest} = current
      const installations = Object.fromEntries(
        Object.entries(current.installations).map(([name, one]) => [name, {...one, deployed: false}]),
      )
      return {...rest, ...(target.kubeContext ? target : {}), installations}
    },
    {onNote: context.note},
  )
  const now = {...config, kubeContext: target.kubeContext, kubeconfig: target.kubeconfig}
  return {
    context: targetContext(now),
    kind: !target.kubeContext,
    ...(kubernetesVersion ? {kubernetesVersion} : {}),
  }
}

async function clusterDeps(
  context: ActionContext,
  tools: readonly ToolName[] = ['docker', 'kind'],
): Promise<Deps> {
  const config = await readConfig(context)
  await requireTools(tools)
  return {config, tools: context.tools(config), modes: context.modes}
}
