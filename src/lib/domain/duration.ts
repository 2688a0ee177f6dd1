import {UsageError} from './errors.js'

const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000}

/** `90s`, `15m`, `1h30m` or a bare number of minutes, as milliseconds. */
export function parseDuration(input: string): number {
  const text = input.trim()
  if (/^\d+$/.test(text) && Number(text) > 0) return Number(text) * UNITS.m
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h)/g)]
  const total = parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNITS[unit], 0)
  if (parts.length === 0 || parts.map(([part]) => part).join('') !== text || total <= 0)
    throw new UsageError(`--timeout "${input}" is not a duration.`, {
      hint: 'Use for example --timeout 90s, --timeout 15m or --timeout 1h.',
    })
  return total
}

/** The other way round, as messages show it: `10m`, `90s`, `500ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : `${Math.round(ms / 1000)}s`
}

/** As Go's time.Duration prints it (`1m30s`, `10m0s`, `1h0m0s`), for the tools' own timeout flags. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  const hours = Math.floor(ms / 3_600_000)
  const minutes = Math.floor((ms % 3_600_000) / 60_000)
  const seconds = (ms % 60_000) / 1000
  return `${hours ? `${hours}h` : ''}${hours || minutes ? `${minutes}m` : ''}${seconds}s`
}

const AGE_UNITS: Record<string, number> = {h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000}

/** `--older-than`: `30d`, `12h`, `2w` (a bare number: days), as milliseconds. */
export function parseAge(input: string, flag = '--older-than'): number {
  const match = /^(\d+)(h|d|w)?$/.exec(input.trim())
  if (!match || Number(match[1]) <= 0)
    throw new UsageError(`${flag} "${input}" is not an age.`, {
      hint: `Use for example ${flag} 30d, 12h or 2w.`,
    })
  return Number(match[1]) * AGE_UNITS[match[2] ?? 'd']
}

/** How long ago, for a person: `40s`, `12m`, `3h 5m`, `2d 4h` (the two largest units). */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ]
  const index = units.findIndex(([, size]) => seconds >= size)
  if (index === -1) return '0s'
  const [unit, size] = units[index]
  const [next, nextSize] = units[index + 1] ?? []
  const rest = nextSize && unit !== 'm' ? Math.floor((seconds % size) / nextSize) : 0
  return `${Math.floor(seconds / size)}${unit}${rest ? ` ${rest}${next}` : ''}`
}
