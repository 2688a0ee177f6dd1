/**
 * Container modes from plugins: runs the `deskrun:container-modes` hook of every plugin (deskrun's
 * built-ins answer it too) with a time limit, and remembers which plugin provided each plugin mode
 * the last time, in oclif's cache folder. It lets an error name the plugin of a mode that has gone (`plugins unlink`), and lets
 * the plugin that had a name keep it when another plugin offers the same name later. A memory that
 * cannot be read or written is simply not used: it only improves messages and tie-breaks.
 */
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {getLogger} from '@oclif/core/logger'
import type {Config} from '@oclif/core'

import {
  claimNames,
  collectOffers,
  MODES_HOOK,
  modeHelpers,
  type ContainerModesHookOptions,
  type ModeProvider,
  type ModeRegistry,
  type ModeSource,
} from '../domain/modes/registry.js'

/**
 * A plugin whose hook hangs must not hang deskrun (shell completion included): its modes are left out
 * after this long. DESKRUN_PLUGIN_TIMEOUT_MS changes it, for tests and for debugging a slow plugin.
 */
const HOOK_TIMEOUT_MS = 10_000
const logger = getLogger('deskrun:modes')

export function hookTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.DESKRUN_PLUGIN_TIMEOUT_MS)
  return Number.isInteger(value) && value > 0 ? value : HOOK_TIMEOUT_MS
}

export async function loadModes(config: Config): Promise<ModeRegistry> {
  const options: ContainerModesHookOptions = {helpers: modeHelpers}
  // oclif runs the hooks of all plugins at once, each raced against the timeout, so a slow plugin costs
  // the timeout once. A hook that never answers goes on in the background: bin/run.js exits when the
  // command is done. oclif's timer does not keep the process alive (it is unref'd): with a hook that
  // holds nothing either, node would end deskrun at once (exit 13, "unsettled top-level await").
  const timeoutMs = hookTimeoutMs()
  const keepAlive = setTimeout(() => {}, timeoutMs + 1000)
  const result = await config
    .runHook(MODES_HOOK, options, timeoutMs, true)
    .finally(() => clearTimeout(keepAlive))
  const registry: ModeRegistry = {modes: [], warnings: [], details: [], failedPlugins: []}
  for (const {plugin, error} of result.failures) {
    registry.failedPlugins!.push(plugin.name)
    registry.warnings.push(
      `Plugin ${plugin.name}@${plugin.version} could not provide container modes, so they are left out: ${error.message}`,
    )
    registry.details.push(
      `${plugin.name}@${plugin.version} (${plugin.root}): ${error.stack ?? String(error)}`,
    )
  }

  const remembered = await recallProviders(config.cacheDir)
  const offers = collectOffers(result.successes, config.pjson.name, registry)
  registry.modes = claimNames(offers, remembered, registry)
  registry.remembered = await rememberProviders(config.cacheDir, remembered, registry.modes)
  for (const detail of registry.details) logger.debug(detail)
  return registry
}

const FILE = 'container-mode-plugins.json'

export async function recallProviders(cacheDir: string): Promise<Record<string, ModeProvider>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(cacheDir, FILE), 'utf8'))
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, ModeProvider] =>
          typeof entry[1]?.plugin === 'string' && typeof entry[1]?.version === 'string',
      ),
    )
  } catch {
    return {}
  }
}

/** Adds what `modes` shows to the memory (built-in names leave it); writes only when it changed. */
export async function rememberProviders(
  cacheDir: string,
  known: Readonly<Record<string, ModeProvider>>,
  modes: readonly {mode: {name: string}; source: ModeSource}[],
): Promise<Record<string, ModeProvider>> {
  const next = {...known}
  for (const {mode, source} of modes) {
    if (source.type === 'plugin') next[mode.name] = {plugin: source.name, version: source.version}
    else delete next[mode.name]
  }

  if (JSON.stringify(next) === JSON.stringify(known)) return next
  const file = path.join(cacheDir, FILE)
  try {
    await mkdir(cacheDir, {recursive: true})
    // Rename over the old file: a concurrent deskrun reads either version, never half of one.
    const temporary = `${file}.${process.pid}.tmp`
    await writeFile(temporary, `${JSON.stringify(next, null, 2)}\n`)
    await rename(temporary, file)
  } catch {
    // Without the memory, messages are less precise; nothing else depends on it.
  }

  return next
}
