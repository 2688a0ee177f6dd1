/**
 * The kind cluster deskrun creates: one node that sees the host's cache root through an extraMount,
 * so hostPath caches live on the user's disk and survive `cluster delete`, and each `--mount` host path. kind fixes mounts at
 * creation; a cluster without this one has to be recreated.
 */
import path from 'node:path'

import {nodeMountPath} from './installation/mounts.js'
import {NODE_CACHE_ROOT, NODE_MOUNTS_ROOT} from './settings.js'

export interface KindConfigInput {
  /** Absolute folder on the user's machine that holds every cache. */
  cacheRoot: string
  /** Where the node sees it; not under /tmp or /run, which are tmpfs inside kind nodes. */
  nodeCacheRoot: string
  /** `--mount` host paths of every installation, each mounted at `{nodeMountsRoot}{host path}`. */
  hostMounts?: readonly string[]
  nodeMountsRoot?: string
}

export function kindClusterConfig({
  cacheRoot,
  nodeCacheRoot,
  hostMounts = [],
  nodeMountsRoot = NODE_MOUNTS_ROOT,
}: KindConfigInput): Record<string, unknown> {
  const extraMounts = [
    {hostPath: cacheRoot, containerPath: nodeCacheRoot},
    ...hostMounts.map((hostPath) => ({hostPath, containerPath: nodeMountPath(hostPath, nodeMountsRoot)})),
  ]
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    nodes: [{role: 'control-plane', extraMounts}],
  }
}

/**
 * The `--mount` host paths a node container mounts (`docker inspect` .Mounts), read from where they
 * land in the node (its Source may carry a Docker Desktop prefix).
 */
export function nodeHostMounts(
  mounts: readonly {Source: string; Destination: string}[],
  nodeMountsRoot: string = NODE_MOUNTS_ROOT,
): string[] {
  const root = normalise(nodeMountsRoot)
  return mounts
    .map((mount) => normalise(mount.Destination))
    .filter((destination) => destination.startsWith(`${root}/`))
    .map((destination) => destination.slice(root.length))
}

/** What the kind node mounts of what deskrun needs, from its `docker inspect` .Mounts. */
export function nodeMounts(
  mounts: readonly {Source: string; Destination: string}[],
  cacheRoot: string,
): {cacheMount: boolean; hostMounts: string[]} {
  return {cacheMount: hasCacheMount(mounts, cacheRoot, NODE_CACHE_ROOT), hostMounts: nodeHostMounts(mounts)}
}

/**
 * Prefixes under which Docker Desktop's VM shows host folders in `docker inspect` (macOS, Windows),
 * and macOS's /private, where /tmp and /var really live.
 */
const HOST_PREFIXES = ['', '/private', '/host_mnt', '/host_mnt/private', '/run/desktop/mnt/host']

/** Whether a node container's mounts (`docker inspect` .Mounts) include the cache root at its node path. */
export function hasCacheMount(
  mounts: readonly {Source: string; Destination: string}[],
  cacheRoot: string,
  nodeCacheRoot: string,
): boolean {
  const root = normalise(cacheRoot)
  const sources = new Set(HOST_PREFIXES.map((prefix) => prefix + root))
  return mounts.some(
    (mount) =>
      normalise(mount.Destination) === normalise(nodeCacheRoot) && sources.has(normalise(mount.Source)),
  )
}

function normalise(folder: string): string {
  const normal = path.posix.normalize(folder)
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal
}
