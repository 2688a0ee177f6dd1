/** Whether the config file loads and validates, and whether others may read it, without touching it. */
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'

import {emptyConfig} from '../../../domain/config/convert.js'
import {loadConfig} from '../../../adapters/config-store.js'
import type {DeskrunConfig} from '../../../domain/config/types.js'
import {DeskrunError} from '../../../domain/errors.js'
import {tildify} from '../context.js'
import {fail, ok, warn, type Check} from '../types.js'

export interface ConfigCheck {
  check: Check
  /** The config to judge the rest by: the file's, or the defaults when there is none or it is broken. */
  config: DeskrunConfig
}

export async function checkConfig(file: string): Promise<ConfigCheck> {
  const base = {id: 'config', title: 'Config'} as const
  try {
    await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      return {
        check: ok({...base, found: `no ${tildify(file)} yet (deskrun add creates it)`}),
        config: emptyConfig(),
      }
    }
    return {
      check: fail({
        ...base,
        found: `cannot read ${tildify(file)} (${code})`,
        fix: 'Check that it is a file you own.',
      }),
      config: emptyConfig(),
    }
  }

  const notes: string[] = []
  try {
    const config = await loadConfig(file, {onNote: (note) => notes.push(note)})
    const count = Object.keys(config.installations).length
    const found = `${tildify(file)}: ${count} installation${count === 1 ? '' : 's'}, cluster "${config.clusterName}"`
    const mode = (await stat(file)).mode & 0o777
    const folder = path.dirname(file)
    const folderMode = (await stat(folder)).mode & 0o777
    if (process.platform !== 'win32' && ((mode & 0o077) !== 0 || (folderMode & 0o077) !== 0)) {
      const open = [
        ...((folderMode & 0o077) !== 0 ? [`its folder is open to others (0${folderMode.toString(8)})`] : []),
        ...((mode & 0o077) !== 0 ? [`readable by others (0${mode.toString(8)})`] : []),
      ]
      const commands = [
        ...((folderMode & 0o077) !== 0 ? [`chmod 700 ${folder}`] : []),
        ...((mode & 0o077) !== 0 ? [`chmod 600 ${file}`] : []),
      ]
      return {
        check: warn({
          ...base,
          found: `${found}; ${open.join(' and ')} although it holds tokens`,
          fix: `${commands.join(' && ')} (deskrun also tightens them the next time a command reads the config)`,
        }),
        config,
      }
    }
    if (notes.length > 0) return {check: warn({...base, found: `${found}; ${notes.join(' ')}`}), config}
    return {check: ok({...base, found}), config}
  } catch (error) {
    if (!(error instanceof DeskrunError)) throw error
    return {
      check: fail({
        ...base,
        found: error.message,
        fix: error.hint,
      }),
      config: emptyConfig(),
    }
  }
}
