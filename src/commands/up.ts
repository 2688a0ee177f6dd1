import * as Flags from '@oclif/core/flags'

import type {PlanView} from '../lib/app/up.js'
import {BaseCommand} from '../lib/cli/base-command.js'
import {ExitCode} from '../lib/domain/errors.js'
import {yesFlag} from '../lib/cli/flags.js'
import {redact} from '../lib/domain/redact.js'
import {DEFAULT_CONCURRENCY} from '../lib/domain/settings.js'
import {NO_INSTALLATIONS} from '../lib/cli/get-started.js'

export default class Up extends BaseCommand {
  static override summary = 'Make the cluster match the config: cluster, controller and every scale set.'
  static override description = `Creates what is missing, upgrades in place what changed (helm upgrade), and uninstalls scale sets that deskrun deployed and the config no longer names. Running it again changes nothing.

Use it after a reboot, after \`deskrun cluster delete\`, or after editing the config.

When the controller's chart version changes (a new deskrun, or \`chart_version\` in the config), \`up\` upgrades ARC as ARC requires: it waits until no job runs (or --force), uninstalls every scale set, the controller and ARC's CRDs (helm does not upgrade CRDs), and installs it all again at the new version, so no scale set ever runs against a controller of another version.

It reads the cluster once (the kind node, Helm's release records and deskrun's objects), plans what would make it match the config, and does only that: cluster and controller first, then the scale sets, several at once (--concurrency). A scale set that fails does not stop the others. \`--dry-run\` prints the plan, each action with its reason, and changes nothing. Its exit code is 0 when everything is up to date, 3 when there are changes to make, 1 when something stops \`up\` (e.g. the cluster lacks the cache mount).

Each installation is checked as \`deskrun add\` checks a new one. One that cannot be deployed as it is (say, edited by hand into something invalid, or using a mode whose plugin is gone) is skipped and reported with how to fix it, and its scale sets in the cluster are left as they are; the others are brought up, and the exit code is 1. Their entries in the config are never changed by this.`
  static override examples = [
    {description: 'Bring everything back after a reboot:', command: '<%= config.bin %> <%= command.id %>'},
    {
      description: 'See what it would do, change nothing:',
      command: '<%= config.bin %> <%= command.id %> --dry-run',
    },
    {
      description: 'In a script: is anything to do? (0: no, 3: yes)',
      command: '<%= config.bin %> <%= command.id %> --dry-run --json > plan.json; echo $?',
    },
    {description: 'For scripts:', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  static override enableJsonFlag = true
  static override flags = {
    ...yesFlag,
    'dry-run': Flags.boolean({
      summary: 'Print what would change, and why; change nothing.',
      description:
        'Exit code: 0 when everything is up to date, 3 when there are changes to make, 1 when something stops `up`.',
    }),
    force: Flags.boolean({
      summary: 'Upgrade ARC now, without waiting for running jobs (they fail).',
      description:
        "When the controller's chart version changes (a new deskrun, or chart_version in the config), up first waits until no runner has a job (at most --timeout), as every scale set is uninstalled around the upgrade.",
    }),
    refresh: Flags.boolean({
      summary: "Also check the scale sets' objects in the cluster, not only Helm's records of them.",
      description:
        "Helm's release records tell each scale set's chart and values (a release changed by hand with helm shows there too), and up trusts them. A scale set whose AutoscalingRunnerSet was deleted by hand (kubectl delete) is found only with --refresh, which lists them (one more call) and upgrades the release to put it back.",
    }),
    concurrency: Flags.integer({
      summary: 'How many scale sets to deploy at once.',
      default: DEFAULT_CONCURRENCY,
      min: 1,
      max: 32,
    }),
  }

  async run() {
    const started = performance.now()
    const {flags} = await this.parse(Up)
    const {up} = await import('../lib/app/up.js')
    const {elapsedSince} = await import('../lib/pipeline/run.js')
    const result = await up(await this.actionContext(flags), {
      dryRun: flags['dry-run'],
      concurrency: flags.concurrency,
      refresh: flags.refresh,
      force: flags.force,
    })
    const {skipped} = result
    if (result.plan) this.showPlan(result.plan)
    else if (result.installations.length === 0 && skipped.length === 0) this.log(NO_INSTALLATIONS)
    else if (result.installations.length === 0) this.log('Nothing was deployed.')
    else {
      const took = await elapsedSince(started)
      if (result.changed.length === 0)
        this.log(`Everything is up to date; nothing changed${took ? ` (${took})` : ''}.`)
      else this.log(`Done${took ? ` in ${took}` : ''}: ${result.changed.join('; ')}.`)
    }
    if (result.paused.length > 0)
      this.log(
        `Paused, so taking no new jobs: ${result.paused.join(', ')}. deskrun resume ${result.paused.length === 1 ? result.paused[0] : 'NAME'} takes jobs again.`,
      )
    if (skipped.length > 0) {
      const lines = [
        '\nNot deployed (their entries stay in the config as they are, and so do scale sets they already have in the cluster):',
        ...skipped.flatMap((entry) => [
          `  ${entry.installation}`,
          ...entry.problems.map((problem) => `    - ${problem}`),
          '    Try this:',
          ...entry.hint.split('\n').map((line) => `      ${line}`),
        ]),
      ]
      this.logToStderr(redact(lines.join('\n')))
      process.exitCode = ExitCode.failure
    }
    return result
  }

  /** The plan, one action a line, and the exit code that tells a script whether anything is to do. */
  private showPlan(plan: PlanView): void {
    if (plan.blockers.length > 0) {
      this.log('Nothing can be done until this is fixed:')
      for (const blocker of plan.blockers)
        this.log(`  ✗ ${blocker.message}\n    ${blocker.hint.split('\n').join('\n    ')}`)
      process.exitCode = ExitCode.failure
    }
    if (plan.actions.length === 0) {
      this.log(`Everything is up to date (${plan.unchanged.length} checked); up would change nothing.`)
      return
    }
    if (plan.arcUpgrade)
      this.log(
        `ARC ${plan.arcUpgrade.from} → ${plan.arcUpgrade.to}: every scale set is uninstalled, then the controller and ARC's CRDs, and all is installed again at ${plan.arcUpgrade.to}, once no job runs (--force: at once).`,
      )
    this.log(`deskrun up would:`)
    for (const action of plan.actions) this.log(`  ${action.description}`)
    process.exitCode ??= ExitCode.changesPending
  }
}
