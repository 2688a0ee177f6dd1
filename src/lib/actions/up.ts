import {SCALE_SET_NAMESPACE} from '../arc/charts.js'
import {withClusterLock} from '../cluster/lock.js'
import {loadConfig} from '../config/store.js'
import type {DeskrunConfig} from '../config/types.js'
import {INSTALLATION_LABEL, INSTANCE_LABEL} from '../kube.js'
import type {InstallationPlan} from '../plan.js'
import {ensureCluster} from '../tasks/cluster.js'
import {ensureController} from '../tasks/controller.js'
import {newOutcome, planFor, type Deps, type Outcome} from '../tasks/deps.js'
import {DESKRUN_RELEASE_LABELS} from '../tasks/releases.js'
import {runTasks} from '../tasks/run.js'
import {deployInstallation, removeScaleSets} from '../tasks/scale-sets.js'
import type {ListrTask} from 'listr2'
import {markDeployed} from './add.js'
import {checkPrerequisites, type ActionContext} from './context.js'

export interface UpResult {
  installations: string[]
  changed: string[]
  unchanged: string[]
}

/**
 * Makes the cluster match the config: cluster, controller, every scale set (upgraded in place
 * when its values changed), and deskrun's scale sets that the config no longer has uninstalled.
 * Every plan is made before anything runs, so a config problem changes nothing. The work runs
 * under the cluster lock, from the config as it is once the lock is held (another deskrun may
 * have changed it meanwhile).
 */
export async function up(context: ActionContext): Promise<UpResult> {
  const config = await loadConfig()
  plansFor(config, context) // a config problem stops here, before any check or wait
  await checkPrerequisites(context, config)
  return withClusterLock(context, config.clusterName, async () => converge(context, await loadConfig()))
}

function plansFor(config: DeskrunConfig, context: ActionContext): InstallationPlan[] {
  return Object.values(config.installations).map((installation) =>
    planFor(config, installation, context.modes),
  )
}

async function converge(context: ActionContext, config: DeskrunConfig): Promise<UpResult> {
  const installations = Object.values(config.installations)
  const plans = plansFor(config, context)
  const deps: Deps = {config, tools: context.tools(config.clusterName), modes: context.modes}
  const wanted = new Set(plans.flatMap((plan) => plan.scaleSets.map((scaleSet) => scaleSet.name)))
  const tasks: ListrTask<Outcome>[] = [
    ensureCluster(deps, {
      needsCacheMount: installations.some((installation) => installation.caches.length > 0),
    }),
    ensureController(deps),
    pruneOrphans(deps, wanted, new Set(installations.map((installation) => installation.name))),
    ...installations.flatMap((installation) => deployInstallation(deps, installation)),
  ]
  const outcome = await runTasks(tasks, newOutcome(), {json: context.json})
  await markDeployed(
    installations.map((installation) => installation.name),
    true,
    context,
  )
  return {installations: installations.map((installation) => installation.name), ...outcome}
}

/** Scale sets deskrun deployed that the config no longer names (removed installations, fewer instances). */
function pruneOrphans(deps: Deps, wanted: Set<string>, installations: Set<string>): ListrTask<Outcome> {
  return {
    title: 'Scale sets no longer in the config',
    task: async (outcome, task) => {
      const ours = await deps.tools.helm.releases(SCALE_SET_NAMESPACE, DESKRUN_RELEASE_LABELS)
      const orphans = ours.map((release) => release.name).filter((name) => !wanted.has(name))
      task.title = `Scale sets no longer in the config: ${orphans.length === 0 ? 'none' : orphans.join(', ')}`
      return task.newListr([
        removeScaleSets(deps, {
          title: orphans.length === 0 ? 'Leftover objects' : `Uninstall ${orphans.join(', ')}`,
          releases: orphans,
          isObsolete: (labels) =>
            !installations.has(labels[INSTALLATION_LABEL]) ||
            (labels[INSTANCE_LABEL] !== undefined && !wanted.has(labels[INSTANCE_LABEL])),
        }),
      ])
    },
  }
}
