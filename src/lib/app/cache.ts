import {existsSync} from 'node:fs'

import {folderUsage, foldersIn} from '../adapters/cache-usage.js'
import {withClusterLock} from '../adapters/cluster-lock.js'
import {loadConfig} from '../adapters/config-store.js'
import {realFolder} from '../adapters/real-path.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {
  cacheInventory,
  claimInventory,
  prunePlan,
  type CacheEntry,
  type ClaimCacheEntry,
} from '../domain/installation/cache-inventory.js'
import {readConfig, type ActionContext} from './context.js'
import {purge} from './remove.js'

export interface ListedCache extends CacheEntry {
  exists: boolean
  bytes: number
  /** False when part of it could not be read: the size is then at least `bytes`. */
  complete: boolean
  /** ISO time of the newest change in it. */
  lastUsed?: string
}

export interface CacheList {
  cacheRoot: string
  caches: ListedCache[]
  /** Caches in claims of a storage class (`--cache-storage-class`): in the cluster, as the config says. */
  claims: ClaimCacheEntry[]
}

/** Reads the config and the cache root only: no cluster, no tool. */
export async function listCaches(context: Pick<ActionContext, 'note'>): Promise<CacheList> {
  const config = await readConfig(context)
  return {
    cacheRoot: config.cacheRoot,
    caches: await inventory(config),
    claims: claimInventory(Object.values(config.installations)),
  }
}

async function inventory(config: DeskrunConfig): Promise<ListedCache[]> {
  const real = (folder: string) => (existsSync(folder) ? realFolder(folder) : folder)
  const entries = cacheInventory(
    Object.values(config.installations),
    config.cacheRoot,
    await foldersIn(config.cacheRoot),
    real,
  )
  return Promise.all(
    entries.map(async (entry): Promise<ListedCache> => {
      const usage = await folderUsage(entry.folder)
      return {
        ...entry,
        exists: usage.exists,
        bytes: usage.bytes,
        complete: usage.complete,
        ...(usage.lastUsed === undefined ? {} : {lastUsed: new Date(usage.lastUsed).toISOString()}),
      }
    }),
  )
}

export interface PruneResult {
  dryRun: boolean
  /** Deleted (with --dry-run: would be), with what each held. */
  removed: {folder: string; bytes: number}[]
  freedBytes: number
  kept: {folder: string; reason: string}[]
  /** The config's cache claims, which prune leaves alone (they are in the cluster, not on this machine). */
  claims: string[]
}

/**
 * Deletes the cache folders no installation of the config uses (see cacheInventory), under the cluster
 * lock and from the config as it is once the lock is held, so an installation added meanwhile keeps its
 * folders.
 */
export async function pruneCaches(
  context: Pick<ActionContext, 'note' | 'timeoutMs' | 'signal'>,
  options: {name?: string; olderThanMs?: number; dryRun?: boolean},
): Promise<PruneResult> {
  const {clusterName} = await readConfig(context)
  const prune = async (): Promise<PruneResult> => {
    const config = await loadConfig()
    const listed = (await inventory(config)).filter((entry) => entry.exists)
    const plan = prunePlan(
      listed.map((entry) => ({
        ...entry,
        ...(entry.lastUsed ? {lastUsedMs: Date.parse(entry.lastUsed)} : {}),
      })),
      {name: options.name, olderThanMs: options.olderThanMs, now: Date.now()},
    )
    if (!options.dryRun) await purge(plan.remove.map((entry) => entry.folder))
    const removed = plan.remove.map(({folder, bytes}) => ({folder, bytes}))
    const claims = claimInventory(Object.values(config.installations)).map((entry) => entry.claim)
    return {
      dryRun: Boolean(options.dryRun),
      claims: [...new Set(claims)],
      removed,
      freedBytes: removed.reduce((sum, entry) => sum + entry.bytes, 0),
      kept: plan.keep.map(({entry, reason}) => ({folder: entry.folder, reason})),
    }
  }
  return options.dryRun ? prune() : withClusterLock(context, clusterName, prune)
}
