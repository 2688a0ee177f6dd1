/** The user's words for what deskrun manages, independent of how the config file spells them. */

export type AuthType = 'pat' | 'github-app'

/** The environment variable `--auth-value` may come from instead. */
export const AUTH_VALUE_ENV = 'DESKRUN_AUTH_VALUE'

/** Where a credential was read from: --auth-value-file, stdin (-), DESKRUN_AUTH_VALUE or --auth-value. */
export const CREDENTIAL_SOURCES = ['file', 'stdin', 'env', 'flag'] as const
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number]

export type Auth =
  | {type: 'pat'; token: string}
  | {type: 'github-app'; appId: string; installationId: string; privateKey: string}

/** A `--cache` request: where in the job it appears, and optionally which host folder backs it. */
export interface CacheSpec {
  /** Absolute path inside the job / runner container. */
  target: string
  /** Absolute host folder (must lie under the cache root); default: a partition deskrun chooses. */
  source?: string
}

/** One entry of the config: what the user asked for with `deskrun add`. */
export interface Installation {
  name: string
  /** GitHub repository, organization or enterprise URL (ARC's githubConfigUrl). */
  repository: string
  mode: string
  minRunners: number
  maxRunners: number
  instances: number
  caches: CacheSpec[]
  runnerGroup?: string
  /** Extra runs-on labels (ARC scaleSetLabels). */
  labels: string[]
  auth: Auth
  /** `--node`: every instance runs on this node (`kubernetes.io/hostname`). */
  node?: string
  /** The node each instance was pinned to on a cluster of several nodes (chosen once, then kept). */
  nodes?: Record<string, string>
  /** `deskrun pause`: no new runner starts (min and max runners 0); runners with a job finish it. */
  paused?: boolean
  /** `--cpus` (2, 1.5, 500m) and `--memory` (4Gi): limits of each container that runs the job's work. */
  cpus?: string
  memory?: string
}

/** A cache as a pod sees it: the host folder, the same folder inside the kind node, the mount point. */
export interface CacheMount {
  /** Volume name, unique within the pod: cache-0, cache-1, ... */
  volumeName: string
  /** Absolute path inside the container. */
  target: string
  /** Folder on the user's machine (under the cache root). */
  hostPath: string
  /** The same folder as the kind node sees it (under the node's cache mount); use it in hostPath volumes. */
  nodePath: string
}

/** One runner scale set: an installation has `instances` of them. */
export interface Instance {
  /** Scale set name = Helm release name = the `runs-on:` value. */
  name: string
  /** 1-based; 1 when the installation has a single instance. */
  index: number
  count: number
  minRunners: number
  maxRunners: number
  caches: CacheMount[]
}
