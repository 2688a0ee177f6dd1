import {withClusterLock} from '../adapters/cluster-lock.js'
import {loadConfig, markDeployed} from '../adapters/config-store.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {DeskrunError} from '../domain/errors.js'
import {instanceNames} from '../domain/installation/naming.js'
import type {Installation} from '../domain/installation/types.js'
import {findMode} from '../domain/modes/registry.js'
import type {InstallationPlan} from '../domain/plan.js'
import {describeAction, hasChanges, type Action, type Blocker, type Plan} from '../domain/reconcile/plan.js'
import {configPath} from '../domain/settings.js'
import {deployedBy, newApplyOutcome} from '../pipeline/apply.js'
import {newOutcome, planFor, type Deps} from '../pipeline/deps.js'
import {applyPlan, observeAndPlan, type ReconcileRequest} from '../pipeline/reconcile.js'
import {
  checkPrerequisites,
  installationProblemsIn,
  installationWarningsIn,
  readConfig,
  recordNodePins,
  type ActionContext,
} from './context.js'

/** An installation of the config that `up` left alone because its entry cannot be deployed as it is. */
export interface SkippedInstallation {
  installation: string
  problems: string[]
  /** How to fix it, one action a line: commands that work for an installation that exists. */
  hint: string
}

export interface UpOptions {
  /** Only plan: print what would change, change nothing. */
  dryRun?: boolean
  /** How many scale sets are deployed at once. */
  concurrency?: number
  /** Also check the live scale set objects, not only Helm's records. */
  refresh?: boolean
  /** An ARC upgrade does not wait for running jobs. */
  force?: boolean
}

/** The plan as `up --dry-run --json` prints it. */
export interface PlanView {
  /** Whether `up` would change anything. */
  changes: boolean
  actions: (Action & {description: string})[]
  /** What stops `up`, with the fix. */
  blockers: Blocker[]
  unchanged: string[]
  /** The controller's chart version changes: ARC is taken down and installed again. */
  arcUpgrade?: Plan['arcUpgrade']
}

export interface UpResult {
  /** The installations deployed (or found up to date); with --dry-run, those that would be. */
  installations: string[]
  changed: string[]
  unchanged: string[]
  skipped: SkippedInstallation[]
  /** Those of `installations` that are paused: deployed with no runners until `deskrun resume`. */
  paused: string[]
  /** With --dry-run: what `up` would do. */
  plan?: PlanView
}

/**
 * Makes the cluster match the config: cluster, controller, every scale set (upgraded in place
 * when its values changed), and deskrun's scale sets that the config no longer has uninstalled.
 * Each installation is checked on its own, as `add` checks a new one: one that cannot be deployed
 * is skipped and reported (its scale sets in the cluster are left as they are), the others are
 * brought up. When none can be, nothing runs. The work runs under the cluster lock, from the config
 * as it is once the lock is held (another deskrun may have changed it meanwhile).
 */
export async function up(context: ActionContext, options: UpOptions = {}): Promise<UpResult> {
  const config = await readConfig(context)
  const checked = await planConfig(config, context)
  if (checked.plans.length === 0 && checked.skipped.length > 0)
    return {installations: [], ...newOutcome(), skipped: checked.skipped, paused: []}
  for (const plan of checked.plans)
    for (const warning of installationWarningsIn(config, config.installations[plan.installation]))
      context.note(`${plan.installation}: ${warning}`)
  // A dry run only reads: it never installs a tool, and needs no lock.
  await checkPrerequisites(context, config, undefined, {readOnly: options.dryRun})
  if (options.dryRun) return converge(context, config, options)
  return withClusterLock(context, config.clusterName, async () =>
    converge(context, await loadConfig(), options),
  )
}

function planView(plan: Plan): PlanView {
  return {
    changes: hasChanges(plan),
    actions: plan.actions.map((action) => ({...action, description: describeAction(action)})),
    blockers: plan.blockers,
    unchanged: plan.unchanged,
    ...(plan.arcUpgrade ? {arcUpgrade: plan.arcUpgrade} : {}),
  }
}

/** The plan of every installation that can be deployed, and why each other one cannot. */
async function planConfig(
  config: DeskrunConfig,
  context: ActionContext,
): Promise<{plans: InstallationPlan[]; skipped: SkippedInstallation[]}> {
  const plans: InstallationPlan[] = []
  const skipped: SkippedInstallation[] = []
  for (const installation of Object.values(config.installations)) {
    const checked = await planChecked(config, installation, context)
    if ('plan' in checked) plans.push(checked.plan)
    else skipped.push(checked)
  }

  return {plans, skipped}
}

async function planChecked(
  config: DeskrunConfig,
  installation: Installation,
  context: ActionContext,
): Promise<{plan: InstallationPlan} | SkippedInstallation> {
  const {name} = installation
  const fix = [
    `Fix installations.${name} in ${configPath()} and run deskrun up again, or change it: deskrun set ${name} ` +
      `with the flags corrected (deskrun set --help), or replace it: deskrun remove ${name}, then deskrun add ${name}.`,
  ]
  try {
    // The registry explains a missing mode best: which plugin provided it and how to get it back.
    findMode(context.modes, installation.mode, {installation: name})
    const problems = installationProblemsIn(config, installation, context.modes)
    if (problems.length > 0)
      return {installation: name, problems, hint: [...fieldNames(problems), ...fix].join('\n')}
    return {plan: await planFor(config, installation, context.modes)}
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
  '--cpus': 'CPUs',
  '--memory': 'Memory',
}

function fieldNames(problems: string[]): string[] {
  const text = problems.join('\n')
  const named = Object.entries(FILE_FIELDS).filter(([flag]) => new RegExp(`${flag}\\b`).test(text))
  if (named.length === 0) return []
  return [`In the config file, ${named.map(([flag, field]) => `${flag} is ${field}`).join(', ')}.`]
}

async function converge(
  context: ActionContext,
  config: DeskrunConfig,
  options: UpOptions,
): Promise<UpResult> {
  const {plans, skipped} = await planConfig(config, context)
  const deps: Deps = {config, tools: context.tools(config), modes: context.modes}
  const request: ReconcileRequest = {
    installations: plans.map((plan) => config.installations[plan.installation]),
    others: skipped.map(({installation}) => config.installations[installation]),
    kept: skipped.map(({installation}) => ({
      installation,
      releases: instanceNames(installation, config.installations[installation].instances),
    })),
    // From a config without installations there is nothing to bring up (no cluster, no controller);
    // only scale sets deskrun deployed earlier are uninstalled.
    ensure: Object.keys(config.installations).length > 0,
    refresh: options.refresh,
  }
  const progress = {json: context.json}
  const reconciliation = await observeAndPlan(deps, request, progress)
  const installations = plans.map((plan) => plan.installation)
  const paused = installations.filter((name) => config.installations[name].paused)
  const result = {installations, skipped, paused}
  if (options.dryRun) return {...result, changed: [], unchanged: [], plan: planView(reconciliation.plan)}
  const outcome = newApplyOutcome()
  let finished = false
  try {
    const {concurrency, force} = options
    await recordNodePins(context, reconciliation.assigned)
    await applyPlan(
      deps,
      reconciliation,
      {...progress, concurrency, force, waitMs: context.timeoutMs},
      outcome,
    )
    finished = true
  } finally {
    // What did succeed is deployed, whatever else failed.
    await markDeployed(deployedBy(outcome, result.installations, finished), true, {onNote: context.note})
  }
  return {...result, changed: outcome.changed, unchanged: outcome.unchanged}
}
