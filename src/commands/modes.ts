import {BaseCommand} from '../lib/cli/base-command.js'
import {DATA_ROOT_RULE} from '../lib/domain/installation/sharing.js'
import {describeSource, type ModeSource} from '../lib/domain/modes/registry.js'
import {table} from '../lib/cli/table.js'
import {terminalColumns, wrapWords} from '../lib/cli/text.js'

export interface ModeEntry {
  name: string
  summary: string
  description?: string
  takesCaches: boolean
  source: ModeSource
}

export interface ModesResult {
  modes: ModeEntry[]
  /** Plugins or modes that were left out, and why. */
  warnings: string[]
}

/** Where caches are introduced to the user, with the rule that keeps a daemon's data root safe. */
const CACHES = `Modes with caches take --cache PATH: PATH is kept between jobs in a folder of its own on this machine, never shared with another installation. ${DATA_ROOT_RULE}`

export default class Modes extends BaseCommand {
  static override summary = 'List the container modes: built-in and from installed plugins.'
  static override description = `A mode decides how jobs run: in separate job pods, privileged, with Docker-in-Docker, ... Plugins add modes: deskrun plugins install <plugin>.

${CACHES}`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run(): Promise<ModesResult> {
    await this.parse(Modes)
    const registry = await this.modes()
    const modes = registry.modes.map(({mode, source}) => ({
      name: mode.name,
      summary: mode.summary,
      ...(mode.description ? {description: mode.description} : {}),
      takesCaches: mode.takesCaches,
      source,
    }))
    const columns = terminalColumns()
    this.log(
      table(
        modes.map((mode) => ({
          mode: mode.name,
          caches: mode.takesCaches ? 'yes' : 'no',
          source: describeSource(mode.source),
          summary: mode.summary,
        })),
        // The mode is what `add --mode` takes: it stays whole; the summary goes under it when the row is too long.
        ['mode', 'caches', {key: 'source', shorten: true}, {key: 'summary', below: true}],
        columns,
      ),
    )
    // Piped, stdout holds the table's lines only.
    if (!columns) return {modes, warnings: registry.warnings}
    this.log('')
    this.log(wrapWords(CACHES, columns).join('\n'))
    return {modes, warnings: registry.warnings}
  }
}
