import {BaseCommand} from '../../lib/cli/base-command.js'
import {installSummary} from '../../lib/cli/service-render.js'

export default class ServiceInstall extends BaseCommand {
  static override summary = 'Run deskrun up at every login, and now.'
  static override description =
    'Linux: a systemd user unit, ~/.config/systemd/user/deskrun.service (enabled, and started at once); macOS: a launchd agent, ~/Library/LaunchAgents/dev.deskrun.up.plist (loaded). It runs this node and this deskrun by their absolute paths, with the PATH you have now (kind, helm, kubectl and docker are found through it: install again after moving them), and appends what deskrun up prints to ~/.deskrun/logs/service.log (`deskrun service status` shows it). It needs no credential: up reads them from the config. While Docker is not answering yet, up fails and runs again 30 s later. Installing again replaces it. Linux only starts user units while you are logged in, unless you run `loginctl enable-linger`; WSL needs systemd turned on.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: 'Start the runners at boot, before anyone logs in (Linux):',
      command: '<%= config.bin %> <%= command.id %> && loginctl enable-linger "$USER"',
    },
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run() {
    const {flags} = await this.parse(ServiceInstall)
    const {installService} = await import('../../lib/app/service.js')
    const result = await installService(await this.actionContext(flags, {pluginModes: false}), {
      cliRoot: this.config.root,
    })
    for (const line of installSummary(result)) this.log(line)
    return result
  }
}
