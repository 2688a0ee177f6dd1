/** An installation becomes one runner scale set per instance. */
import {type CacheRoots, resolveCaches} from './caches.js'
import {claimCaches} from './claims.js'
import {instanceNames} from './naming.js'
import type {Installation, Instance} from './types.js'

/**
 * The most instances one installation may have. Each instance is a scale set of its own: an ARC listener
 * pod (one connection to GitHub each) and an always-running runner pod, plus a job pod per running job
 * in the kubernetes modes, so up to 3 pods. kind runs everything on one node, whose kubelet starts at
 * most 110 pods: 32 instances (96 pods) leave room for the cluster's own ten or so (DNS, CNI, storage,
 * the controller). Past that, pods stay Pending, and a desk machine has run out of CPU long before.
 */
export const MAX_INSTANCES = 32

/**
 * One Instance per scale set. A single instance scales between the installation's min and max;
 * with several, each runs exactly one runner (min 1, max 1), as in the original deskrun, so every
 * instance keeps its own warm cache.
 */
export function expandInstances(inst: Installation, roots: CacheRoots): Instance[] {
  const names = instanceNames(inst.name, inst.instances)
  const count = names.length
  return names.map((name, i) => ({
    name,
    index: i + 1,
    count,
    minRunners: count > 1 ? 1 : inst.minRunners,
    maxRunners: count > 1 ? 1 : inst.maxRunners,
    caches: inst.cacheStorage
      ? claimCaches(inst.caches, name)
      : resolveCaches(inst.name, inst.caches, {name, index: i + 1, count}, roots),
  }))
}
