import type {CacheList as Listed} from '../../lib/app/cache.js'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {formatBytes} from '../../lib/cli/bytes.js'
import {table} from '../../lib/cli/table.js'
import {terminalColumns} from '../../lib/cli/text.js'

export default class CacheList extends BaseCommand {
  static override summary = 'List the cache folders on this machine: whose, how big, when last used.'
  static override description =
    'Each cache folder of each installation and instance, with the path it backs in the job, then every folder under the cache root that no installation of the config uses any more (`deskrun cache prune` deletes those). LAST USED is the newest change inside the folder. Jobs write as root; what deskrun cannot read is counted as far as it can (shown with +). Caches on a storage class (--cache-storage-class) live in the cluster: they are listed by claim and folder, without size or last use. Reads the config and the folders only: no cluster needed.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run() {
    await this.parse(CacheList)
    const {listCaches} = await import('../../lib/app/cache.js')
    const result = await listCaches({note: (message) => this.note(message)})
    if (result.caches.length === 0) this.log(`No cache folders under ${result.cacheRoot}.`)
    else this.folders(result)
    if (result.claims.length > 0) {
      const rows = result.claims.map((cache) => ({
        claim: `${cache.claim} (${cache.storageClass}, ${cache.size})`,
        folder: cache.subPath,
        installation: cache.instance,
        path: cache.target,
        state: cache.state,
      }))
      this.log(
        '\nIn the cluster, in claims of a storage class (deskrun remove NAME --purge-cache deletes them):',
      )
      this.log(table(rows, ['claim', 'folder', 'installation', 'path', 'state'], terminalColumns()))
    }
    return result
  }

  private folders(result: Listed): void {
    const rows = result.caches.map((cache) => ({
      folder: cache.folder,
      installation: cache.instance ?? '-',
      path: cache.target ?? '-',
      state: cache.state,
      size: cache.exists ? `${formatBytes(cache.bytes)}${cache.complete ? '' : '+'}` : 'not made yet',
      'last used': cache.lastUsed ? cache.lastUsed.slice(0, 16).replace('T', ' ') : '-',
    }))
    // Folders, names and paths are copied and typed: kept whole (a narrow terminal gets a block per folder).
    this.log(table(rows, ['folder', 'installation', 'path', 'state', 'size', 'last used'], terminalColumns()))
  }
}
