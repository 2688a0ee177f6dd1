/**
 * Adds value completion to the scripts `deskrun autocomplete` (oclif's autocomplete:create) has just
 * written to `<cacheDir>/autocomplete/functions/`. Runs from the postrun hook, so a refreshed cache
 * (after `plugins install`, or `autocomplete --refresh-cache`) is patched again.
 */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {Interfaces} from '@oclif/core'

import {bashAdditions, BEGIN_MARKER, patchZshScript} from './scripts.js'
import {completionSpec} from './values.js'

export function scriptPaths(config: Pick<Interfaces.Config, 'bin' | 'cacheDir'>): {
  bash: string
  zsh: string
} {
  const functions = path.join(config.cacheDir, 'autocomplete', 'functions')
  return {
    bash: path.join(functions, 'bash', `${config.bin}.bash`),
    zsh: path.join(functions, 'zsh', `_${config.bin}`),
  }
}

/** Which scripts were patched; a script that is missing, already patched or of an unknown shape is left alone. */
export async function addValueCompletion(config: Interfaces.Config): Promise<{bash: boolean; zsh: boolean}> {
  const spec = completionSpec({bin: config.bin, rootPlugin: config.pjson.name, commands: config.commands})
  const paths = scriptPaths(config)
  const patch = async (file: string, change: (script: string) => string | undefined): Promise<boolean> => {
    let script: string
    try {
      script = await readFile(file, 'utf8')
    } catch {
      return false
    }

    const changed = script.includes(BEGIN_MARKER) ? undefined : change(script)
    if (changed === undefined) return false
    await writeFile(file, changed)
    return true
  }

  return {
    bash: await patch(paths.bash, (script) => `${script.trimEnd()}\n${bashAdditions(spec)}`),
    zsh: await patch(paths.zsh, (script) => patchZshScript(script, spec)),
  }
}
