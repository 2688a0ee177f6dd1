/**
 * Caches on a storage class (`--cache-storage-class`): for clusters where host folders are not wanted
 * (several nodes, no access to the nodes' disks). Each instance gets one PersistentVolumeClaim, and each
 * `--cache` is a folder of it (a subPath). ReadWriteOnce: all pods of an instance share one node, which
 * the scheduler sees to for volumes bound to a node (local-path and the like); see docs/caches.md.
 */
import {normalisePath} from './caches.js'
import {cacheClaimName} from './naming.js'
import {memoryBytes} from './resources.js'
import type {CacheSpec, CacheStorage, ClaimCacheMount} from './types.js'
import type {KubeObject} from '../kube.js'

/** What `--cache-size` is without one: room for a Docker layer cache or a few toolchains. */
export const DEFAULT_CACHE_SIZE = '20Gi'
/** A claim smaller than this is most likely a size without its unit (`20` is 20 bytes). */
const MIN_CACHE_BYTES = 2 ** 30
/** The pod volume of an instance's claim: one for all its caches (two volumes of one claim hang a pod). */
export const CACHE_CLAIM_VOLUME = 'cache-claim'

const CLASS_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/

/** A storage quantity in bytes (Kubernetes units: 20Gi, 500G); undefined when it is none. */
export function storageBytes(size: string): number | undefined {
  return memoryBytes(size)
}

/** The caches of one instance as folders `cache-{index}` of its claim. */
export function claimCaches(caches: readonly CacheSpec[], instanceName: string): ClaimCacheMount[] {
  return caches.map((cache, index) => ({
    volumeName: CACHE_CLAIM_VOLUME,
    target: normalisePath(cache.target),
    claimName: cacheClaimName(instanceName),
    subPath: `cache-${index}`,
  }))
}

/** The claim of one instance, as deskrun applies it (labelled like its other objects). */
export function cacheClaim(
  storage: CacheStorage,
  instanceName: string,
  namespace: string,
  labels: Readonly<Record<string, string>>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {name: cacheClaimName(instanceName), namespace, labels: {...labels}},
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: storage.storageClass,
      resources: {requests: {storage: storage.size}},
    },
  }
}

/** What is wrong with `--cache-storage-class` / `--cache-size` of an installation; empty when fine. */
export function cacheStorageProblems(inst: {
  caches: readonly CacheSpec[]
  cacheStorage?: CacheStorage
}): string[] {
  const storage = inst.cacheStorage
  if (!storage) return []
  const problems: string[] = []
  if (!CLASS_NAME.test(storage.storageClass))
    problems.push(
      `--cache-storage-class "${storage.storageClass}" is not a storage class name: lower-case letters, digits, '-' and '.' (see kubectl get storageclass).`,
    )
  const bytes = storageBytes(storage.size)
  if (bytes === undefined)
    problems.push(
      `--cache-size "${storage.size}" is not a storage size: use Kubernetes units such as 20Gi or 500Gi.`,
    )
  else if (bytes < MIN_CACHE_BYTES)
    problems.push(
      `--cache-size ${storage.size} is too small (a unit missing?): at least 1Gi, for example 20Gi.`,
    )
  if (inst.caches.length === 0)
    problems.push(
      '--cache-storage-class is for caches, and there are none: add --cache PATH, or leave it out.',
    )
  for (const cache of inst.caches.filter((one) => one.source !== undefined))
    problems.push(
      `--cache ${cache.source}:${cache.target}: with --cache-storage-class a cache is a folder of the instance's ` +
        `volume, not a host folder; give only the path (--cache ${cache.target}).`,
    )
  return problems
}
