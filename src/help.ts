import type {Command, Config, Interfaces} from '@oclif/core'
import {CommandHelp, Help} from '@oclif/core/help'

import {GET_STARTED} from './lib/cli/get-started.js'

/**
 * oclif's root help lists topics but hides the commands inside them; deskrun has few enough
 * commands that `deskrun --help` shows all of its own (cluster create/delete/status included). Above
 * them, the two commands a newcomer starts with.
 */
export default class DeskrunHelp extends Help {
  override CommandHelpClass = DeskrunCommandHelp

  constructor(config: Interfaces.Config, options?: Partial<Interfaces.HelpOptions>) {
    super(config, options)
    this.render = templatesOnly(this.render)
  }

  protected override async showRootHelp(): Promise<void> {
    const own = (pluginName?: string) => pluginName === this.config.pjson.name
    const commands = this.sortedCommands.filter(
      (command) => command.id && (own(command.pluginName) || !command.id.includes(':')),
    )
    const topics = this.sortedTopics.filter((topic) => !topic.name.includes(':'))
    this.log(this.formatRoot())
    this.log('')
    this.log(
      this.section(
        'GET STARTED',
        [
          'Check this machine, then add runners for a repository (its token in FILE):',
          '$ deskrun doctor',
          `$ ${GET_STARTED}`,
          'Workflows then reach them with runs-on: NAME.',
        ].join('\n'),
      ),
    )
    this.log('')
    this.log(this.formatTopics(topics))
    this.log('')
    this.log(this.formatCommands(commands))
    this.log('')
  }
}

class DeskrunCommandHelp extends CommandHelp {
  constructor(command: Command.Loadable, config: Config, options: Interfaces.HelpOptions) {
    super(command, config, options)
    this.render = templatesOnly(this.render)
  }
}

/**
 * oclif renders every line of help (each command's summary too) as an ejs template, which compiles it
 * first: most of `deskrun --help`'s own time. A line without ejs's delimiters renders as itself, so it
 * is left alone (ejs also drops a '%>' that closes no tag, so that goes to ejs too).
 */
export function templatesOnly(render: (text: string) => string): (text: string) => string {
  return (text) => (text.includes('<%') || text.includes('%>') ? render(text) : text)
}
