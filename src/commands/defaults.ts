import type {DefaultsResult} from '../lib/app/defaults.js'
import {BaseCommand} from '../lib/cli/base-command.js'
import {clearNetworkFlags, installationFlags, networkFlagsGiven} from '../lib/cli/flags.js'

export default class Defaults extends BaseCommand {
  static override summary =
    'Show or change the proxy and GitHub CA of every installation that sets none of its own.'
  static override description = `An installation's own --proxy (with its --no-proxy list) or --github-ca-file wins over these; \`deskrun list --json\` says which one each installation uses (proxyFrom, githubCAFrom). A change is saved in the config (top-level proxy, no_proxy, github_ca); \`deskrun up\` then upgrades the scale sets that use it. The proxy's credentials are kept in the config (mode 0600) and reach the cluster only as a Secret per scale set; they are shown as ***. The ARC controller needs no setting of its own: it reaches GitHub with the proxy and CA of each scale set. Without flags it shows the defaults and which installations use them.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description:
        'Every installation without its own reaches GitHub through this proxy, except hosts of .example.com:',
      command:
        '<%= config.bin %> <%= command.id %> --proxy http://proxy.example.com:3128 --no-proxy .example.com,10.0.0.0/8',
    },
    {
      description:
        'Trust the CA of your GitHub Enterprise Server everywhere, then bring the scale sets up to date:',
      command: '<%= config.bin %> <%= command.id %> --github-ca-file ./corp-ca.pem && deskrun up',
    },
    {
      description: 'No default proxy any more:',
      command: '<%= config.bin %> <%= command.id %> --clear-proxy',
    },
  ]

  static override enableJsonFlag = true

  static override flags = {
    proxy: installationFlags.proxy,
    'no-proxy': installationFlags['no-proxy'],
    'github-ca-file': installationFlags['github-ca-file'],
    ...clearNetworkFlags('the default'),
  }

  async run(): Promise<DefaultsResult> {
    const {flags} = await this.parse(Defaults)
    const {networkDefaults} = await import('../lib/app/defaults.js')
    const result = await networkDefaults(
      await this.actionContext(flags, {pluginModes: false}),
      networkFlagsGiven(flags),
    )
    if (result.changes.length > 0) {
      this.log('Changed the defaults:')
      for (const change of result.changes) this.log(`  ${change}`)
    }
    const {defaults, usedBy} = result
    const users = (names: string[]) => (names.length > 0 ? ` (used by ${names.join(', ')})` : '')
    const ca = defaults.certificates
      ?.map((certificate) => `${certificate.subject}, until ${certificate.validUntil.slice(0, 10)}`)
      .join('; ')
    this.log(`proxy:      ${defaults.proxy ?? 'none'}${defaults.proxy ? users(usedBy.proxy) : ''}`)
    if (defaults.noProxy) this.log(`no-proxy:   ${defaults.noProxy.join(', ')}`)
    this.log(`GitHub CA:  ${defaults.githubCA ? `${ca}${users(usedBy.githubCA)}` : 'none'}`)
    if (result.needsUp.length > 0) this.log(`Bring ${result.needsUp.join(', ')} up to date with: deskrun up`)
    return result
  }
}
