/**
 * The human view of `deskrun status`: one line for the cluster and the controller, then each scale set
 * with its listener and runners. States are coloured so that what needs attention stands out (red:
 * broken, yellow: waiting or not there yet, green: fine); bin/run.js sets NO_COLOR when stdout is no
 * terminal, so a pipe or a file gets plain text.
 */
import * as ux from '@oclif/core/ux'

import type {PodStatus, ScaleSetStatus, StatusReport} from '../app/status.js'
import {NO_INSTALLATIONS} from './get-started.js'

export type Colour = 'green' | 'yellow' | 'red'
export type Paint = (colour: Colour, text: string) => string

const terminalPaint: Paint = (colour, text) => ux.colorize(colour, text)

/** Helm's release states: deployed is fine, failed is broken, the rest (pending-*, uninstalling) is on its way. */
const releaseColour = (state: string): Colour =>
  state === 'deployed' ? 'green' : state === 'failed' ? 'red' : 'yellow'

/** A pod with a waiting or terminated reason (ImagePullBackOff, CrashLoopBackOff, Error) needs a look. */
function podState(pod: PodStatus, paint: Paint): string {
  const colour: Colour =
    pod.reason || pod.phase === 'Failed' ? 'red' : pod.phase === 'Running' ? 'green' : 'yellow'
  return paint(colour, `${pod.phase}${pod.reason ? ` (${pod.reason})` : ''}`)
}

export function statusLines(report: StatusReport, paint: Paint = terminalPaint): string[] {
  const {cluster, controller} = report
  if (!cluster.exists)
    // Nothing to bring up from an empty config: the next step is the first installation.
    return [
      `Cluster ${cluster.name}: ${paint('red', 'not found')}.`,
      report.installations.length > 0 ? 'Bring everything up with: deskrun up' : NO_INSTALLATIONS,
    ]
  const ready = cluster.nodes.every((node) => node.ready)
  const lines = [
    `Cluster ${cluster.name}: ${ready ? paint('green', 'ready') : paint('red', 'not ready')} (context ${cluster.context})`,
  ]
  if (!controller.installed)
    lines.push(
      `Controller ${controller.release}: ${paint('yellow', 'not installed')} (deskrun up installs it)`,
    )
  else {
    const state = controller.status ?? 'unknown'
    lines.push(
      `Controller ${controller.release} (${controller.namespace}): ${paint(releaseColour(state), state)}, ` +
        `chart ${controller.version}, ${controller.ready ? paint('green', 'ready') : paint('red', 'not ready')}`,
    )
    // Runners start only through a ready controller: say where its trouble shows.
    if (!controller.ready)
      lines.push(
        `  Check its pods: kubectl --context ${cluster.context} -n ${controller.namespace} get pods, ` +
          `and its log: deskrun logs --controller`,
      )
  }
  if (report.installations.length === 0) lines.push(NO_INSTALLATIONS)
  for (const installation of report.installations) {
    const paused = installation.paused
      ? `, ${paint('yellow', 'paused')}: deskrun resume to take jobs again`
      : ''
    lines.push(`\n${installation.name} (${installation.mode}${paused})`)
    for (const scaleSet of installation.scaleSets)
      for (const line of scaleSetLines(scaleSet, paint)) lines.push(`  ${line}`)
  }
  return lines
}

function scaleSetLines(scaleSet: ScaleSetStatus, paint: Paint): string[] {
  if (!scaleSet.release) return [`${scaleSet.name}: ${paint('yellow', 'not deployed')} (run deskrun up)`]
  const release = scaleSet.release.status
  const lines = [
    `${scaleSet.name}: release ${paint(releaseColour(release), release)}, chart ${scaleSet.release.version}`,
  ]
  lines.push(
    scaleSet.runnerSet
      ? `  runners: ${scaleSet.runnerSet.currentRunners} current, ${scaleSet.runnerSet.pendingRunners} pending, ${scaleSet.runnerSet.runningRunners} running`
      : `  ${paint('red', 'no AutoscalingRunnerSet')}: the controller rejected or deleted it (check versions: deskrun up)`,
  )
  lines.push(
    scaleSet.listener
      ? `  listener ${scaleSet.listener.name}: ${podState(scaleSet.listener, paint)}`
      : `  listener: ${paint('yellow', 'none yet')} (it connects to GitHub; a missing listener often means bad credentials)`,
  )
  for (const runner of scaleSet.runners) {
    const job = scaleSet.jobs.find((one) => one.runner === runner.name)
    const doing = job
      ? `, running ${job.job ?? 'a job'} of ${job.workflow ?? job.repository ?? '?'}`
      : runner.phase === 'Running'
        ? ', idle'
        : ''
    lines.push(`  runner ${runner.name}: ${podState(runner, paint)}${doing}`)
  }
  return lines
}
