/**
 * Warnings that `add` and `up` give only once, remembered in deskrun's folder (not in the config,
 * which is the desired state). Losing the file only means a warning is shown again.
 */
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {deskrunHome} from '../domain/settings.js'

const FILE = 'shown-warnings.json'

/** A remembered warning: its text, and (for the ones shown again after a while) when it was shown. */
type Shown = string | {text: string; at: number}

/**
 * True the first time `text` is given for `key` (and remembers it): a key whose text changed counts
 * as new, so a new finding about the same cache root is shown too. With `againAfterMs`, the same text
 * counts as new again once that long has passed since it was shown.
 */
export async function firstTime(
  env: NodeJS.ProcessEnv,
  key: string,
  text: string,
  options: {againAfterMs?: number; now?: number} = {},
): Promise<boolean> {
  const now = options.now ?? Date.now()
  const file = path.join(deskrunHome(env), FILE)
  let shown: Record<string, unknown> = {}
  try {
    const read: unknown = JSON.parse(await readFile(file, 'utf8'))
    if (read && typeof read === 'object' && !Array.isArray(read)) shown = read as Record<string, unknown>
  } catch {
    // None yet, or unreadable: everything is new.
  }
  const before = shown[key] as Shown | undefined
  const same = typeof before === 'string' ? before === text : before?.text === text
  const recent =
    options.againAfterMs === undefined ||
    (typeof before === 'object' && typeof before.at === 'number' && now - before.at < options.againAfterMs)
  if (same && recent) return false
  const entry: Shown = options.againAfterMs === undefined ? text : {text, at: now}
  try {
    await mkdir(path.dirname(file), {recursive: true, mode: 0o700})
    const temporary = `${file}.${process.pid}.tmp`
    await writeFile(temporary, `${JSON.stringify({...shown, [key]: entry}, null, 2)}\n`, {mode: 0o600})
    await rename(temporary, file)
  } catch {
    // A read-only home: the warning is shown again next time, which is the safe side.
  }
  return true
}
