import {up} from '../lib/actions/up.js'
import {BaseCommand} from '../lib/base-command.js'
import {ExitCode} from '../lib/errors.js'
import {yesFlag} from '../lib/flags.js'
import {redact} from '../lib/redact.js'

export default class Up extends BaseCommand {
  static override summary = 'Make the cluster match the config: cluster, controller and every scale set.'
  static override description = `Creates what is missing, upgrades in place what changed (helm upgrade), and uninstalls scale sets that deskrun deployed and the config no longer names. Running it again changes nothing.

Use it after a reboot, after \`deskrun cluster delete\`, or after editing the config.

Each installation is checked as \`deskrun add\` checks a new one. One that cannot be deployed as it is (say, edited by hand into something invalid, or using a mode whose plugin is gone) is skipped and reported with how to fix it, and its scale sets in the cluster are left as they are; the others are brought up, and the exit code is 1. Their entries in the config are never changed by this.`
  static override examples = [
    {description: 'Bring everything back after a reboot:', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'For scripts:', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  static override enableJsonFlag = true
  static override flags = {...yesFlag}

  async run() {
    const {flags} = await this.parse(Up)
    const result = await up(await this.actionContext(flags))
    const {skipped} = result
    if (result.installations.length === 0 && skipped.length === 0)
      this.log('The config has no installations yet; add one with: deskrun add')
    else if (result.installations.length === 0) this.log('Nothing was deployed.')
    else if (result.changed.length === 0) this.log('Everything is up to date; nothing changed.')
    else this.log(`Done: ${result.changed.join('; ')}.`)
    if (skipped.length > 0) {
      const lines = [
        '\nNot deployed (their entries stay in the config as they are, and so do scale sets they already have in the cluster):',
        ...skipped.flatMap((entry) => [
          `  ${entry.installation}`,
          ...entry.problems.map((problem) => `    - ${problem}`),
          '    Try this:',
          ...entry.hint.split('\n').map((line) => `      ${line}`),
        ]),
      ]
      this.logToStderr(redact(lines.join('\n')))
      process.exitCode = ExitCode.failure
    }
    return result
  }
}
