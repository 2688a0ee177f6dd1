/**
 * Locks between deskrun processes: a folder beside what it guards (proper-lockfile), refreshed while
 * held, and taken over once a process that died has left it unrefreshed for STALE_LOCK_MS.
 */
import {lstat} from 'node:fs/promises'
import {setTimeout as sleep} from 'node:timers/promises'

import {DeskrunError} from '../domain/errors.js'

/** A lock not refreshed for this long belongs to a process that died; it is taken over. */
export const STALE_LOCK_MS = 10_000
const FIRST_DELAY_MS = 20
const MAX_DELAY_MS = 1000

export interface LockOptions {
  /** How long to wait for another holder; then `acquireLock` throws a LockBusy. */
  waitMs: number
  /** Told once, when another process holds the lock and this one starts to wait. */
  onWait?: () => void
  /** Stops the wait (the AbortError is rethrown). */
  signal?: AbortSignal
  /** The lock was taken over while held (this process stalled for longer than STALE_LOCK_MS). */
  onCompromised: (error: Error) => void
}

/** Another process held the lock for the whole wait. */
export class LockBusy extends Error {
  constructor(readonly lockPath: string) {
    super(`${lockPath} is held by another process`)
    this.name = 'LockBusy'
  }
}

/**
 * Something else (a file, a link) where the lock folder goes. proper-lockfile would take it for a lock,
 * wait until it looks stale and then fail to remove it (ENOTDIR): say at once what is there instead.
 */
async function checkNothingInTheWay(lockPath: string): Promise<void> {
  const found = await lstat(lockPath).catch(() => undefined)
  if (!found || found.isDirectory()) return
  throw inTheWay(
    lockPath,
    found.isSymbolicLink() ? 'a symbolic link' : found.isFile() ? 'a file' : 'not a folder',
  )
}

function inTheWay(lockPath: string, what: string): DeskrunError {
  return new DeskrunError(
    `${lockPath} is ${what}, where deskrun makes a lock folder while a command changes the cluster or the config.`,
    {
      code: 'LOCK_PATH_TAKEN',
      hint: `deskrun did not make it. Move it away (mv ${lockPath} ${lockPath}.old) or delete it, then run the command again.`,
    },
  )
}

/** Takes the lock folder `lockPath` (its parent must exist); resolves to the function that releases it. */
export async function acquireLock(lockPath: string, options: LockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + options.waitMs
  let delay = FIRST_DELAY_MS
  await checkNothingInTheWay(lockPath)
  const {default: lockfile} = await import('proper-lockfile')
  for (let waiting = false; ; waiting = true) {
    try {
      return await lockfile.lock(lockPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: STALE_LOCK_MS,
        retries: 0,
        onCompromised: options.onCompromised,
      })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // Put there while this one waited.
      if (code === 'ENOTDIR') throw inTheWay(lockPath, 'not a folder')
      if (code !== 'ELOCKED') throw error
    }
    const left = deadline - Date.now()
    if (left <= 0) throw new LockBusy(lockPath)
    if (!waiting) options.onWait?.()
    // Jitter, so that processes waiting together do not all retry at the same moment.
    await sleep(Math.min(delay * (0.5 + Math.random()), left), undefined, {signal: options.signal})
    delay = Math.min(delay * 1.5, MAX_DELAY_MS)
  }
}
