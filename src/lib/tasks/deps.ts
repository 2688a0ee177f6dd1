import type {DeskrunConfig} from '../config/types.js'
import type {Installation} from '../installation/types.js'
import type {KubernetesVersion} from '../kube.js'
import {findMode, type ModeRegistry} from '../modes/registry.js'
import {planInstallation, type InstallationPlan} from '../plan.js'
import type {Tools} from '../tools/index.js'

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
 */
export function planFor(
  config: DeskrunConfig,
  installation: Installation,
  modes: ModeRegistry,
  kubernetesVersion?: KubernetesVersion,
): InstallationPlan {
  const {clusterName, cacheRoot, chartVersion} = config
  return planInstallation(
    installation,
    {clusterName, cacheRoot, chartVersion, kubernetesVersion},
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
