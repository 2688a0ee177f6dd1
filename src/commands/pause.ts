import * as Args from '@oclif/core/args'

import {BaseCommand} from '../lib/cli/base-command.js'
import {pauseSummary} from '../lib/cli/pause.js'

export default class Pause extends BaseCommand {
  static override summary = 'Stop new jobs from starting on installations; running jobs finish.'
  static override description =
    'Each named installation (all of them without a name) is marked paused in the config, and its scale sets are upgraded to at most 0 runners: ARC starts no new runner and removes the idle ones, while a runner that has a job finishes it. GitHub keeps queued jobs waiting until `deskrun resume`. The pause is in the config, so `deskrun up` and a reboot keep it; `deskrun list` and `deskrun status` show it. Without a cluster only the config changes.'
  static override examples = [
    {
      description: 'Pause everything while you need the machine:',
      command: '<%= config.bin %> <%= command.id %>',
    },
    '<%= config.bin %> <%= command.id %> my-runner other-runner',
    '<%= config.bin %> <%= command.id %> my-runner --json',
  ]

  static override enableJsonFlag = true
  static override strict = false
  static override args = {
    name: Args.string({description: 'Installations to pause (see deskrun list); none: all.'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Pause)
    const {setPaused} = await import('../lib/app/pause.js')
    const result = await setPaused(
      await this.actionContext(flags, {pluginModes: false}),
      argv as string[],
      true,
    )
    for (const line of pauseSummary(result, 'paused')) this.log(line)
    return result
  }
}
