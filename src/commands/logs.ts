import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {showLogs} from '../lib/app/logs.js'
import {BaseCommand} from '../lib/cli/base-command.js'

export default class Logs extends BaseCommand {
  static override summary = "Show the logs of an installation's runners, its listener, or the ARC controller."
  static override description =
    "Reads them with kubectl logs; each line starts with its pod and container. The runner logs say which job ran and how it went; the listener (one per scale set, in the controller's namespace) talks to GitHub and is where bad credentials or a wrong URL show; the controller starts and removes runners. NAME is an installation (all its instances) or one instance (NAME-2). Runner pods are ephemeral: a runner's log goes with its pod once its job is done."
  static override examples = [
    '<%= config.bin %> <%= command.id %> my-runner',
    {
      description: 'Follow them until Ctrl-C:',
      command: '<%= config.bin %> <%= command.id %> my-runner --follow',
    },
    {
      description: 'Why does no runner start?',
      command: '<%= config.bin %> <%= command.id %> my-runner --listener --tail 50',
    },
    '<%= config.bin %> <%= command.id %> --controller',
  ]

  static override args = {
    name: Args.string({description: 'Installation or instance (see deskrun list); not with --controller.'}),
  }

  static override flags = {
    listener: Flags.boolean({
      summary: "The scale sets' listeners instead of the runners.",
      exclusive: ['controller'],
    }),
    controller: Flags.boolean({
      summary: 'The ARC controller instead of the runners.',
      exclusive: ['listener'],
    }),
    follow: Flags.boolean({char: 'f', summary: 'Keep printing new lines until Ctrl-C.'}),
    tail: Flags.integer({summary: 'Lines from the end of each log; -1: all.', default: 100, min: -1}),
  }

  async run() {
    const {args, flags} = await this.parse(Logs)
    const source = flags.controller ? 'controller' : flags.listener ? 'listener' : 'runner'
    const {found} = await showLogs(await this.actionContext(flags, {pluginModes: false}), args.name, {
      source,
      follow: flags.follow,
      tail: flags.tail,
      onLine: (line) => this.log(line),
    })
    if (!found)
      this.note(
        source === 'runner'
          ? `No runner pod of ${args.name} is running (paused, or no idle runner and no job); try --listener.`
          : `No ${source} pod is running; see deskrun status.`,
      )
  }
}
