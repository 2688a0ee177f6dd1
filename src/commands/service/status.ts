import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {serviceLines} from '../../lib/cli/service-render.js'

export default class ServiceStatus extends BaseCommand {
  static override summary = 'Show whether deskrun up runs at login, how its last run went, and its log.'
  static override description =
    'What systemd (active, activating, failed, inactive) or launchd (running, not running, last exit code) says about it, whether the unit or agent still runs this node and deskrun with your PATH (install again when not), and the last lines of its log.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --lines 100',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  static override flags = {
    lines: Flags.integer({summary: 'Lines from the end of the log.', default: 20, min: 0}),
  }

  async run() {
    const {flags} = await this.parse(ServiceStatus)
    const {serviceStatus} = await import('../../lib/app/service.js')
    const state = await serviceStatus(await this.actionContext(flags, {pluginModes: false}), {
      cliRoot: this.config.root,
      lines: flags.lines,
    })
    for (const line of serviceLines(state)) this.log(line)
    return state
  }
}
