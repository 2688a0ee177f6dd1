/** Flag builders shared by commands. */
import * as Flags from '@oclif/core/flags'

import {AUTH_VALUE_ENV} from '../domain/installation/types.js'
import type {NetworkFlagsGiven} from '../domain/installation/network.js'
import {DEFAULT_CACHE_SIZE} from '../domain/installation/claims.js'
import {DEFAULT_RUNNER_IMAGE} from '../domain/installation/image.js'
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
    description: `Each path is backed by a folder under the cache root on this machine (~/.cache/deskrun/NAME/cache-N for a new config; \`cache_root\` in the config moves it), so it survives jobs and cluster rebuilds; with --cache-storage-class, by a folder of the instance's claim instead. A HOST_FOLDER may not be, lie in or hold another installation's cache folder. ${DATA_ROOT_RULE}`,
    multiple: true,
    helpGroup: 'RUNNER',
  }),
  'cache-storage-class': Flags.string({
    summary:
      'Keep the caches in a volume of this storage class (one claim per instance) instead of host folders.',
    description: `For a cluster of your own (deskrun cluster use) where host folders are not wanted: several nodes, or no access to their disks. Each instance gets a PersistentVolumeClaim NAME-cache (ReadWriteOnce) of the class, and each --cache is a folder in it; the scheduler keeps the instance's pods on the node that mounts it, so no node is pinned. The claims stay when the installation is removed, and \`remove --purge-cache\` deletes them; \`cache list\` names them, \`cache prune\` leaves them alone. Kubernetes cannot change a claim's class: to move the caches, remove the installation with --purge-cache and add it again. See \`kubectl get storageclass\` for the classes there are; on kind, \`standard\` keeps the data inside the cluster (lost with cluster delete). docs/caches.md says when to use which.`,
    helpGroup: 'RUNNER',
  }),
  'cache-size': Flags.string({
    summary: `Size of each instance's cache claim (with --cache-storage-class), e.g. 50Gi. [default: ${DEFAULT_CACHE_SIZE}]`,
    description:
      'A claim can grow where its storage class allows it (allowVolumeExpansion) but never shrink.',
    helpGroup: 'RUNNER',
  }),
  mount: Flags.string({
    summary: 'Host path to show jobs as it is, as [HOST_PATH:]PATH[:TYPE][:ro] (repeatable).',
    description:
      "TYPE is DirectoryOrCreate (default), Directory (must exist) or Socket; :ro mounts it read-only; without HOST_PATH the host path is PATH. Unlike a --cache it is this machine's own path, shared by every instance and never prepared. The kind cluster mounts it when it is created: for a new --mount on an existing cluster, run deskrun cluster delete && deskrun up. WARNING: the Docker socket (/var/run/docker.sock:/var/run/docker.sock:Socket) gives every job this machine's Docker daemon, which is root on this machine; mount it only for repositories whose workflows you trust (SECURITY.md).",
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
  'runner-image': Flags.string({
    summary: `Image of the runner container, e.g. one with your tools preinstalled. [default: ${DEFAULT_RUNNER_IMAGE}]`,
    description:
      "NAME[:TAG][@sha256:DIGEST] with a lower-case repository path. Build it FROM ARC's runner image: the modes run /home/runner/run.sh as uid 1001 and use the container hooks under /home/runner, and the cache init container runs chmod from it.",
    helpGroup: 'RUNNER',
  }),
  proxy: Flags.string({
    summary:
      'HTTP(S) proxy the controller, listeners and runners reach GitHub through: http://[USER:PASSWORD@]HOST:PORT.',
    description:
      "Passed as ARC's proxy values (for http and https); credentials in the URL go into a Secret of the scale set (credentialSecretRef), never into Helm values or logs. The controller sets http_proxy, https_proxy and no_proxy in the listener and runner containers; job containers of the kubernetes modes do not inherit them (set them in the workflow's env). An installation without a proxy of its own uses the one of `deskrun defaults`, with its --no-proxy list.",
    helpGroup: 'NETWORK',
  }),
  'no-proxy': Flags.string({
    summary:
      'Hosts, domains (.example.com) or addresses reached without the proxy, comma-separated (repeatable).',
    multiple: true,
    helpGroup: 'NETWORK',
  }),
  'github-ca-file': Flags.string({
    summary: "PEM CA certificate(s) your GitHub Enterprise Server's certificate is signed with.",
    description:
      'Kept in the config and given to ARC as githubServerTLS through a ConfigMap deskrun creates: the controller and listener trust it, and the chart mounts it into the runner at /usr/local/share/ca-certificates/ca.crt (NODE_EXTRA_CA_CERTS, RUNNER_UPDATE_CA_CERTS). Every certificate in it must parse and one be valid now. An installation without a CA of its own uses the one of `deskrun defaults`.',
    helpGroup: 'NETWORK',
  }),
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

/**
 * --clear-proxy, --clear-no-proxy and --clear-github-ca: of the defaults (`deskrun defaults`), or of an
 * installation (`deskrun set`), which then uses the defaults. A flag that sets what another clears is
 * refused by networkFlagConflicts (oclif's `exclusive` would print them as alternatives in the usage line).
 */
export function clearNetworkFlags(whose: string, then = '') {
  return {
    'clear-proxy': Flags.boolean({
      summary: `Drop ${whose} proxy and its no-proxy list${then}.`,
      helpGroup: 'NETWORK',
    }),
    'clear-no-proxy': Flags.boolean({
      summary: `Drop ${whose} no-proxy list.`,
      helpGroup: 'NETWORK',
    }),
    'clear-github-ca': Flags.boolean({
      summary: `Drop ${whose} GitHub CA${then}.`,
      helpGroup: 'NETWORK',
    }),
  }
}

/** The network flags a command was given (--proxy, --no-proxy, --github-ca-file and their --clear-…). */
export function networkFlagsGiven(flags: {
  proxy?: string
  'no-proxy'?: string[]
  'github-ca-file'?: string
  'clear-proxy'?: boolean
  'clear-no-proxy'?: boolean
  'clear-github-ca'?: boolean
}): NetworkFlagsGiven {
  return {
    proxy: flags.proxy,
    noProxy: flags['no-proxy'],
    githubCAFile: flags['github-ca-file'],
    clearProxy: flags['clear-proxy'],
    clearNoProxy: flags['clear-no-proxy'],
    clearGitHubCA: flags['clear-github-ca'],
  }
}
