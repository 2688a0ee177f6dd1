import {Args} from '@oclif/core'

import {status, type ScaleSetStatus} from '../lib/app/status.js'
import {BaseCommand} from '../lib/cli/base-command.js'
import {NO_INSTALLATIONS} from '../lib/cli/get-started.js'

export default class Status extends BaseCommand {
  static override summary = 'Show the cluster, the ARC controller, and each scale set with its runners.'
  static override description =
    'Asks the cluster: Helm release state, the AutoscalingRunnerSet counts (current / pending / running), the listener pod that talks to GitHub, and each runner pod with its phase and, when stuck, the reason.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> my-runner',
    '<%= config.bin %> <%= command.id %> multi-runner-2',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  static override args = {
    name: Args.string({
      description: 'Only this installation, or one of its instances (NAME-2, a runs-on: value add printed).',
    }),
  }

  async run() {
    const {args, flags} = await this.parse(Status)
    const report = await status(await this.actionContext(flags, {pluginModes: false}), args.name)
    const {cluster, controller} = report
    if (!cluster.exists) {
      // Nothing to bring up from an empty config: the next step is the first installation.
      this.log(`Cluster ${cluster.name}: not found.`)
      this.log(report.installations.length > 0 ? 'Bring everything up with: deskrun up' : NO_INSTALLATIONS)
      return report
    }
    const ready = cluster.nodes.every((node) => node.ready)
    this.log(`Cluster ${cluster.name}: ${ready ? 'ready' : 'not ready'} (context ${cluster.context})`)
    this.log(
      controller.installed
        ? `Controller ${controller.release} (${controller.namespace}): ${controller.status}, chart ${controller.version}, ${controller.ready ? 'ready' : 'not ready'}`
        : `Controller ${controller.release}: not installed (deskrun up installs it)`,
    )
    if (report.installations.length === 0) this.log(NO_INSTALLATIONS)
    for (const installation of report.installations) {
      const paused = installation.paused ? ', paused: deskrun resume to take jobs again' : ''
      this.log(`\n${installation.name} (${installation.mode}${paused})`)
      for (const scaleSet of installation.scaleSets)
        for (const line of describe(scaleSet)) this.log(`  ${line}`)
    }
    return report
  }
}

function describe(scaleSet: ScaleSetStatus): string[] {
  if (!scaleSet.release) return [`${scaleSet.name}: not deployed (run deskrun up)`]
  const lines = [`${scaleSet.name}: release ${scaleSet.release.status}, chart ${scaleSet.release.version}`]
  lines.push(
    scaleSet.runnerSet
      ? `  runners: ${scaleSet.runnerSet.currentRunners} current, ${scaleSet.runnerSet.pendingRunners} pending, ${scaleSet.runnerSet.runningRunners} running`
      : '  no AutoscalingRunnerSet: the controller rejected or deleted it (check versions: deskrun up)',
  )
  lines.push(
    scaleSet.listener
      ? `  listener ${scaleSet.listener.name}: ${scaleSet.listener.phase}${scaleSet.listener.reason ? ` (${scaleSet.listener.reason})` : ''}`
      : '  listener: none yet (it connects to GitHub; a missing listener often means bad credentials)',
  )
  for (const runner of scaleSet.runners) {
    const job = scaleSet.jobs.find((one) => one.runner === runner.name)
    const doing = job
      ? `, running ${job.job ?? 'a job'} of ${job.workflow ?? job.repository ?? '?'}`
      : runner.phase === 'Running'
        ? ', idle'
        : ''
    lines.push(
      `  runner ${runner.name}: ${runner.phase}${runner.reason ? ` (${runner.reason})` : ''}${doing}`,
    )
  }
  return lines
}
