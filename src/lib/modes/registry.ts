/**
 * Collects container modes from every plugin that answers the `deskrun:container-modes` hook,
 * deskrun's own built-ins included. A plugin that throws, returns something that is not a mode, or
 * reuses a taken name is left out with one warning; the CLI keeps working.
 */
import type {Config} from '@oclif/core'

import {DeskrunError} from '../errors.js'
import type {ContainerMode} from './api.js'

export const MODES_HOOK = 'deskrun:container-modes'

export type ModeSource = {type: 'built-in'} | {type: 'plugin'; name: string; version: string}

export interface RegisteredMode {
  mode: ContainerMode
  source: ModeSource
}

export interface ModeRegistry {
  modes: RegisteredMode[]
  /** One line per plugin problem, naming the plugin and the reason. */
  warnings: string[]
  /** Details for DESKRUN_DEBUG (stacks, raw values). */
  details: string[]
}

const MODE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

export async function loadModes(config: Config): Promise<ModeRegistry> {
  const result = await config.runHook(MODES_HOOK, {}, undefined, true)
  const registry: ModeRegistry = {modes: [], warnings: [], details: []}
  const isRoot = (pluginName: string) => pluginName === config.pjson.name
  // deskrun's own modes claim their names first, then plugins in a stable order.
  const answers = [...result.successes].sort(
    (a, b) => Number(isRoot(b.plugin.name)) - Number(isRoot(a.plugin.name)) || a.plugin.name.localeCompare(b.plugin.name),
  )
  for (const failure of result.failures) {
    registry.warnings.push(`Plugin ${failure.plugin.name} could not provide container modes: ${failure.error.message}`)
    registry.details.push(failure.error.stack ?? String(failure.error))
  }
  for (const {plugin, result: modes} of answers) {
    const source: ModeSource = isRoot(plugin.name)
      ? {type: 'built-in'}
      : {type: 'plugin', name: plugin.name, version: plugin.version}
    if (!Array.isArray(modes)) {
      registry.warnings.push(`Plugin ${plugin.name} answered ${MODES_HOOK} with ${typeof modes}, not a list of modes; ignored.`)
      continue
    }
    for (const candidate of modes) {
      const problem = modeProblem(candidate, registry.modes)
      if (problem) {
        registry.warnings.push(`Plugin ${plugin.name}: ${problem}; that mode is left out.`)
        continue
      }
      registry.modes.push({mode: candidate as ContainerMode, source})
    }
  }
  return registry
}

function modeProblem(candidate: unknown, taken: RegisteredMode[]): string | undefined {
  if (!candidate || typeof candidate !== 'object') return `a mode must be an object, got ${typeof candidate}`
  const mode = candidate as Partial<ContainerMode>
  if (typeof mode.name !== 'string' || !MODE_NAME.test(mode.name))
    return `mode name ${JSON.stringify(mode.name)} is not a lower-case DNS-style name`
  if (typeof mode.summary !== 'string' || !mode.summary.trim()) return `mode "${mode.name}" has no summary`
  if (typeof mode.takesCaches !== 'boolean') return `mode "${mode.name}" must say whether it takes caches (takesCaches)`
  if (typeof mode.render !== 'function') return `mode "${mode.name}" has no render function`
  if (mode.validate !== undefined && typeof mode.validate !== 'function')
    return `mode "${mode.name}" has a validate that is not a function`
  const clash = taken.find((entry) => entry.mode.name === mode.name)
  if (clash)
    return `mode "${mode.name}" is already provided by ${clash.source.type === 'built-in' ? 'deskrun itself' : clash.source.name}`
  return undefined
}

export function findMode(registry: ModeRegistry, name: string): RegisteredMode {
  const found = registry.modes.find((entry) => entry.mode.name === name)
  if (found) return found
  throw new DeskrunError(`Unknown container mode "${name}".`, {
    code: 'UNKNOWN_MODE',
    hint: `Known modes: ${registry.modes.map((entry) => entry.mode.name).join(', ')}. A mode from a plugin needs that plugin: \`deskrun plugins install <plugin>\`; \`deskrun modes\` lists what is available.`,
  })
}

export function describeSource(source: ModeSource): string {
  return source.type === 'built-in' ? 'built-in' : `${source.name}@${source.version}`
}
