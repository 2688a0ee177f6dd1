/**
 * The cache claims (`--cache-storage-class`) in the reconciler's plan. The API server keeps a claim's
 * spec as it was created, except that a bound claim may grow (ValidatePersistentVolumeClaimUpdate), so
 * the plan compares only what deskrun sets, in the server's terms, and stops with the fix where apply
 * would fail. A claim holds the user's cache data: only `remove --purge-cache` deletes one.
 */
import {storageBytes} from '../installation/claims.js'
import type {KubeObject} from '../kube.js'
import type {Blocker} from './plan.js'

export const CLAIM_KIND = 'PersistentVolumeClaim'

interface ClaimSpec {
  storageClassName?: string
  resources?: {requests?: {storage?: string}}
}

const specOf = (claim: KubeObject): ClaimSpec => claim.spec ?? {}
const sizeOf = (claim: KubeObject): string | undefined => specOf(claim).resources?.requests?.storage

/**
 * How the claim in the cluster differs from the one wanted: nothing (undefined), a reason to apply
 * (it grows), or a blocker (another storage class, or smaller: Kubernetes refuses both).
 */
export function claimChange(
  wanted: KubeObject,
  live: KubeObject,
  installation: string,
): {reason: string} | {blocker: Blocker} | undefined {
  const name = wanted.metadata.name
  const [wantedClass, liveClass] = [specOf(wanted).storageClassName, specOf(live).storageClassName]
  const [wantedSize, liveSize] = [sizeOf(wanted) ?? '', sizeOf(live) ?? '']
  const fix =
    `Its cached data goes with it: deskrun remove ${installation} --purge-cache deletes the claim, then add ` +
    `${installation} again. Or keep what the cluster has: deskrun set ${installation}`
  if (wantedClass !== liveClass)
    return {
      blocker: {
        code: 'CACHE_CLAIM_CLASS',
        message: `The cache claim ${name} in the cluster has the storage class "${liveClass ?? ''}", not "${wantedClass}": Kubernetes cannot change the class of a claim.`,
        hint: `${fix} --cache-storage-class ${liveClass ?? ''}`,
      },
    }
  const [wantedBytes, liveBytes] = [storageBytes(wantedSize), storageBytes(liveSize)]
  if (wantedBytes === liveBytes) return undefined
  if (wantedBytes !== undefined && liveBytes !== undefined && wantedBytes < liveBytes)
    return {
      blocker: {
        code: 'CACHE_CLAIM_SHRINK',
        message: `The cache claim ${name} in the cluster has ${liveSize}; a claim cannot shrink to ${wantedSize}.`,
        hint: `${fix} --cache-size ${liveSize}`,
      },
    }
  return {reason: `size ${liveSize} → ${wantedSize}`}
}

/** The storage classes the installations' claims name that the cluster lacks (none when it was not asked). */
export function missingStorageClasses(
  claims: readonly {installation: string; claim: KubeObject}[],
  classes: readonly string[] | undefined,
): Blocker[] {
  if (classes === undefined) return []
  const missing = new Map<string, Set<string>>()
  for (const {installation, claim} of claims) {
    const wanted = specOf(claim).storageClassName ?? ''
    if (!classes.includes(wanted))
      missing.set(wanted, new Set([...(missing.get(wanted) ?? []), installation]))
  }
  return [...missing].map(([name, installations]) => {
    const users = [...installations]
    return {
      code: 'STORAGE_CLASS_MISSING',
      message: `The cluster has no storage class "${name}", which the caches of ${users.join(', ')} ask for (it has: ${classes.join(', ') || 'none'}).`,
      hint: users
        .map(
          (one) => `deskrun set ${one} --cache-storage-class ${classes.length === 1 ? classes[0] : 'CLASS'}`,
        )
        .join('\n'),
    }
  })
}
