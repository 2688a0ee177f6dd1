import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../lib/cli/base-command.js'

export default class Remove extends BaseCommand {
  static override summary =
    'Remove a runner installation: its scale sets, their objects, and its config entry.'
  static override description =
    'Scale sets are uninstalled first (before anything they depend on), then the objects deskrun created for them, then the entry leaves the config. Caches stay unless --purge-cache, which deletes only the cache folders deskrun chose for this installation and no other installation uses (it says which folders it kept and why), and its cache claims in the cluster (--cache-storage-class; kept, an installation of the same name uses them again). If the backup of a config written by the original deskrun still holds a token or private key that no installation uses any more, it names the backup and the command that deletes it. If it fails part way, run it again.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> my-runner',
    {
      description: 'Also delete its caches:',
      command: '<%= config.bin %> <%= command.id %> my-runner --purge-cache',
    },
  ]

  static override enableJsonFlag = true

  static override args = {
    name: Args.string({description: 'Installation to remove (see deskrun list).', required: true}),
  }

  static override flags = {
    'purge-cache': Flags.boolean({
      summary:
        "Also delete the installation's caches: its folders on this machine, its claims in the cluster.",
    }),
  }

  async run() {
    const {args, flags} = await this.parse(Remove)
    const {removeInstallation} = await import('../lib/app/remove.js')
    const result = await removeInstallation(
      await this.actionContext(flags, {pluginModes: false}),
      args.name,
      {
        purgeCache: flags['purge-cache'],
      },
    )
    this.log(`Removed ${result.installation}.`)
    if (result.caches.length > 0)
      this.log(
        result.cachesPurged
          ? `Deleted its caches: ${result.caches.join(', ')}`
          : `Its caches stay on disk (delete them with --purge-cache, or rm -rf): ${result.caches.join(', ')}`,
      )
    if (result.claims.length > 0)
      this.log(
        result.cachesPurged
          ? `Deleted its cache claims: ${result.claims.join(', ')}`
          : `Its cache claims stay in the cluster, for an installation of the same name: ${result.claims.join(', ')}\nDelete them (and the caches in them) with:\n  ${result.deleteClaims}`,
      )
    if (result.cachesKept.length > 0) {
      this.log(`${result.cachesPurged ? 'Kept' : '--purge-cache keeps'} these folders:`)
      for (const kept of result.cachesKept) this.log(`  ${kept.folder}: ${kept.reason}`)
    }
    for (const backup of result.credentialBackups)
      this.log(
        `${backup}, the config as the original deskrun wrote it, still holds a token or private key that no ` +
          `installation uses any more. Delete it unless you want to go back to the original deskrun:\n  rm ${backup}`,
      )
    return result
  }
}
