/**
 * The container modes deskrun knows, and the rules for what plugins offer: a plugin that returns
 * something that is not a mode, or reuses a taken name, is left out with one warning naming it; the
 * CLI keeps working. Pure: adapters/plugins.ts runs the hook and remembers the providers.
 *
 * Every hook receives deskrun's mode helpers in `options.helpers`, so a plugin builds pods with the
 * code the built-ins use, from the deskrun that runs it, and needs deskrun only for its types.
 */
import type {Hook, Interfaces} from '@oclif/core'

import {DeskrunError} from '../errors.js'
import {defineContainerMode, type ContainerMode, type ContainerModesHookResult} from './api.js'
import * as helpers from './helpers.js'

export const MODES_HOOK = 'deskrun:container-modes'

/** What every `deskrun:container-modes` hook receives as `options.helpers`. */
export const modeHelpers = Object.freeze({defineContainerMode, ...helpers})
export type ModeHelpers = typeof modeHelpers

export interface ContainerModesHookOptions {
  /** deskrun's helpers for runner containers, hook extensions and cache volumes. */
  helpers: ModeHelpers
}

/**
 * A plugin's `deskrun:container-modes` hook: the default export of the file that its package.json
 * names under `oclif.hooks`. It returns the plugin's modes, as many as it likes.
 */
// Types the hook for oclif's runHook and for plugins (beside its options, so api.ts needs no import of this file).
declare module '@oclif/core/hooks' {
  interface Hooks {
    'deskrun:container-modes': {
      options: ContainerModesHookOptions
      return: ContainerModesHookResult
    }
  }
}

export type ContainerModesHook = (
  this: Hook.Context,
  options: ContainerModesHookOptions & {config: Interfaces.Config; context: Hook.Context},
) => Promise<ContainerMode[]>

/** A plugin that provided modes, as remembered between runs (the oclif cache folder). */
export interface ModeProvider {
  plugin: string
  version: string
}

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
  /** Plugin modes seen before, by name: lets an error name the plugin of a mode that has gone. */
  remembered?: Readonly<Record<string, ModeProvider>>
  /** Plugins whose hook failed: their modes are missing although the plugin is installed. */
  failedPlugins?: string[]
  /** Modes that were offered but left out, by name, with the warning that says why. */
  rejected?: Readonly<Record<string, string>>
}

const MODE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

export interface Offer {
  candidate: unknown
  source: ModeSource
  /** Where the mode is listed: built-ins, then plugins by name, each in its own order. */
  order: number
}

/** Every mode offered, in listing order: deskrun's, then each plugin's (by plugin name) in its own order. */
export function collectOffers(
  answers: readonly {plugin: Interfaces.Plugin; result: unknown}[],
  rootName: string,
  registry: ModeRegistry,
): Offer[] {
  const isRoot = (name: string) => name === rootName
  const sorted = [...answers].sort(
    (a, b) =>
      Number(isRoot(b.plugin.name)) - Number(isRoot(a.plugin.name)) ||
      a.plugin.name.localeCompare(b.plugin.name),
  )
  const offers: Offer[] = []
  for (const {plugin, result: modes} of sorted) {
    const source: ModeSource = isRoot(plugin.name)
      ? {type: 'built-in'}
      : {type: 'plugin', name: plugin.name, version: plugin.version}
    if (Array.isArray(modes)) {
      for (const candidate of modes) offers.push({candidate, source, order: offers.length})
      continue
    }

    registry.failedPlugins!.push(plugin.name)
    registry.warnings.push(
      `${describeSourceForHumans(source)} answered ${MODES_HOOK} with ${describeValue(modes)} instead of a list of modes; its modes are left out.`,
    )
  }

  return offers
}

/**
 * The valid modes, in listing order. Names are claimed by deskrun first, then by the plugin that had
 * the name before (so installing another plugin cannot take a mode away from installations that use
 * it), then in listing order. Each offer left out gets one warning.
 */
export function claimNames(
  offers: Offer[],
  remembered: Readonly<Record<string, ModeProvider>>,
  registry: ModeRegistry,
): RegisteredMode[] {
  const rank = (offer: Offer) => {
    if (offer.source.type === 'built-in') return 0
    const name = nameOf(offer.candidate)
    return name !== undefined &&
      Object.hasOwn(remembered, name) &&
      remembered[name].plugin === offer.source.name
      ? 1
      : 2
  }

  const rejected: Record<string, string> = Object.create(null)
  const accepted: Offer[] = []
  for (const offer of [...offers].sort((a, b) => rank(a) - rank(b) || a.order - b.order)) {
    const problem = modeProblem(offer.candidate, accepted)
    if (!problem) {
      accepted.push(offer)
      continue
    }

    const warning = `${describeSourceForHumans(offer.source)}: ${problem}; that mode is left out.`
    registry.warnings.push(warning)
    registry.details.push(
      `${describeSourceForHumans(offer.source)} offered ${describeValue(offer.candidate)}`,
    )
    const name = nameOf(offer.candidate)
    if (name !== undefined) rejected[name] ??= warning
  }

  registry.rejected = rejected
  return accepted
    .sort((a, b) => a.order - b.order)
    .map(({candidate, source}) => ({mode: candidate as ContainerMode, source}))
}

