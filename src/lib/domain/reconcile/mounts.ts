/**
 * What the kind node must mount, and the blockers when it does not: the planner's rule, and the one for a
 * cluster another deskrun created between observing and creating it (pipeline/cluster.ts).
 */
import type {InstallationPlan} from '../plan.js'
import type {ObservedCluster} from './observation.js'
import type {Blocker, Desired} from './plan.js'

/** What the kind node must mount for these installations: the cache root when one has caches, and every `--mount` host path. */
export interface MountNeeds {
  caches: boolean
  hostMounts: string[]
}

export function mountNeeds(
  installations: readonly Pick<InstallationPlan, 'caches' | 'hostMounts'>[],
): MountNeeds {
  return {
    // Caches in a claim live in the cluster, not under the node's cache root.
    caches: installations.some((installation) => installation.caches.some((cache) => 'hostPath' in cache)),
    hostMounts: [...new Set(installations.flatMap((installation) => installation.hostMounts))].sort(),
  }
}

/**
 * What the kind node lacks of `needs`, as blockers: the planner's rule, and the one for a cluster another
 * deskrun created meanwhile. A mount that could not be told (undefined) is not held against the node.
 */
export function mountBlockers(
  cluster: Pick<Desired, 'clusterName' | 'cacheRoot'>,
  needs: MountNeeds,
  node: Pick<ObservedCluster, 'cacheMount' | 'hostMounts'>,
): Blocker[] {
  const blockers: Blocker[] = []
  if (needs.caches && node.cacheMount === false)
    blockers.push(cacheMountMissing(cluster.clusterName, cluster.cacheRoot))
  const missing =
    node.hostMounts === undefined
      ? []
      : needs.hostMounts.filter((source) => !node.hostMounts!.includes(source))
  if (missing.length > 0) blockers.push(hostMountsMissing(cluster.clusterName, missing))
  return blockers
}

function hostMountsMissing(clusterName: string, sources: string[]): Blocker {
  return {
    code: 'HOST_MOUNT_MISSING',
    message: `The cluster "${clusterName}" does not mount ${sources.join(', ')} from your machine, which --mount needs.`,
    hint: `kind fixes mounts when a cluster is created. Recreate it (your config and caches are kept):\n  deskrun cluster delete && deskrun up`,
  }
}

function cacheMountMissing(clusterName: string, cacheRoot: string): Blocker {
  return {
    code: 'CACHE_MOUNT_MISSING',
    message: `The cluster "${clusterName}" does not mount the cache root ${cacheRoot} from your machine, so caches would not persist.`,
    hint: `kind fixes mounts when a cluster is created. Recreate it (your config and caches are kept):\n  deskrun cluster delete && deskrun up`,
  }
}
