/**
 * Which folders under the cache root belong to which installation, and which of them `cache prune` may
 * delete. Pure: the folders found on disk and their last use come in as data.
 *
 * prune deletes only folders that no installation of the config uses (left by `remove` without
 * --purge-cache, or by an installation edited out of the file). A folder of an installation in the config
 * may be mounted by a runner at any time, also while paused (a runner that had a job finishes it), and a
 * Docker data root deleted under its daemon is corrupt: those go with `deskrun remove NAME --purge-cache`.
 */
import path from 'node:path'

import {CLI_CACHE_FOLDERS} from '../cli-cache.js'
import {claimCaches} from './claims.js'
import {instanceNames} from './naming.js'
import {cacheFolders, folderRelation} from './sharing.js'
import type {Installation} from './types.js'

export type CacheState = 'in use' | 'paused' | 'unused'

export interface CacheEntry {
  /** Absolute host folder. */
  folder: string
  state: CacheState
  /** The installation and instance that use it, and the path in the job; absent when unused. */
  installation?: string
  instance?: string
  target?: string
}

/**
 * Every cache folder of the config's installations, then each folder directly under the cache root
 * that none of them is, lies in or holds (`topLevel`: the names found there), but for deskrun's own
 * (CLI_CACHE_FOLDERS: the cache root is deskrun's cache folder by default).
 */
export function cacheInventory(
  installations: readonly (Installation & {paused?: boolean})[],
  cacheRoot: string,
  topLevel: readonly string[],
  realPath: (folder: string) => string = (folder) => folder,
): CacheEntry[] {
  const used = installations.flatMap((inst) =>
    cacheFolders(inst, cacheRoot).flatMap((entry): CacheEntry[] =>
      entry.kind === 'cache'
        ? [
            {
              folder: entry.folder,
              state: inst.paused ? 'paused' : 'in use',
              installation: inst.name,
              instance: entry.instance,
              target: entry.cache.target,
            },
          ]
        : [],
    ),
  )
  const unused = topLevel
    .filter((name) => !CLI_CACHE_FOLDERS.includes(name))
    .sort()
    .map((name) => path.posix.join(cacheRoot, name))
    .filter((folder) => !used.some((entry) => folderRelation(folder, entry.folder, realPath)))
    .map((folder): CacheEntry => ({folder, state: 'unused'}))
  return [...used, ...unused]
}

/** A cache on a storage class: a folder of an instance's claim, in the cluster (not on this machine). */
export interface ClaimCacheEntry {
  installation: string
  instance: string
  claim: string
  /** The cache's folder in the claim. */
  subPath: string
  target: string
  storageClass: string
  /** The claim's size, for all the instance's caches together. */
  size: string
  state: Exclude<CacheState, 'unused'>
}

/** The caches the config's installations keep in claims (`--cache-storage-class`), by instance. */
export function claimInventory(
  installations: readonly (Installation & {paused?: boolean})[],
): ClaimCacheEntry[] {
  return installations.flatMap((inst) => {
    const storage = inst.cacheStorage
    if (!storage) return []
    return instanceNames(inst.name, inst.instances).flatMap((instance) =>
      claimCaches(inst.caches, instance).map((cache): ClaimCacheEntry => ({
        installation: inst.name,
        instance,
        claim: cache.claimName,
        subPath: cache.subPath,
        target: cache.target,
        storageClass: storage.storageClass,
        size: storage.size,
        state: inst.paused ? 'paused' : 'in use',
      })),
    )
  })
}

export interface PruneOptions {
  /** Only folders once of this installation (or one of its instances, NAME-N). */
  name?: string
  /** Only folders not used for this long (ms), by the newest change inside them. */
  olderThanMs?: number
  now: number
}

export interface PrunePlan<T extends CacheEntry> {
  remove: T[]
  keep: {entry: T; reason: string}[]
}

export function prunePlan<T extends CacheEntry & {lastUsedMs?: number}>(
  entries: readonly T[],
  options: PruneOptions,
): PrunePlan<T> {
  const plan: PrunePlan<T> = {remove: [], keep: []}
  const named = (entry: T) =>
    options.name === undefined ||
    entry.installation === options.name ||
    new RegExp(`^${escape(options.name)}(-\\d+)?$`).test(path.posix.basename(entry.folder))
  for (const entry of entries.filter(named)) {
    const reason = keepReason(entry, options)
    if (reason) plan.keep.push({entry, reason})
    else plan.remove.push(entry)
  }
  return plan
}

function keepReason(entry: CacheEntry & {lastUsedMs?: number}, options: PruneOptions): string | undefined {
  const removal = `deskrun remove ${entry.installation} --purge-cache deletes it with the installation`
  if (entry.state === 'in use') return `${entry.instance} uses it; ${removal}`
  if (entry.state === 'paused')
    return `${entry.installation} is paused, but a runner that had a job may still use it; ${removal}`
  if (options.olderThanMs !== undefined && entry.lastUsedMs !== undefined) {
    const age = options.now - entry.lastUsedMs
    if (age < options.olderThanMs) return `used ${Math.floor(age / 86_400_000)} days ago`
  }
  return undefined
}

function escape(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)
}
