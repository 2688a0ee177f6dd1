import {up} from '../lib/actions/up.js'
import {yesFlag} from '../lib/flags.js'
import {BaseCommand} from '../lib/base-command.js'

export default class Up extends BaseCommand {
  static override summary = 'Make the cluster match the config: cluster, controller and every scale set.'
  static override description = `Creates what is missing, upgrades in place what changed (helm upgrade), and uninstalls scale sets that deskrun deployed and the config no longer names. Running it again changes nothing.

Use it after a reboot, after \`deskrun cluster delete\`, or after editing the config.`
  static override examples = [
    {description: 'Bring everything back after a reboot:', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'For scripts:', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  static override enableJsonFlag = true
  static override flags = {...yesFlag}

  async run() {
    const {flags} = await this.parse(Up)
    const result = await up(await this.actionContext(flags))
    if (result.installations.length === 0)
      this.log('The config has no installations yet; add one with: deskrun add')
    else if (result.changed.length === 0) this.log('Everything is up to date; nothing changed.')
    else this.log(`Done: ${result.changed.join('; ')}.`)
    return result
  }
}
