import {Command} from '@oclif/core/command'

/** `deskrun version`, as kind, helm and gh have it: the same line as `deskrun --version`. */
export default class Version extends Command {
  static override summary = "Print deskrun's version, as --version does."
  static override examples = ['<%= config.bin %> <%= command.id %>']

  async run(): Promise<void> {
    await this.parse(Version)
    this.log(this.config.userAgent)
  }
}
