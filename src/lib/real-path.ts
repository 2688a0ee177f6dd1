/** Where a folder really is on this machine, for comparing cache folders reached through symbolic links. */
import {realpathSync} from 'node:fs'
import path from 'node:path'

/**
 * `folder` with the symbolic links of its existing part resolved; the part that does not exist yet
 * is appended as written (a cache folder appears when a runner first mounts it).
 */
export function realFolder(folder: string): string {
  const missing: string[] = []
  let existing = folder
  for (;;) {
    try {
      return path.join(realpathSync.native(existing), ...missing)
    } catch {
      const parent = path.dirname(existing)
      if (parent === existing) return folder
      missing.unshift(path.basename(existing))
      existing = parent
    }
  }
}
