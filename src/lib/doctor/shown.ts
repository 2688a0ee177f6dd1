/**
 * Warnings that `add` and `up` give only once, remembered in deskrun's folder (not in the config,
 * which is the desired state). Losing the file only means a warning is shown again.
 */
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {deskrunHome} from '../settings.js'

const FILE = 'shown-warnings.json'

/**
 * True the first time `text` is given for `key` (and remembers it): a key whose text changed counts
 * as new, so a new finding about the same cache root is shown too.
 */
export async function firstTime(env: NodeJS.ProcessEnv, key: string, text: string): Promise<boolean> {
  const file = path.join(deskrunHome(env), FILE)
  let shown: Record<string, unknown> = {}
  try {
    const read: unknown = JSON.parse(await readFile(file, 'utf8'))
    if (read && typeof read === 'object' && !Array.isArray(read)) shown = read as Record<string, unknown>
  } catch {
    // None yet, or unreadable: everything is new.
  }
  if (shown[key] === text) return false
  try {
    await mkdir(path.dirname(file), {recursive: true, mode: 0o700})
    const temporary = `${file}.${process.pid}.tmp`
    await writeFile(temporary, `${JSON.stringify({...shown, [key]: text}, null, 2)}\n`, {mode: 0o600})
    await rename(temporary, file)
  } catch {
    // A read-only home: the warning is shown again next time, which is the safe side.
  }
  return true
}
