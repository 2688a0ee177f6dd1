/** How much a cache folder holds and when it last changed: a walk of the folder (symbolic links not followed). */
import {lstat, readdir} from 'node:fs/promises'
import path from 'node:path'

export interface FolderUsage {
  bytes: number
  /** The newest modification time of the folder or anything in it (ms since the epoch). */
  lastUsed?: number
  /** False when some of it could not be read (jobs write as root): the size is then at least `bytes`. */
  complete: boolean
}

/** The names of the folders directly under `root`; none when it does not exist. */
export async function foldersIn(root: string): Promise<string[]> {
  try {
    const entries = await readdir(root, {withFileTypes: true})
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name)
  } catch {
    return []
  }
}

export async function folderUsage(folder: string): Promise<FolderUsage & {exists: boolean}> {
  const usage: FolderUsage = {bytes: 0, complete: true}
  try {
    await lstat(folder)
  } catch {
    return {...usage, exists: false}
  }
  const pending = [folder]
  while (pending.length > 0) {
    const current = pending.pop() as string
    try {
      const stat = await lstat(current)
      usage.bytes += stat.size
      usage.lastUsed = Math.max(usage.lastUsed ?? 0, stat.mtimeMs)
      if (stat.isDirectory())
        for (const name of await readdir(current)) pending.push(path.join(current, name))
    } catch {
      usage.complete = false
    }
  }
  return {...usage, exists: true}
}
