/**
 * deskrun's own folder (`~/.deskrun`, or DESKRUN_HOME): the config with its credentials, the locks,
 * the tools deskrun installed. A command that will write there checks it first, before any tool
 * check, so that it stops with the folder's name and the fix rather than a raw `EACCES ... mkdir` later.
 */
import {constants} from 'node:fs'
import {access, mkdir} from 'node:fs/promises'

import {DeskrunError} from '../domain/errors.js'
import {deskrunHome} from '../domain/settings.js'

/** The folder holds tokens and private keys: only its owner may look inside. */
export const HOME_MODE = 0o700

/** Makes deskrun's folder (0700) when it is missing, and checks that deskrun may write in it. */
export async function ensureWritableHome(home: string = deskrunHome()): Promise<void> {
  try {
    await mkdir(home, {recursive: true, mode: HOME_MODE})
    await access(home, constants.W_OK | constants.X_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    const inTheWay = code === 'EEXIST' || code === 'ENOTDIR'
    throw new DeskrunError(
      inTheWay
        ? `deskrun keeps its config, locks and tools in ${home}, but a file is in the way: ${home} or a folder above it is not a folder (${code}).`
        : `deskrun keeps its config, locks and tools in ${home}, but cannot write there (${code}).`,
      {
        code: 'HOME_NOT_WRITABLE',
        hint:
          `Make ${home} a folder your user can write${inTheWay ? '' : ` (e.g. sudo chown -R "$USER" ${home})`}, ` +
          'or point DESKRUN_HOME at one, e.g. export DESKRUN_HOME="$HOME/.local/share/deskrun".',
        cause: error,
      },
    )
  }
}
