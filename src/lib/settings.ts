/** Defaults and locations that users can change through the config or the environment. */
import os from 'node:os'
import path from 'node:path'

export const DEFAULT_CLUSTER_NAME = 'deskrun'
/** Host folder for all caches, as in the original deskrun. */
export const DEFAULT_CACHE_ROOT = '/tmp/github-runner-cache'
/**
 * Where the kind node sees the cache root. Not under /tmp or /run: those are tmpfs in kind nodes,
 * so anything there would live in RAM and vanish with the node.
 */
export const NODE_CACHE_ROOT = '/var/lib/deskrun/cache'

export function deskrunHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.DESKRUN_HOME ? path.resolve(env.DESKRUN_HOME) : path.join(os.homedir(), '.deskrun')
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(deskrunHome(env), 'config.json')
}

export function kubeContext(clusterName: string): string {
  return `kind-${clusterName}`
}
