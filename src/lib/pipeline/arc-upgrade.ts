/**
 * ARC's upgrade procedure, up to installing the controller again (apply.ts goes on from there): wait
 * for running jobs, uninstall every scale set (their finalizers need the controller), the controller,
 * then ARC's CRDs, which helm installs with the chart but never upgrades.
 */
import type {ListrTask} from 'listr2'

import {CONTROLLER_NAMESPACE, CONTROLLER_RELEASE, SCALE_SET_NAMESPACE} from '../domain/arc/charts.js'
import {runsJob, type EphemeralRunner} from '../domain/arc/runners.js'
import {DeskrunError} from '../domain/errors.js'
import type {Action, Plan} from '../domain/reconcile/plan.js'
import type {ApplyOptions, ApplyOutcome} from './apply.js'
import type {Deps} from './deps.js'
import {toolOutput} from './run.js'

/** How often an ARC upgrade looks whether the running jobs are done (DESKRUN_POLL_MS: for tests). */
const pollMs = () => Number(process.env.DESKRUN_POLL_MS) || 5000

/** The teardown steps of the plan's ARC upgrade. */
export function teardownSteps(
  deps: Deps,
  upgrade: NonNullable<Plan['arcUpgrade']>,
  actions: Action[],
  options: ApplyOptions,
): ListrTask<ApplyOutcome>[] {
  const {helm, kubectl} = deps.tools
  const releases = actions.filter((action) => action.subject === 'scale set').map((action) => action.name)
  const crds = actions
    .filter((action) => action.subject === 'object')
    .map((action) => action.name.split('/')[1])
  const step = `ARC ${upgrade.from} → ${upgrade.to}`
  return [
    {
      title: `${step}: waiting for running jobs`,
      task: async (_, task) => {
        const stopped = await waitForJobs(
          deps,
          options,
          (count) => (task.output = `${count} jobs still running`),
        )
        task.title =
          stopped > 0 ? `${step}: ${stopped} running jobs stopped (--force)` : `${step}: no job running`
      },
    },
    {
      title: `${step}: uninstall ${releases.length > 0 ? releases.join(', ') : 'no scale set'}, then the controller`,
      task: async (outcome, task) => {
        for (const release of releases) {
          task.output = `uninstalling ${release}`
          await helm.uninstall(SCALE_SET_NAMESPACE, release, {onLine: toolOutput(task)})
          outcome.changed.push(`scale set ${release} uninstalled`)
        }
        await helm.uninstall(CONTROLLER_NAMESPACE, CONTROLLER_RELEASE, {onLine: toolOutput(task)})
        outcome.changed.push(`controller ${CONTROLLER_RELEASE} uninstalled (${upgrade.from})`)
      },
    },
    {
      title: `${step}: delete ARC's CRDs (helm does not upgrade them)`,
      task: async (outcome) => {
        await kubectl.delete('customresourcedefinitions', {names: crds})
        outcome.changed.push(`ARC's CRDs deleted (${upgrade.from})`)
      },
    },
  ]
}

/** Waits until no runner has a job; returns how many still do when --force does not wait. */
async function waitForJobs(
  deps: Deps,
  options: ApplyOptions,
  report: (count: number) => void,
): Promise<number> {
  const deadline = Date.now() + (options.waitMs ?? 10 * 60_000)
  for (;;) {
    const runners = await deps.tools.kubectl.list<EphemeralRunner>(
      'ephemeralrunners.actions.github.com',
      {namespace: SCALE_SET_NAMESPACE},
      'list the runners and their jobs',
    )
    const running = runners.filter(runsJob)
    if (running.length === 0 || options.force) return running.length
    if (Date.now() >= deadline)
      throw new DeskrunError(
        `${running.length} job${running.length === 1 ? ' is' : 's are'} still running on ${running.map((runner) => runner.metadata.name).join(', ')}; the ARC upgrade would stop ${running.length === 1 ? 'it' : 'them'}.`,
        {
          code: 'JOBS_RUNNING',
          hint: 'Run deskrun up again when they are done (deskrun status shows them), or upgrade now and let them fail: deskrun up --force',
        },
      )
    report(running.length)
    await new Promise((resolve) => setTimeout(resolve, pollMs()))
  }
}
