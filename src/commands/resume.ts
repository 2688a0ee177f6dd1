import * as Args from '@oclif/core/args'

import {BaseCommand} from '../lib/cli/base-command.js'
import {pauseSummary} from '../lib/cli/pause.js'

export default class Resume extends BaseCommand {
  static override summary = 'Let paused installations take jobs again.'
  static override description =
    'Each named installation (all of them without a name) is no longer paused in the config, and its scale sets are upgraded back to their min and max runners, so jobs waiting on GitHub start. Without a cluster only the config changes.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> my-runner',
    '<%= config.bin %> <%= command.id %> my-runner --json',
  ]

  static override enableJsonFlag = true
  static override strict = false
  static override args = {
    name: Args.string({description: 'Installations to resume (see deskrun list); none: all.'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Resume)
    const {setPaused} = await import('../lib/app/pause.js')
    const result = await setPaused(
      await this.actionContext(flags, {pluginModes: false}),
      argv as string[],
      false,
    )
    for (const line of pauseSummary(result, 'resumed')) this.log(line)
    return result
  }
}
