/**
 * Streams one URL into a new file, hashing as it goes. The caller names a file nobody else uses; on
 * any failure (HTTP error, stall, cut connection, wrong size or checksum, Ctrl-C) that file is removed,
 * so a download either verifies completely or leaves nothing.
 */
import {createHash} from 'node:crypto'
import {open, rm} from 'node:fs/promises'

import {DeskrunError} from '../../domain/errors.js'

export interface DownloadOptions {
  /** The checksum the file must have (lower-case hex). */
  sha256: string
  /** What is being downloaded, for messages ("kind v0.29.0"). */
  label: string
  /** Give up when no bytes arrive for this long (also while waiting for the first byte). */
  stallTimeoutMs?: number
  signal?: AbortSignal
  onProgress?: (received: number, total: number | undefined) => void
  /** Shown under errors that a different server or network could fix. */
  hint?: string
}

export const DEFAULT_STALL_TIMEOUT_MS = 30_000

class Stalled extends Error {}

export async function downloadVerified(url: string, file: string, options: DownloadOptions): Promise<void> {
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS
  const controller = new AbortController()
  const onAbort = () => controller.abort(options.signal?.reason)
  options.signal?.addEventListener('abort', onAbort, {once: true})
  let timer: NodeJS.Timeout | undefined
  const armStallTimer = () => {
    clearTimeout(timer)
    timer = setTimeout(() => controller.abort(new Stalled()), stallMs)
  }

  let received = 0
  let total: number | undefined
  const handle = await open(file, 'wx', 0o600)
  try {
    armStallTimer()
    const response = await fetch(url, {signal: controller.signal, redirect: 'follow'})
    if (!response.ok || !response.body) {
      throw new DeskrunError(
        `Could not download ${options.label}: ${url} answered ${response.status} ${response.statusText}.`,
        {code: 'DOWNLOAD_FAILED', hint: options.hint},
      )
    }
    const length = Number(response.headers.get('content-length') ?? Number.NaN)
    total = Number.isFinite(length) ? length : undefined
    const hash = createHash('sha256')
    for await (const chunk of response.body) {
      armStallTimer()
      hash.update(chunk)
      await handle.write(chunk)
      received += chunk.byteLength
      options.onProgress?.(received, total)
    }
    clearTimeout(timer)
    if (total !== undefined && received !== total) throw truncated(options.label, url, received, total)
    const actual = hash.digest('hex')
    if (actual !== options.sha256.toLowerCase()) {
      throw new DeskrunError(
        `The download of ${options.label} from ${url} does not match the sha256 deskrun pins for it, so it was thrown away.\n` +
          `  expected ${options.sha256}\n  received ${actual} (${received} bytes)`,
        {
          code: 'CHECKSUM_MISMATCH',
          hint: 'Nothing was installed. A proxy or mirror served a different file: check it, or install the tool yourself.',
        },
      )
    }
    await handle.sync()
  } catch (error) {
    await handle.close().catch(() => {})
    await rm(file, {force: true})
    throw explain(error, controller.signal, {url, received, total, stallMs, ...options})
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
    await handle.close().catch(() => {})
  }
}

interface Failure extends DownloadOptions {
  url: string
  received: number
  total?: number
  stallMs: number
}

function explain(error: unknown, signal: AbortSignal, failure: Failure): DeskrunError {
  if (error instanceof DeskrunError) return error
  if (signal.reason instanceof Stalled) {
    return new DeskrunError(
      `The download of ${failure.label} from ${failure.url} stalled: nothing arrived for ${Math.round(failure.stallMs / 1000)}s ` +
        `(${progressText(failure.received, failure.total)} received). Nothing was installed.`,
      {code: 'DOWNLOAD_STALLED', hint: failure.hint, cause: error},
    )
  }
  if (signal.aborted) {
    return new DeskrunError(`Interrupted while downloading ${failure.label}. Nothing was installed.`, {
      code: 'INTERRUPTED',
      exit: 130,
      cause: error,
    })
  }
  if (failure.total !== undefined && failure.received < failure.total) {
    return truncated(failure.label, failure.url, failure.received, failure.total, error)
  }
  const reason =
    error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error)
  return new DeskrunError(`Could not download ${failure.label} from ${failure.url}: ${reason}.`, {
    code: 'DOWNLOAD_FAILED',
    hint: failure.hint,
    cause: error,
  })
}

function truncated(
  label: string,
  url: string,
  received: number,
  total: number,
  cause?: unknown,
): DeskrunError {
  return new DeskrunError(
    `The download of ${label} from ${url} ended early after ${progressText(received, total)}. Nothing was installed.`,
    {
      code: 'DOWNLOAD_TRUNCATED',
      hint: 'The connection was cut. Try again, or use a mirror (DESKRUN_TOOLS_BASE_URL).',
      cause,
    },
  )
}

/** `12.3 / 45.6 MB`, or `12.3 MB` when the server did not say how big the file is. */
export function progressText(received: number, total?: number): string {
  const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1)
  return total === undefined ? `${mb(received)} MB` : `${mb(received)} / ${mb(total)} MB`
}
