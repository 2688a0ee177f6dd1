/**
 * The kind cluster deskrun creates: one node that sees the host's cache root through an extraMount,
 * so hostPath caches live on the user's disk and survive `cluster delete`. kind fixes mounts at
 * creation; a cluster without this one has to be recreated.
 */
import path from 'node:path'

import {stringify} from 'yaml'

export interface KindConfigInput {
  /** Absolute folder on the user's machine that holds every cache. */
  cacheRoot: string
  /** Where the node sees it; not under /tmp or /run, which are tmpfs inside kind nodes. */
  nodeCacheRoot: string
}

export function kindClusterConfig({cacheRoot, nodeCacheRoot}: KindConfigInput): Record<string, unknown> {
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    nodes: [{role: 'control-plane', extraMounts: [{hostPath: cacheRoot, containerPath: nodeCacheRoot}]}],
  }
}

export function kindClusterConfigYaml(input: KindConfigInput): string {
  return stringify(kindClusterConfig(input))
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
