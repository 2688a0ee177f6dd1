import {SCALE_SET_NAMESPACE} from '../arc/charts.js'
import {withClusterLock} from '../cluster/lock.js'
import {loadConfig, markDeployed} from '../config/store.js'
import type {DeskrunConfig} from '../config/types.js'
import {DeskrunError} from '../errors.js'
import {instanceNames} from '../installation/naming.js'
import type {Installation} from '../installation/types.js'
import {INSTALLATION_LABEL, INSTANCE_LABEL} from '../kube.js'
import {findMode} from '../modes/registry.js'
import type {InstallationPlan} from '../plan.js'
import {configPath} from '../settings.js'
import {ensureCluster} from '../tasks/cluster.js'
import {ensureController} from '../tasks/controller.js'
import {newOutcome, planFor, type Deps, type Outcome} from '../tasks/deps.js'
import {DESKRUN_RELEASE_LABELS, installationReleaseLabels} from '../tasks/releases.js'
import {runTasks} from '../tasks/run.js'
import {deployInstallation, removeScaleSets} from '../tasks/scale-sets.js'
import type {ListrTask} from 'listr2'
import {checkPrerequisites, installationProblemsIn, readConfig, type ActionContext} from './context.js'

/** An installation of the config that `up` left alone because its entry cannot be deployed as it is. */
export interface SkippedInstallation {
  installation: string
  problems: string[]
  /** How to fix it, one action a line: commands that work for an installation that exists. */
  hint: string
}

export interface UpResult {
  /** The installations deployed (or found up to date). */
  installations: string[]
  changed: string[]
  unchanged: string[]
  skipped: SkippedInstallation[]
}

/**
 * Makes the cluster match the config: cluster, controller, every scale set (upgraded in place
 * when its values changed), and deskrun's scale sets that the config no longer has uninstalled.
 * Each installation is checked on its own, as `add` checks a new one: one that cannot be deployed
 * is skipped and reported (its scale sets in the cluster are left as they are), the others are
 * brought up. When none can be, nothing runs. The work runs under the cluster lock, from the config
 * as it is once the lock is held (another deskrun may have changed it meanwhile).
 */
export async function up(context: ActionContext): Promise<UpResult> {
  const config = await readConfig(context)
  const checked = planConfig(config, context)
  if (checked.plans.length === 0 && checked.skipped.length > 0)
    return {installations: [], ...newOutcome(), skipped: checked.skipped}
  await checkPrerequisites(context, config)
  return withClusterLock(context, config.clusterName, async () => converge(context, await loadConfig()))
}

/** The plan of every installation that can be deployed, and why each other one cannot. */
function planConfig(
  config: DeskrunConfig,
  context: ActionContext,
): {plans: InstallationPlan[]; skipped: SkippedInstallation[]} {
  const plans: InstallationPlan[] = []
  const skipped: SkippedInstallation[] = []
  for (const installation of Object.values(config.installations)) {
    const checked = planChecked(config, installation, context)
    if ('plan' in checked) plans.push(checked.plan)
    else skipped.push(checked)
  }

  return {plans, skipped}
}

function planChecked(
  config: DeskrunConfig,
  installation: Installation,
  context: ActionContext,
): {plan: InstallationPlan} | SkippedInstallation {
  const {name} = installation
  const fix = [
    `Fix installations.${name} in ${configPath()} and run deskrun up again, or replace it: deskrun remove ${name}, ` +
      `then deskrun add ${name} with the flags corrected.`,
  ]
  try {
    // The registry explains a missing mode best: which plugin provided it and how to get it back.
    findMode(context.modes, installation.mode, {installation: name})
    const problems = installationProblemsIn(config, installation, context.modes)
    if (problems.length > 0)
      return {installation: name, problems, hint: [...fieldNames(problems), ...fix].join('\n')}
    return {plan: planFor(config, installation, context.modes)}
  } catch (error) {
    if (!(error instanceof DeskrunError)) throw error
    return {
      installation: name,
      problems: [error.message],
      hint: [...(error.hint ? [error.hint] : []), ...fix].join('\n'),
    }
  }
}

/** Where the file keeps what the messages call by its flag. */
const FILE_FIELDS: Record<string, string> = {
  '--repository': 'Repository',
  '--mode': 'ContainerMode',
  '--min-runners': 'MinRunners',
  '--max-runners': 'MaxRunners',
  '--instances': 'Instances',
  '--cache': 'CachePaths',
  '--runner-group': 'RunnerGroup',
  '--label': 'Labels',
  '--app-id': 'AppID',
  '--installation-id': 'InstallationID',
}

function fieldNames(problems: string[]): string[] {
  const text = problems.join('\n')
  const named = Object.entries(FILE_FIELDS).filter(([flag]) => new RegExp(`${flag}\\b`).test(text))
  if (named.length === 0) return []
  return [`In the config file, ${named.map(([flag, field]) => `${flag} is ${field}`).join(', ')}.`]
}

async function converge(context: ActionContext, config: DeskrunConfig): Promise<UpResult> {
  const {plans, skipped} = planConfig(config, context)
  const deps: Deps = {config, tools: context.tools(config.clusterName), modes: context.modes}
  const deployed = new Set(plans.map((plan) => plan.installation))
  const tasks: ListrTask<Outcome>[] = [
    ensureCluster(deps, {
      needsCacheMount: plans.some((plan) => plan.caches.length > 0),
    }),
    ensureController(deps),
    pruneOrphans(deps, plans, skipped),
    ...plans.flatMap((plan) => deployInstallation(deps, config.installations[plan.installation])),
  ]
  const outcome = await runTasks(tasks, newOutcome(), {json: context.json})
  await markDeployed([...deployed], true, {onNote: context.note})
  return {installations: [...deployed], ...outcome, skipped}
}

/**
 * Scale sets deskrun deployed that the config no longer names (removed installations, fewer
 * instances). A skipped installation is still in the config: everything of it is left alone.
 */
function pruneOrphans(
  deps: Deps,
  plans: InstallationPlan[],
  skipped: SkippedInstallation[],
): ListrTask<Outcome> {
  const wanted = new Set(plans.flatMap((plan) => plan.scaleSets.map((scaleSet) => scaleSet.name)))
  const installations = new Set(plans.map((plan) => plan.installation))
  const kept = new Set(skipped.map((entry) => entry.installation))
  return {
    title: 'Scale sets no longer in the config',
    task: async (outcome, task) => {
      const {helm} = deps.tools
      for (const name of kept) {
        const stored = deps.config.installations[name]
        const labelled = await helm.releases(SCALE_SET_NAMESPACE, installationReleaseLabels(name))
        for (const release of [...instanceNames(name, stored.instances), ...labelled.map((r) => r.name)])
          wanted.add(release)
      }
      const ours = await helm.releases(SCALE_SET_NAMESPACE, DESKRUN_RELEASE_LABELS)
      const orphans = ours.map((release) => release.name).filter((name) => !wanted.has(name))
      task.title = `Scale sets no longer in the config: ${orphans.length === 0 ? 'none' : orphans.join(', ')}`
      return task.newListr([
        removeScaleSets(deps, {
          title: orphans.length === 0 ? 'Leftover objects' : `Uninstall ${orphans.join(', ')}`,
          releases: orphans,
          isObsolete: (labels) =>
            !kept.has(labels[INSTALLATION_LABEL]) &&
            (!installations.has(labels[INSTALLATION_LABEL]) ||
              (labels[INSTANCE_LABEL] !== undefined && !wanted.has(labels[INSTANCE_LABEL]))),
        }),
      ])
    },
  }
}
