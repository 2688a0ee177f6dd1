import {BaseCommand} from '../../lib/cli/base-command.js'
import {uninstallSummary} from '../../lib/cli/service-render.js'

export default class ServiceUninstall extends BaseCommand {
  static override summary = 'Stop running deskrun up at login; remove the unit or agent and its log.'
  static override description =
    'Stops the service (a deskrun up it is running is interrupted; run deskrun up to finish), disables or unloads it, and removes what deskrun service install wrote and the log. The runners themselves keep running. Nothing installed is no failure.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run() {
    const {flags} = await this.parse(ServiceUninstall)
    const {uninstallService} = await import('../../lib/app/service.js')
    const result = await uninstallService(await this.actionContext(flags, {pluginModes: false}))
    for (const line of uninstallSummary(result)) this.log(line)
    return result
  }
}
