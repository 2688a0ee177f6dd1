/**
 * The config file (`~/.deskrun/config.json`) as it is on disk, and the domain view the rest of deskrun
 * uses. The on-disk names are the original Go deskrun's, so its files load and ours stay readable by it.
 */
import type {CredentialSource} from '../installation/types.js'
import type {Installation} from '../installation/types.js'
import type {NetworkSettings} from '../installation/network.js'

export const CONFIG_VERSION = 1

/** A `--cache` entry as the original stored it (Source empty or absent: deskrun picks the folder). */
export interface FileCachePath {
  Target: string
  Source?: string
}

/**
 * A `--mount`, in the shape of the original's later host mounts. (In files of the original, whose
 * directory mounts were caches, those become caches: see migrate.ts.)
 */
export interface FileMount {
  /** Host path; empty or absent: the same as Target. */
  Source?: string
  Target: string
  /** DirectoryOrCreate (default when empty), Directory or Socket. */
  Type?: string
  /** deskrun's addition: mounted read-only. */
  ReadOnly?: boolean
}

export interface FileInstallation {
  Name?: string
  /** `--node`: the node every instance runs on. */
  Node?: string
  /** The node each instance was pinned to (instance name -> node), chosen by deskrun and then kept. */
  Nodes?: Record<string, string>
  Repository: string
  ContainerMode: string
  MinRunners: number
  MaxRunners: number
  /** Absent or 0 in files of the original from before `--instances`: one instance. */
  Instances?: number
  CachePaths?: FileCachePath[]
  /** `--cache-storage-class`: the caches live in a PersistentVolumeClaim per instance of this class. */
  CacheStorageClass?: string
  /** `--cache-size`: the size of each such claim (written with the class). */
  CacheSize?: string
  /** `--mount` host paths. */
  Mounts?: FileMount[]
  RunnerGroup?: string
  /** `--proxy` URL; may hold the proxy's credentials (the file is 0600 like AuthValue). */
  Proxy?: string
  /** `--no-proxy` entries. */
  NoProxy?: string[]
  /** `--github-ca-file`: the PEM CA bundle itself. */
  GitHubCA?: string
  /** `--runner-image`; absent: ARC's runner image. */
  RunnerImage?: string
  Labels?: string[]
  AuthType: 'pat' | 'github-app'
  /** The PAT, or the GitHub App's PEM private key, as in the original. */
  AuthValue: string
  AppID?: string
  InstallationID?: string
  /** Where `deskrun add` read AuthValue from; absent in files written by hand or by the original. */
  AuthSource?: CredentialSource
  Deployed?: boolean
  /** `deskrun pause`: written only when true. */
  Paused?: boolean
  /** `--cpus` and `--memory`, as given (Kubernetes quantities). */
  CPUs?: string
  Memory?: string
  [unknownKey: string]: unknown
}

/** Version 1 of the file, as deskrun writes it. */
export interface ConfigFile {
  version: typeof CONFIG_VERSION
  cluster_name: string
  cache_root?: string
  chart_version?: string
  /** A mirror of the kind, helm and kubectl downloads (`deskrun doctor --fix`); DESKRUN_TOOLS_BASE_URL wins. */
  tools_base_url?: string
  /** An existing cluster to use instead of a kind cluster (`deskrun cluster use CONTEXT`). */
  kube_context?: string
  /** The kubeconfig that holds kube_context (default: KUBECONFIG or ~/.kube/config). */
  kubeconfig?: string
  /** Defaults for installations without their own Proxy, NoProxy (with the proxy) and GitHubCA. */
  proxy?: string
  no_proxy?: string[]
  github_ca?: string
  installations: Record<string, FileInstallation>
  [unknownKey: string]: unknown
}

export interface StoredInstallation extends Installation {
  /** True once deskrun has deployed it; `up` redeploys everything in the config either way. */
  deployed: boolean
  /** Where the credential came from when it was added (never the credential itself). */
  authSource?: CredentialSource
  /** Keys deskrun does not know, kept as they were. */
  extra?: Record<string, unknown>
}

export interface DeskrunConfig {
  clusterName: string
  /** Host folder for all caches (the kind node mounts it). */
  cacheRoot: string
  /** gha-runner-scale-set(-controller) chart version; deskrun's pinned default unless the file sets one. */
  chartVersion: string
  /** Where `deskrun doctor --fix` downloads kind, helm and kubectl from instead of their official hosts. */
  toolsBaseUrl?: string
  /** An existing cluster, by kube context: deskrun then never creates or deletes a cluster. */
  kubeContext?: string
  kubeconfig?: string
  /**
   * `deskrun defaults`: the proxy (with its no-proxy list) and the GitHub CA of every installation that
   * has none of its own.
   */
  networkDefaults?: NetworkSettings
  installations: Record<string, StoredInstallation>
  /** Top-level keys deskrun does not know (e.g. the original's cluster_hosts), kept as they were. */
  extra: Record<string, unknown>
}
