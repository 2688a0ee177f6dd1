import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {formatBytes} from '../../lib/cli/bytes.js'
import {parseAge} from '../../lib/domain/duration.js'

export default class CachePrune extends BaseCommand {
  static override summary =
    'Delete the cache folders that no installation uses any more, and say what it freed.'
  static override description =
    'Deletes the folders under the cache root that no installation of the config uses: left by `deskrun remove` without --purge-cache, or by an installation taken out of the config. It never deletes a folder of an installation in the config, paused or not: a runner may have it mounted at any time (a paused one finishes its job), and a Docker data root deleted under its daemon is corrupt; `deskrun remove NAME --purge-cache` deletes those with their installation. NAME limits it to the folders once of NAME (or NAME-N); --older-than to folders unchanged for that long. Caches on a storage class (--cache-storage-class) are claims in the cluster, not folders here: prune leaves them alone, and `deskrun remove NAME --purge-cache` deletes them.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: 'See what it would delete, delete nothing:',
      command: '<%= config.bin %> <%= command.id %> --dry-run',
    },
    '<%= config.bin %> <%= command.id %> old-runner',
    '<%= config.bin %> <%= command.id %> --older-than 30d --json',
  ]

  static override enableJsonFlag = true
  static override args = {
    name: Args.string({description: 'Only the folders once of this installation (or its instances NAME-N).'}),
  }

  static override flags = {
    'older-than': Flags.string({summary: 'Only folders unchanged for this long: 30d, 12h, 2w.'}),
    'dry-run': Flags.boolean({summary: 'Print what would be deleted; delete nothing.'}),
  }

  async run() {
    const {args, flags} = await this.parse(CachePrune)
    const {pruneCaches} = await import('../../lib/app/cache.js')
    const olderThanMs = flags['older-than'] === undefined ? undefined : parseAge(flags['older-than'])
    const result = await pruneCaches(
      {note: (message) => this.note(message), timeoutMs: flags.timeout},
      {name: args.name, olderThanMs, dryRun: flags['dry-run']},
    )
    const verb = result.dryRun ? 'Would delete' : 'Deleted'
    for (const removed of result.removed)
      this.log(`${verb} ${removed.folder} (${formatBytes(removed.bytes)})`)
    this.log(
      result.removed.length === 0
        ? 'Nothing to delete.'
        : `${result.dryRun ? 'Would free' : 'Freed'} ${formatBytes(result.freedBytes)}.`,
    )
    if (result.kept.length > 0) {
      this.log('Kept:')
      for (const kept of result.kept) this.log(`  ${kept.folder}: ${kept.reason}`)
    }
    if (result.claims.length > 0)
      this.log(
        `Left alone, in the cluster: the cache claims ${result.claims.join(', ')} (deskrun remove NAME --purge-cache deletes them).`,
      )
    return result
  }
}
