/**
 * `deskrun defaults`: the proxy (with its no-proxy list) and the GitHub CA of every installation that
 * has none of its own. Pure: which installations use them, and which need `deskrun up` after a change
 * (changeNetwork and describeNetworkChange in installation/network.ts make and word the change).
 */
import {isDeepStrictEqual} from 'node:util'

import {effectiveNetwork, type NetworkSettings} from '../installation/network.js'
import type {Installation} from '../installation/types.js'

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
