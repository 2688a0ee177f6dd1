import * as Args from '@oclif/core/args'

import {BaseCommand} from '../lib/cli/base-command.js'

export default class Snippet extends BaseCommand {
  static override summary = "Print the lines a workflow's job needs to run on an installation."
  static override description =
    "`runs-on:` with the scale set name (with several instances, a matrix over their names), and `container:` where the mode needs one: the kubernetes mode runs a job's steps in a pod of their own and refuses a job without `container:`. Paste the lines under `jobs.<id>:`; any image with a shell works in place of the example. Reads the config only."
  static override examples = [
    '<%= config.bin %> <%= command.id %> my-runner',
    {
      description: 'Into the clipboard (Linux, macOS):',
      command: '<%= config.bin %> <%= command.id %> my-runner | xclip -selection clipboard   # or | pbcopy',
    },
    '<%= config.bin %> <%= command.id %> my-runner --json',
  ]

  static override enableJsonFlag = true
  static override args = {
    name: Args.string({description: 'Installation (see deskrun list).', required: true}),
  }

  async run() {
    const {args} = await this.parse(Snippet)
    const {snippet} = await import('../lib/app/snippet.js')
    const result = await snippet(
      {modes: await this.modes(), note: (message) => this.note(message)},
      args.name,
    )
    this.log(result.text)
    return result
  }
}
