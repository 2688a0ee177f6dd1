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

export const HOST_MOUNT_TYPES = ['DirectoryOrCreate', 'Directory', 'Socket'] as const
/** The kubelet's hostPath type: make a missing folder, require a folder, require a Unix socket. */
export type HostMountType = (typeof HOST_MOUNT_TYPES)[number]

/** A `--mount` request: a host path (not a cache) shown to jobs as it is, e.g. the Docker socket. */
export interface HostMountSpec {
  /** Absolute path on the user's machine. */
  source: string
  /** Absolute path inside the job / runner container. */
  target: string
  type: HostMountType
  readOnly: boolean
}

/**
 * `--cache-storage-class`: the installation's caches live in one PersistentVolumeClaim per instance, of
 * this storage class, instead of host folders under the cache root (docs/caches.md says when to use which).
 */
export interface CacheStorage {
  storageClass: string
  /** `--cache-size`: the claim's requested storage, a Kubernetes quantity such as 20Gi. */
  size: string
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
  /** Caches on a storage class (a claim per instance); absent: host folders under the cache root. */
  cacheStorage?: CacheStorage
  /** `--mount`: host paths mounted as they are (absent: none). */
  mounts?: HostMountSpec[]
  runnerGroup?: string
  /** Extra runs-on labels (ARC scaleSetLabels). */
  labels: string[]
  auth: Auth
  /** `--proxy`: http(s)://[USER:PASSWORD@]HOST[:PORT] for runners, listeners and the controller's GitHub calls. */
  proxy?: string
  /** `--no-proxy`: hosts, domains and addresses reached without the proxy. */
  noProxy?: string[]
  /** `--github-ca-file`: the PEM CA bundle of a GitHub Enterprise Server (its contents). */
  githubCA?: string
  /** `--runner-image`: the runner container's image; absent: ARC's (DEFAULT_RUNNER_IMAGE). */
  runnerImage?: string
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

interface CacheMountBase {
  /**
   * Volume name in the pod: cache-0, cache-1, ... for host folders (one volume each); for a claim, the
   * one volume of the instance's claim (CACHE_CLAIM_VOLUME), shared by all its caches.
   */
  volumeName: string
  /** Absolute path inside the container. */
  target: string
}

/** A cache in a host folder: the folder on the user's machine, the same folder inside the kind node. */
export interface HostCacheMount extends CacheMountBase {
  /** Folder on the user's machine (under the cache root). */
  hostPath: string
  /** The same folder as the kind node sees it (under the node's cache mount); use it in hostPath volumes. */
  nodePath: string
}

/** A cache in the instance's PersistentVolumeClaim (`--cache-storage-class`): a folder of the claim. */
export interface ClaimCacheMount extends CacheMountBase {
  claimName: string
  /** The cache's folder in the claim: cache-0, cache-1, ... (the volume mount's subPath). */
  subPath: string
}

/** A cache as a pod sees it. */
export type CacheMount = HostCacheMount | ClaimCacheMount

export function isClaimCache(cache: CacheMount): cache is ClaimCacheMount {
  return 'claimName' in cache
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
