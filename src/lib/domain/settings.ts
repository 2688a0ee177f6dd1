/** Defaults and locations that users can change through the config or the environment. */
import os from 'node:os'
import path from 'node:path'

export const DEFAULT_CLUSTER_NAME = 'deskrun'
/**
 * The cache root of the original deskrun, and so what a config without `cache_root` means. Not the
 * default for new configs: /tmp is emptied at boot or cleaned by age on many hosts (docs/caches.md).
 */
export const ORIGINAL_CACHE_ROOT = '/tmp/github-runner-cache'
/**
 * Where the kind node sees the cache root. Not under /tmp or /run: those are tmpfs in kind nodes,
 * so anything there would live in RAM and vanish with the node.
 */
export const NODE_CACHE_ROOT = '/var/lib/deskrun/cache'
/** Where the kind node sees each `--mount` host path: `{NODE_MOUNTS_ROOT}{host path}` (apart from its own folders). */
export const NODE_MOUNTS_ROOT = '/var/lib/deskrun/mounts'

/** How long one kind, helm or kubectl call may take (`--timeout`). */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000

/** How many scale sets `up` deploys at once (`--concurrency`). */
export const DEFAULT_CONCURRENCY = 4

export function deskrunHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.DESKRUN_HOME ? path.resolve(env.DESKRUN_HOME) : path.join(os.homedir(), '.deskrun')
}

/** The cache root of a new config: `$XDG_CACHE_HOME/deskrun`, or `~/.cache/deskrun`, on a disk that is kept. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME
  // The XDG spec says to ignore a relative value.
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'deskrun')
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(deskrunHome(env), 'config.json')
}

export function kubeContext(clusterName: string): string {
  return `kind-${clusterName}`
}

/** Which cluster deskrun drives: its kind cluster, or an existing one named by kube context. */
export interface ClusterTarget {
  clusterName: string
  kubeContext?: string
  kubeconfig?: string
}

/** The kube context deskrun's kubectl and helm calls use. */
export function targetContext(target: ClusterTarget): string {
  return target.kubeContext ?? kubeContext(target.clusterName)
}

/** deskrun made this cluster with kind (and may create, delete and inspect its node). */
export function isKindCluster(target: ClusterTarget): boolean {
  return target.kubeContext === undefined
}
