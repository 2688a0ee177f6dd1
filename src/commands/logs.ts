import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import type {LogSource} from '../lib/app/logs.js'
import {BaseCommand} from '../lib/cli/base-command.js'

function notFound(source: LogSource, name: string | undefined): string {
  switch (source) {
    case 'runner':
      return `No runner pod of ${name} is running (paused, or no idle runner and no job); try --listener.`
    case 'job':
      return `No job pod of ${name} is running: the kubernetes modes start one for each job while it runs (see deskrun status); dind runs jobs in the runner pod (deskrun logs ${name}).`
    default:
      return `No ${source} pod is running; see deskrun status.`
  }
}

export default class Logs extends BaseCommand {
  static override summary = "Show the logs of an installation's runners, its listener, or the ARC controller."
  static override description =
    "Reads them with kubectl logs; each line starts with its pod and container. The runner logs say which job ran and how it went; --job shows the pod a job runs in (kubernetes modes); the listener (one per scale set, in the controller's namespace) talks to GitHub and is where bad credentials or a wrong URL show; the controller starts and removes runners. NAME is an installation (all its instances) or one instance (NAME-2). Runner pods are ephemeral: a runner's log goes with its pod once its job is done."
  static override examples = [
    '<%= config.bin %> <%= command.id %> my-runner',
    {
      description: 'Follow them until Ctrl-C:',
      command: '<%= config.bin %> <%= command.id %> my-runner --follow',
    },
    {
      description: "The pod of the job a runner runs (kubernetes modes), e.g. its services' logs:",
      command: '<%= config.bin %> <%= command.id %> my-runner --job',
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
    job: Flags.boolean({
      summary: "The pods of the runners' jobs (kubernetes modes) instead of the runners: every container.",
      description:
        "In the kubernetes modes a job runs in a pod of its own (the runner pod's name plus -workflow) while it runs: its job container and one container per service of the workflow (a database's log is here). The job container itself only waits: its steps run in it through kubectl exec and print to the run's page on GitHub. dind runs jobs inside the runner pod and has no such pod.",
      exclusive: ['listener', 'controller'],
    }),
    listener: Flags.boolean({
      summary: "The scale sets' listeners instead of the runners.",
      exclusive: ['controller', 'job'],
    }),
    controller: Flags.boolean({
      summary: 'The ARC controller instead of the runners.',
      exclusive: ['listener', 'job'],
    }),
    follow: Flags.boolean({char: 'f', summary: 'Keep printing new lines until Ctrl-C.'}),
    tail: Flags.integer({summary: 'Lines from the end of each log; -1: all.', default: 100, min: -1}),
  }

  async run() {
    const {args, flags} = await this.parse(Logs)
    const {showLogs} = await import('../lib/app/logs.js')
    const source = flags.controller
      ? 'controller'
      : flags.listener
        ? 'listener'
        : flags.job
          ? 'job'
          : 'runner'
    const {found} = await showLogs(await this.actionContext(flags, {pluginModes: false}), args.name, {
      source,
      follow: flags.follow,
      tail: flags.tail,
      onLine: (line) => this.log(line),
    })
    if (!found) this.note(notFound(source, args.name))
  }
}
