/** Flag builders shared by commands. */
import {Flags} from '@oclif/core'

import {AUTH_VALUE_ENV} from '../domain/installation/types.js'
import {MAX_INSTANCES} from '../domain/installation/instances.js'
import {DATA_ROOT_RULE} from '../domain/installation/sharing.js'

export const jsonExample = (command: string) => `<%= config.bin %> ${command} --json`

/** Consent to install missing kind, helm or kubectl into deskrun's own folder. */
export const yesFlag = {
  yes: Flags.boolean({
    char: 'y',
    summary: "Install missing or too old kind, helm and kubectl into deskrun's own folder without asking.",
  }),
}

export const installationFlags = {
  repository: Flags.string({
    char: 'r',
    summary: 'GitHub repository, organization or enterprise URL the runners register with.',
    description:
      'https://github.com/OWNER/REPO, https://github.com/ORG or https://github.com/enterprises/ENTERPRISE (other hosts: GitHub Enterprise Server).',
    required: true,
    helpGroup: 'RUNNER',
  }),
  mode: Flags.string({
    char: 'm',
    summary: 'Container mode (see `deskrun modes`).',
    default: 'kubernetes',
    helpGroup: 'RUNNER',
  }),
  cache: Flags.string({
    char: 'c',
    summary: 'Path to keep between jobs, as PATH or HOST_FOLDER:PATH (repeatable).',
    description: `Each path is backed by a folder under the cache root on this machine (~/.cache/deskrun/NAME/cache-N for a new config; \`cache_root\` in the config moves it), so it survives jobs and cluster rebuilds. A HOST_FOLDER may not be, lie in or hold another installation's cache folder. ${DATA_ROOT_RULE}`,
    multiple: true,
    helpGroup: 'RUNNER',
  }),
  instances: Flags.integer({
    summary: `Number of scale sets NAME-1..NAME-N (at most ${MAX_INSTANCES}), each with one runner and its own caches.`,
    default: 1,
    helpGroup: 'RUNNER',
  }),
  'min-runners': Flags.integer({summary: 'Idle runners kept ready. [default: 1]', helpGroup: 'RUNNER'}),
  'max-runners': Flags.integer({summary: 'Most runners at once. [default: 5]', helpGroup: 'RUNNER'}),
  'runner-group': Flags.string({summary: 'Runner group on GitHub (must exist there).', helpGroup: 'RUNNER'}),
  node: Flags.string({
    summary: 'Run every instance on this node of the cluster (kubernetes.io/hostname).',
    description:
      'For a cluster of several nodes (deskrun cluster use). Without it, deskrun pins each instance that has caches to the least busy node once and keeps it there, so its caches are always at hand; `deskrun list --json` shows where.',
    helpGroup: 'RUNNER',
  }),
  label: Flags.string({
    summary: 'Extra runs-on label for the scale set (repeatable).',
    multiple: true,
    helpGroup: 'RUNNER',
  }),
  cpus: Flags.string({
    summary:
      'CPU limit of each container that runs jobs: cores (2, 1.5) or millicores (500m). [default: none]',
    description:
      'Applies to the runner container, the job container of the kubernetes modes and the Docker daemon of dind, each on its own; they request at most 100m, so runners still start on a busy machine.',
    helpGroup: 'RESOURCES',
  }),
  memory: Flags.string({
    summary:
      'Memory limit of each container that runs jobs, in Kubernetes units: 512Mi, 4Gi. [default: none]',
    description:
      'Applies like --cpus; a container that goes over it is killed (OOMKilled) and its job fails. They request at most 256Mi.',
    helpGroup: 'RESOURCES',
  }),
}

export const authFlags = {
  'auth-type': Flags.string({
    summary: 'How the runners authenticate with GitHub.',
    options: ['pat', 'github-app'],
    default: 'pat',
    helpGroup: 'AUTH',
  }),
  'auth-value': Flags.string({
    summary: `The token (pat) or private key (github-app); - reads stdin. Prefer --auth-value-file or ${AUTH_VALUE_ENV}.`,
    helpGroup: 'AUTH',
  }),
  'auth-value-file': Flags.string({
    summary: 'File holding the token (pat) or the private key (github-app); - reads stdin.',
    helpGroup: 'AUTH',
  }),
  'app-id': Flags.string({summary: 'GitHub App ID or client ID (github-app).', helpGroup: 'AUTH'}),
  'installation-id': Flags.string({summary: 'GitHub App installation ID (github-app).', helpGroup: 'AUTH'}),
  'private-key-file': Flags.string({
    summary: "GitHub App's private key PEM file (github-app).",
    helpGroup: 'AUTH',
  }),
}
