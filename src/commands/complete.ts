import * as Args from '@oclif/core/args'
import {Command} from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'

import {completionCandidates, formatCandidate} from '../lib/cli/completion/candidates.js'
import {VALUE_KINDS, type ValueKind} from '../lib/cli/completion/values.js'

/**
 * Runs on every TAB, so it stays out of BaseCommand: it needs none of its flags, tools or signal
 * handling, and loading them would slow each completion down.
 */
export default class Complete extends Command {
  static override hidden = true
  static override summary =
    'Print the values that shell completion offers; the scripts of `deskrun autocomplete` call it.'
  static override description =
    'One value a line. Reads only the config and the installed plugins; never calls kind, helm or kubectl.'

  static override examples = [
    '<%= config.bin %> <%= command.id %> mode',
    '<%= config.bin %> <%= command.id %> installation --descriptions',
  ]

  static override args = {
    kind: Args.string({description: 'What to list.', options: [...VALUE_KINDS], required: true}),
  }

  static override flags = {
    descriptions: Flags.boolean({summary: 'Print VALUE:DESCRIPTION lines (the format of zsh _describe).'}),
  }

  async run() {
    const {args, flags} = await this.parse(Complete)
    const candidates = await completionCandidates(args.kind as ValueKind, this.config)
    for (const candidate of candidates) this.log(formatCandidate(candidate, flags.descriptions))
  }
}
