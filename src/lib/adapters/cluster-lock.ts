/**
 * One deskrun at a time per cluster. Two processes driving helm on the same cluster would each take
 * the other's release, pending while helm works on it, for one an interrupted run left stuck, and
 * roll it back (see recoverStuckRelease); they would also race to create the cluster and the
 * controller. So every command that changes the cluster holds this lock, and a second one waits.
 */
import {mkdir} from 'node:fs/promises'
import path from 'node:path'

import {formatDuration} from '../domain/duration.js'
import {DeskrunError, ExitCode} from '../domain/errors.js'
import {acquireLock, LockBusy, STALE_LOCK_MS} from './lock.js'
import {DEFAULT_TIMEOUT_MS, deskrunHome} from '../domain/settings.js'

export interface ClusterLockContext {
  note: (message: string) => void
  /** How long to wait for another deskrun (the --timeout); default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number
  signal?: AbortSignal
}

/** `~/.deskrun/cluster-<name>.lock`: beside the config, so that DESKRUN_HOME moves it too. */
export function clusterLockPath(clusterName: string): string {
  return path.join(deskrunHome(), `cluster-${clusterName}.lock`)
}

/** Runs `work` holding the lock of the cluster, after waiting for another deskrun that holds it. */
export async function withClusterLock<T>(
  context: ClusterLockContext,
  clusterName: string,
  work: () => Promise<T>,
): Promise<T> {
  const lockPath = clusterLockPath(clusterName)
  const waitMs = context.timeoutMs ?? DEFAULT_TIMEOUT_MS
  await mkdir(path.dirname(lockPath), {recursive: true, mode: 0o700})
  let release: () => Promise<void>
  try {
    release = await acquireLock(lockPath, {
      waitMs,
      signal: context.signal,
      onWait: () =>
        context.note(
          `Another deskrun process is working on cluster "${clusterName}"; waiting for it to finish (up to ${formatDuration(waitMs)}).`,
        ),
      onCompromised: () =>
        context.note(
          `The lock on cluster "${clusterName}" was taken over by another deskrun process (was this one paused?); both may now change the cluster.`,
        ),
    })
  } catch (error) {
    throw lockError(error, clusterName, waitMs)
  }
  try {
    return await work()
  } finally {
    await release().catch(() => {})
  }
}

function lockError(error: unknown, clusterName: string, waitMs: number): unknown {
  if (error instanceof LockBusy)
    return new DeskrunError(
      `Another deskrun process is still working on cluster "${clusterName}" after ${formatDuration(waitMs)}.`,
      {
        hint:
          'Let it finish and run this command again, or wait longer with --timeout. ' +
          `If no deskrun is running, ${error.lockPath} is left over and is taken over once it is ${STALE_LOCK_MS / 1000} seconds old.`,
        code: 'CLUSTER_BUSY',
        cause: error,
      },
    )
  if ((error as Error | undefined)?.name === 'AbortError')
    return new DeskrunError(
      `Interrupted while waiting for another deskrun process working on cluster "${clusterName}".`,
      {
        code: 'INTERRUPTED',
        exit: ExitCode.interrupted,
        hint: 'Nothing was changed on the cluster.',
      },
    )
  return error
}