function nameOf(candidate: unknown): string | undefined {
  const name = (candidate as {name?: unknown} | null | undefined)?.name
  return typeof name === 'string' ? name : undefined
}

function describeSourceForHumans(source: ModeSource): string {
  return source.type === 'built-in' ? 'deskrun' : `Plugin ${source.name}@${source.version}`
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return `a list of ${value.length}`
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`
  const keys = Object.keys(value)
  return `an object with ${keys.length > 0 ? keys.join(', ') : 'no keys'}`
}

function modeProblem(candidate: unknown, taken: Offer[]): string | undefined {
  if (!candidate || typeof candidate !== 'object' || Array.isArray(candidate))
    return `a mode must be an object, not ${describeValue(candidate)}`
  const mode = candidate as Partial<ContainerMode>
  if (typeof mode.name !== 'string' || !MODE_NAME.test(mode.name))
    return `mode name ${JSON.stringify(mode.name)} is not a lower-case DNS-style name (a-z, 0-9 and -)`
  if (typeof mode.summary !== 'string' || !mode.summary.trim()) return `mode "${mode.name}" has no summary`
  if (typeof mode.takesCaches !== 'boolean')
    return `mode "${mode.name}" must say whether it takes caches (takesCaches: true or false)`
  if (typeof mode.render !== 'function') return `mode "${mode.name}" has no render function`
  if (mode.validate !== undefined && typeof mode.validate !== 'function')
    return `mode "${mode.name}" has a validate that is not a function`
  const clash = taken.find((offer) => nameOf(offer.candidate) === mode.name)
  if (clash)
    return `mode "${mode.name}" is already provided by ${clash.source.type === 'built-in' ? 'deskrun itself' : `plugin ${clash.source.name}`}`
  return undefined
}

export interface FindModeOptions {
  /** The plugin the installation's mode came from, when the config knows it. */
  plugin?: string
  /** The installation that uses the mode, for the message. */
  installation?: string
}

/** The mode called `name`; when it is missing, an error that says which plugin to (re)install. */
export function findMode(
  registry: ModeRegistry,
  name: string,
  options: FindModeOptions = {},
): RegisteredMode {
  const found = registry.modes.find((entry) => entry.mode.name === name)
  if (found) return found
  const others = `Or pick another mode: ${registry.modes.map((entry) => entry.mode.name).join(', ') || 'none is available'} (deskrun modes).`
  const uses = `Installation "${options.installation}" uses container mode "${name}"`
  const sentence = (withInstallation: string, alone: string) =>
    options.installation ? `${uses}${withInstallation}` : `Container mode "${name}" ${alone}`
  const rejected =
    registry.rejected && Object.hasOwn(registry.rejected, name) ? registry.rejected[name] : undefined
  if (rejected)
    throw new DeskrunError(sentence(`, which was left out: ${rejected}`, `was left out: ${rejected}`), {
      code: 'UNKNOWN_MODE',
      hint: `Update or report the plugin that provides it.\n${others}`,
    })

  const plugin =
    options.plugin ??
    (registry.remembered && Object.hasOwn(registry.remembered, name)
      ? registry.remembered[name].plugin
      : undefined)
  if (plugin) {
    const failed = registry.failedPlugins?.includes(plugin)
    const state = failed ? 'failed to load (see the warning above)' : 'is no longer installed'
    throw new DeskrunError(
      sentence(
        ` from the plugin ${plugin}, which ${state}.`,
        `comes from the plugin ${plugin}, which ${state}.`,
      ),
      {
        code: 'UNKNOWN_MODE',
        hint: `${failed ? 'Update or reinstall it' : 'Install it again'}: deskrun plugins install ${plugin} (or deskrun plugins link DIR for a local checkout).\n${others}`,
      },
    )
  }

  throw new DeskrunError(
    sentence(', which is not available', 'is not available') +
      ": it is not one of deskrun's own modes, so it probably came from a plugin that is no longer installed.",
    {
      code: 'UNKNOWN_MODE',
      hint: [
        'Install the plugin that provides it again: deskrun plugins install <plugin> (deskrun plugins lists what is installed).',
        ...(registry.warnings.length > 0 ? ['Some plugins failed to load; see the warnings above.'] : []),
        others,
      ].join('\n'),
    },
  )
}

export function describeSource(source: ModeSource): string {
  return source.type === 'built-in' ? 'built-in' : `${source.name}@${source.version}`
}
