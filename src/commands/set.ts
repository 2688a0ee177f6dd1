import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../lib/cli/base-command.js'
import {
  authFlags,
  clearNetworkFlags,
  installationFlags,
  networkFlagsGiven,
  yesFlag,
} from '../lib/cli/flags.js'
import type {AuthType} from '../lib/domain/installation/types.js'

/** add's flags, none required and none with a default: a flag not given keeps what is there. */
const optional = <T extends object>(flag: T): T => ({...flag, required: false, default: undefined})

export default class Set extends BaseCommand {
  static override summary =
    'Change an installation in place: runners, instances, caches, labels, proxy and CA, credentials.'
  static override description = `Checks the change as \`add\` checks a new installation (bad input changes nothing), says what changes, saves it, then brings only this installation to the new state: its scale sets are upgraded in place (or reinstalled where helm cannot, which restarts their runners), instances beyond a smaller --instances are removed. --cache and --label replace the lists they name. --dry-run only says what would change.`
  static override examples = [
    {
      description: 'More runners at once:',
      command: '<%= config.bin %> <%= command.id %> my-runner --max-runners 8',
    },
    {
      description: 'A new token (read from a file, never from the command line):',
      command: '<%= config.bin %> <%= command.id %> my-runner --auth-value-file ~/.gh-token',
    },
    {
      description: 'Its own proxy rather than the default one (deskrun defaults):',
      command: '<%= config.bin %> <%= command.id %> my-runner --proxy http://proxy.example.com:3128',
    },
    {
      description: 'Back to the default proxy:',
      command: '<%= config.bin %> <%= command.id %> my-runner --clear-proxy',
    },
    {
      description: 'Room for more cache (where its storage class lets claims grow):',
      command: '<%= config.bin %> <%= command.id %> my-runner --cache-size 80Gi',
    },
    {
      description: 'See what would change:',
      command: '<%= config.bin %> <%= command.id %> my-runner --instances 3 --dry-run',
    },
  ]

  static override enableJsonFlag = true

  static override args = {
    name: Args.string({description: 'The installation (see deskrun list).', required: true}),
  }

  static override flags = {
    'min-runners': installationFlags['min-runners'],
    'max-runners': installationFlags['max-runners'],
    instances: optional(installationFlags.instances),
    cache: installationFlags.cache,
    'cache-storage-class': installationFlags['cache-storage-class'],
    'cache-size': installationFlags['cache-size'],
    label: installationFlags.label,
    'runner-group': installationFlags['runner-group'],
    'runner-image': installationFlags['runner-image'],
    cpus: installationFlags.cpus,
    memory: installationFlags.memory,
    proxy: installationFlags.proxy,
    'no-proxy': installationFlags['no-proxy'],
    'github-ca-file': installationFlags['github-ca-file'],
    ...clearNetworkFlags('its own', '; it then uses the defaults (deskrun defaults)'),
    'auth-type': optional(authFlags['auth-type']),
    'auth-value': authFlags['auth-value'],
    'auth-value-file': authFlags['auth-value-file'],
    'app-id': authFlags['app-id'],
    'installation-id': authFlags['installation-id'],
    'private-key-file': authFlags['private-key-file'],
    'dry-run': Flags.boolean({summary: 'Say what would change; change nothing.'}),
    ...yesFlag,
  }

  async run() {
    const {args, flags} = await this.parse(Set)
    const {setInstallation} = await import('../lib/app/set.js')
    const credentialGiven = [
      'auth-value',
      'auth-value-file',
      'private-key-file',
      'app-id',
      'installation-id',
    ].some((flag) => flags[flag as keyof typeof flags] !== undefined)
    const result = await setInstallation(await this.actionContext(flags), {
      name: args.name,
      minRunners: flags['min-runners'],
      maxRunners: flags['max-runners'],
      instances: flags.instances,
      cache: flags.cache,
      cacheStorageClass: flags['cache-storage-class'],
      cacheSize: flags['cache-size'],
      label: flags.label,
      runnerGroup: flags['runner-group'],
      runnerImage: flags['runner-image'],
      cpus: flags.cpus,
      memory: flags.memory,
      network: networkFlagsGiven(flags),
      dryRun: flags['dry-run'],
      ...(credentialGiven
        ? {
            credentials: {
              authType: (flags['auth-type'] ?? 'pat') as AuthType,
              authValue: flags['auth-value'],
              authValueFile: flags['auth-value-file'],
              privateKeyFile: flags['private-key-file'],
              appId: flags['app-id'],
              installationId: flags['installation-id'],
            },
          }
        : {}),
    })
    this.log(`${flags['dry-run'] ? 'Would change' : 'Changed'} ${result.installation}:`)
    for (const change of result.changes) this.log(`  ${change}`)
    return result
  }
}
