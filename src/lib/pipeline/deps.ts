import type {DeskrunConfig} from '../domain/config/types.js'
import type {Installation} from '../domain/installation/types.js'
import type {KubernetesVersion} from '../domain/kube.js'
import {findMode, type ModeRegistry} from '../domain/modes/registry.js'
import type {InstallationPlan} from '../domain/plan.js'
import {isKindCluster} from '../domain/settings.js'
import type {Tools} from '../adapters/tools/index.js'

/** What every pipeline step works with. */
export interface Deps {
  config: DeskrunConfig
  tools: Tools
  modes: ModeRegistry
  /** Asked of the cluster once per command, when first needed (see `kubernetesVersion` in cluster.ts). */
  kubernetesVersion?: Promise<KubernetesVersion>
}

/**
 * The plan of one installation. Before deskrun has reached the cluster (to check the config) it has no
 * Kubernetes version; the plan it deploys is made with it, as modes may render differently for it.
 * The planner is loaded here, when first asked: it checks what modes render with kubernetes-models and
 * the chart values with ajv, which no command that plans nothing should load.
 */
export async function planFor(
  config: DeskrunConfig,
  installation: Installation,
  modes: ModeRegistry,
  kubernetesVersion?: KubernetesVersion,
): Promise<InstallationPlan> {
  const {planInstallation} = await import('../domain/plan.js')
  const {clusterName, cacheRoot, chartVersion, networkDefaults} = config
  return planInstallation(
    installation,
    {
      clusterName,
      cacheRoot,
      chartVersion,
      kubernetesVersion,
      existingCluster: !isKindCluster(config),
      networkDefaults,
    },
    findMode(modes, installation.mode),
  )
}

/** What the steps report back, for the summary a command prints (and its --json result). */
export interface Outcome {
  changed: string[]
  unchanged: string[]
}

export function newOutcome(): Outcome {
  return {changed: [], unchanged: []}
}
