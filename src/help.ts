import {Help} from '@oclif/core/help'

/**
 * oclif's root help lists topics but hides the commands inside them; deskrun has few enough
 * commands that `deskrun --help` shows all of its own (cluster create/delete/status included).
 */
export default class DeskrunHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    const own = (pluginName?: string) => pluginName === this.config.pjson.name
    const commands = this.sortedCommands.filter(
      (command) => command.id && (own(command.pluginName) || !command.id.includes(':')),
    )
    const topics = this.sortedTopics.filter((topic) => !topic.name.includes(':'))
    this.log(this.formatRoot())
    this.log('')
    this.log(this.formatTopics(topics))
    this.log('')
    this.log(this.formatCommands(commands))
    this.log('')
  }
}
