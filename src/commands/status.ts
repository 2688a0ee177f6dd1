import * as Args from '@oclif/core/args'

import {BaseCommand} from '../lib/cli/base-command.js'
import {statusLines} from '../lib/cli/status-render.js'

export default class Status extends BaseCommand {
  static override summary = 'Show the cluster, the ARC controller, and each scale set with its runners.'
  static override description =
    'Asks the cluster: Helm release state, the AutoscalingRunnerSet counts (current / pending / running), the listener pod that talks to GitHub, each runner pod with its phase and, when stuck, the reason, and the job a busy runner runs (repository, workflow, job, and how long ago it started when the cluster recorded it).'
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
    const {status} = await import('../lib/app/status.js')
    const report = await status(await this.actionContext(flags, {pluginModes: false}), args.name)
    for (const line of statusLines(report)) this.log(line)
    return report
  }
}
