import * as Args from '@oclif/core/args'

import {BaseCommand} from '../lib/cli/base-command.js'
import {authFlags, installationFlags, yesFlag} from '../lib/cli/flags.js'
import type {AuthType} from '../lib/domain/installation/types.js'
import {jobContainerLine} from '../lib/domain/snippet.js'

export default class Add extends BaseCommand {
  static override summary = 'Add a runner installation and bring it up.'
  static override description = `Saves the installation in the config, then creates the kind cluster if it is missing, installs GitHub's Actions Runner Controller once, and deploys the runner scale set(s). Workflows reach the runners with \`runs-on: NAME\` (or NAME-1..NAME-N with --instances).

Bad input changes nothing. If a later step fails, the installation stays in the config and \`deskrun up\` finishes it.`
  static override examples = [
    {
      description: 'A runner for one repository, with a token read from a file:',
      command:
        '<%= config.bin %> <%= command.id %> my-runner --repository https://github.com/owner/repo --auth-type pat --auth-value-file ~/.config/deskrun/token',
    },
    {
      description:
        'Privileged jobs with a Docker layer cache (a Docker data root serves one daemon at a time, so one runner):',
      command:
        '<%= config.bin %> <%= command.id %> docker-runner --repository https://github.com/owner/repo --mode cached-privileged-kubernetes --cache /var/lib/docker --max-runners 1 --auth-value-file ~/.gh-token',
    },
    {
      description: 'Three single-runner scale sets multi-runner-1..3, each with its own cache:',
      command:
        '<%= config.bin %> <%= command.id %> multi-runner --repository https://github.com/owner/repo --mode cached-privileged-kubernetes --cache /var/lib/docker --instances 3 --auth-value-file ~/.gh-token',
    },
    {
      description:
        "On a cluster of your own (deskrun cluster use), caches in a volume of its storage class rather than the nodes' folders:",
      command:
        '<%= config.bin %> <%= command.id %> team-runner --repository https://github.com/owner/repo --mode dind --cache /var/lib/docker --max-runners 1 --cache-storage-class longhorn --cache-size 50Gi --auth-value-file ~/.gh-token',
    },
    {
      description: 'Docker-in-Docker, token from stdin:',
      command:
        'gh auth token | <%= config.bin %> <%= command.id %> dind-runner --repository https://github.com/owner/repo --mode dind --auth-value -',
    },
    {
      description: 'At most 2 CPUs and 4 GiB for each container that runs jobs:',
      command:
        '<%= config.bin %> <%= command.id %> small-runner --repository https://github.com/owner/repo --cpus 2 --memory 4Gi --auth-value-file ~/.gh-token',
    },
    {
      description: 'Jobs in an image of your own, built FROM ghcr.io/actions/actions-runner with your tools:',
      command:
        '<%= config.bin %> <%= command.id %> tools-runner --repository https://github.com/owner/repo --mode dind --runner-image ghcr.io/my-org/runner-with-tools:1.4 --auth-value-file ~/.gh-token',
    },
    {
      description:
        "Jobs use this machine's Docker daemon through its socket (root on this machine for every job):",
      command:
        '<%= config.bin %> <%= command.id %> host-docker --repository https://github.com/owner/repo --mount /var/run/docker.sock:/var/run/docker.sock:Socket --auth-value-file ~/.gh-token',
    },
    {
      description: 'A read-only host folder (a Nix store) in every job:',
      command:
        '<%= config.bin %> <%= command.id %> nix-runner --repository https://github.com/owner/repo --mount /nix/store:ro --auth-value-file ~/.gh-token',
    },
    {
      description:
        'Behind a proxy, with a GitHub Enterprise Server whose certificate your own CA signed (its credentials go into a Secret):',
      command:
        '<%= config.bin %> <%= command.id %> ghes-runner --repository https://github.example.com/org/repo --proxy http://proxy.example.com:3128 --no-proxy .example.com,10.0.0.0/8 --github-ca-file ./corp-ca.pem --auth-value-file ~/.gh-token',
    },
    {
      description: 'A GitHub App for an organization:',
      command:
        '<%= config.bin %> <%= command.id %> org-runner --repository https://github.com/my-org --auth-type github-app --app-id 123456 --installation-id 7890123 --private-key-file ./app.private-key.pem',
    },
  ]

  static override enableJsonFlag = true

  static override args = {
    name: Args.string({
      description: 'Installation name; also the runs-on value (lower-case letters, digits and -).',
      required: true,
    }),
  }

  static override flags = {...installationFlags, ...authFlags, ...yesFlag}

  async run() {
    const started = performance.now()
    const {args, flags} = await this.parse(Add)
    const {addInstallation} = await import('../lib/app/add.js')
    const {elapsedSince} = await import('../lib/pipeline/run.js')
    const result = await addInstallation(await this.actionContext(flags), {
      name: args.name,
      repository: flags.repository,
      mode: flags.mode,
      cache: flags.cache ?? [],
      cacheStorageClass: flags['cache-storage-class'],
      cacheSize: flags['cache-size'],
      mount: flags.mount ?? [],
      instances: flags.instances,
      minRunners: flags['min-runners'],
      maxRunners: flags['max-runners'],
      runnerGroup: flags['runner-group'],
      runnerImage: flags['runner-image'],
      proxy: flags.proxy,
      noProxy: flags['no-proxy'],
      githubCAFile: flags['github-ca-file'],
      node: flags.node,
      label: flags.label ?? [],
      cpus: flags.cpus,
      memory: flags.memory,
      credentials: {
        authType: flags['auth-type'] as AuthType,
        authValue: flags['auth-value'],
        authValueFile: flags['auth-value-file'],
        privateKeyFile: flags['private-key-file'],
        appId: flags['app-id'],
        installationId: flags['installation-id'],
      },
    })
    const took = await elapsedSince(started)
    const several = result.scaleSets.length > 1
    this.log(
      `\n${result.installation} is up (${result.mode})${took ? `, after ${took}` : ''}. Route jobs to it with` +
        (several ? ` any one of these (one runner each):` : ':'),
    )
    for (const scaleSet of result.scaleSets) this.log(`  runs-on: ${scaleSet}`)
    const container = jobContainerLine(result.jobContainer, result.mode)
    if (container) this.log(`  ${container}`)
    this.log(
      several
        ? `deskrun snippet ${result.installation} prints a matrix that runs a job on each instance.`
        : `deskrun snippet ${result.installation} prints these lines again.`,
    )
    if (result.caches.length > 0) {
      const where = (cache: (typeof result.caches)[number]) =>
        'hostPath' in cache ? cache.hostPath : `claim ${cache.claim}, folder ${cache.subPath}`
      this.log(
        result.caches.some((cache) => 'claim' in cache)
          ? 'Caches in the cluster:'
          : 'Caches on this machine:',
      )
      for (const cache of result.caches) this.log(`  ${cache.scaleSet} ${cache.target} -> ${where(cache)}`)
    }
    return result
  }
}
