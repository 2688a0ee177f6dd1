import {listInstallations} from '../lib/app/list.js'
import {BaseCommand} from '../lib/cli/base-command.js'
import {table} from '../lib/cli/table.js'
import {NO_INSTALLATIONS} from '../lib/cli/get-started.js'

export default class List extends BaseCommand {
  static override summary = 'List the runner installations in the config.'
  static override description =
    'Reads the config only (no Docker or cluster needed). DEPLOYED is what the last add or up did; `deskrun status` asks the cluster.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run() {
    await this.parse(List)
    const result = await listInstallations({note: (message) => this.note(message)})
    if (result.installations.length === 0) {
      this.log(NO_INSTALLATIONS)
      return result
    }
    const rows = result.installations.map((installation) => ({
      name: installation.name,
      mode: installation.mode,
      'runs-on': installation.scaleSets.join(', '),
      runners: `${installation.minRunners}-${installation.maxRunners}`,
      caches: installation.caches.map((cache) => cache.target).join(', ') || '-',
      repository: installation.repository,
      deployed: installation.deployed ? 'yes' : 'no',
    }))
    this.log(table(rows, ['name', 'mode', 'runs-on', 'runners', 'caches', 'repository', 'deployed']))
    return result
  }
}
