/**
 * `deskrun defaults`: the proxy (with its no-proxy list) and the GitHub CA of every installation that
 * has none of its own. Pure: the new defaults from the flags, what changed in words (credentials as
 * ***), and which installations then need `deskrun up`.
 */
import {isDeepStrictEqual} from 'node:util'

import {displayProxy, effectiveNetwork, type NetworkSettings} from '../installation/network.js'
import type {Installation} from '../installation/types.js'

export interface DefaultsChange {
  /** Values to set (the CA already read from its file). */
  set: NetworkSettings
  /** Drops the proxy and its no-proxy list. */
  clearProxy?: boolean
  clearNoProxy?: boolean
  clearGitHubCA?: boolean
}

/** The defaults after `change`: cleared first, then set; what is not named stays. */
export function changeDefaults(current: NetworkSettings, change: DefaultsChange): NetworkSettings {
  const {proxy, noProxy, githubCA} = current
  const next: NetworkSettings = {
    ...(change.clearProxy ? {} : {proxy, ...(change.clearNoProxy ? {} : {noProxy})}),
    ...(change.clearGitHubCA ? {} : {githubCA}),
    ...change.set,
  }
  return Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined))
}

/** `proxy: none → http://***@proxy:3128`, `GitHub CA: changed`: never a credential or the CA itself. */
export function describeDefaultsChange(before: NetworkSettings, after: NetworkSettings): string[] {
  const proxy = (value?: string) => (value === undefined ? 'none' : displayProxy(value))
  const list = (value?: string[]) => (value?.length ? value.join(', ') : 'none')
  const changes: string[] = []
  if (before.proxy !== after.proxy) {
    // Only the credentials changed: the URLs look the same once they are masked.
    const [was, now] = [proxy(before.proxy), proxy(after.proxy)]
    changes.push(was === now ? 'proxy: credentials changed' : `proxy: ${was} → ${now}`)
  }
  if (!isDeepStrictEqual(before.noProxy ?? [], after.noProxy ?? []))
    changes.push(`no-proxy: ${list(before.noProxy)} → ${list(after.noProxy)}`)
  if (before.githubCA !== after.githubCA)
    changes.push(
      before.githubCA === undefined
        ? 'GitHub CA: none → set'
        : after.githubCA === undefined
          ? 'GitHub CA: set → none'
          : 'GitHub CA: changed',
    )
  return changes
}

/** The installations that use the defaults: those without a proxy, and those without a CA, of their own. */
export function usersOfDefaults(
  installations: readonly Installation[],
  defaults: NetworkSettings = {},
): {proxy: string[]; githubCA: string[]} {
  const used = installations.map((one) => ({name: one.name, ...effectiveNetwork(one, defaults)}))
  return {
    proxy: used.filter((one) => one.proxyFrom === 'defaults').map((one) => one.name),
    githubCA: used.filter((one) => one.githubCAFrom === 'defaults').map((one) => one.name),
  }
}

/** The installations whose proxy or CA changes with the defaults: their scale sets need `deskrun up`. */
export function affectedByDefaults(
  installations: readonly Installation[],
  before: NetworkSettings,
  after: NetworkSettings,
): string[] {
  const uses = (one: Installation, defaults: NetworkSettings) => {
    const {proxy, noProxy, githubCA} = effectiveNetwork(one, defaults)
    return {proxy, noProxy, githubCA}
  }
  return installations
    .filter((one) => !isDeepStrictEqual(uses(one, before), uses(one, after)))
    .map((one) => one.name)
}
