/**
 * The host folder that holds every cache. deskrun makes it, as the user who runs deskrun, before kind
 * creates the cluster: for a missing bind source Docker would make it itself, owned by root, and
 * Podman refuses to start the node.
 */
import {mkdir} from 'node:fs/promises'

import {DeskrunError} from '../errors.js'
import {configPath} from '../settings.js'

/**
 * Mode 0700 (when deskrun makes it; an existing folder is left as it is): the kind node reaches it as
 * root (or as this user under rootless Podman), and pods reach their cache folders through their own
 * mounts without walking this folder, while other users of the machine stay out of the
 * world-writable cache folders inside it (docs/caches.md).
 */
export const CACHE_ROOT_MODE = 0o700

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'it is a file, not a folder',
  ENOTDIR: 'part of the path is a file, not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
}

export async function createCacheRoot(cacheRoot: string): Promise<void> {
  try {
    await mkdir(cacheRoot, {recursive: true, mode: CACHE_ROOT_MODE})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = (code && REASONS[code]) ?? (error as Error).message
    throw new DeskrunError(`Cannot create the cache root ${cacheRoot}: ${reason}.`, {
      code: 'CACHE_ROOT_UNUSABLE',
      hint:
        `The kind node mounts this folder for the caches. Make it yourself (mkdir -p ${cacheRoot}), ` +
        `or set "cache_root" in ${configPath()} to a folder you can write.`,
      cause: error,
    })
  }
}
