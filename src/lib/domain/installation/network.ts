/**
 * `--proxy`, `--no-proxy` and `--github-ca-file`: how runners reach GitHub from behind a corporate
 * proxy or a GitHub Enterprise Server with its own CA, in the shape ARC's scale set chart takes them
 * (`proxy`, `githubServerTLS`). A proxy URL may carry credentials: they go into a Secret the chart
 * refers to (credentialSecretRef), never into Helm values, argv or messages.
 */
import {isDeepStrictEqual} from 'node:util'

import type {Installation} from './types.js'

/** The proxy, its no-proxy list and the GitHub CA: of an installation, or the config's defaults. */
export type NetworkSettings = Pick<Installation, 'proxy' | 'noProxy' | 'githubCA'>

/** Where the chart mounts the CA in the runner (and sets NODE_EXTRA_CA_CERTS, RUNNER_UPDATE_CA_CERTS). */
export const CA_RUNNER_MOUNT_PATH = '/usr/local/share/ca-certificates/'
/** The ConfigMap key of the CA; the runner sees it at CA_RUNNER_MOUNT_PATH/CA_KEY. */
export const CA_KEY = 'ca.crt'

export interface ProxyParts {
  /** The URL without credentials: what the chart's `proxy.http(s).url` gets. */
  url: string
  /** Present when the URL carried credentials. */
  credentials?: {username: string; password: string}
}

/** The URL as it may be shown: credentials replaced by `***`. */
export function displayProxy(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@')
}

/** Why `url` is not a proxy URL ARC takes; undefined when it is one. Never repeats credentials. */
export function proxyProblem(url: string): string | undefined {
  const example =
    'for example --proxy http://proxy.example.com:3128 (or http://USER:PASSWORD@proxy.example.com:3128)'
  let parsed: URL
  try {
    parsed = new URL(url.trim())
  } catch {
    return `--proxy${/^[a-z]+:\/\//i.test(url) ? ` ${displayProxy(url)}` : ''} is not a URL: ${example}.`
  }
  const shown = `--proxy ${displayProxy(url.trim())}`
  if (!['http:', 'https:'].includes(parsed.protocol))
    return `${shown}: the proxy must be an http:// or https:// URL, ${example}.`
  if (!parsed.hostname) return `${shown} names no host: ${example}.`
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search || parsed.hash)
    return `${shown}: a proxy URL is scheme, host and port only, ${example}.`
  return undefined
}

/** The URL without credentials, and the credentials (decoded, as the proxy will want them). */
export function splitProxy(url: string): ProxyParts {
  const parsed = new URL(url.trim())
  const base = `${parsed.protocol}//${parsed.host}`
  if (!parsed.username && !parsed.password) return {url: base}
  return {
    url: base,
    credentials: {
      username: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
    },
  }
}

/** `--no-proxy a.example.com,10.0.0.0/8` -> its entries. */
export function parseNoProxy(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((entry) => entry.trim())
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+\r?\n-----END CERTIFICATE-----/g

/** Why `pem` is not a CA bundle (PEM certificates only); undefined when it is one. */
export function caProblem(pem: string, file = 'the CA file'): string | undefined {
  if (/PRIVATE KEY-----/.test(pem))
    return `--github-ca-file: ${file} holds a private key; give the CA certificate only.`
  const rest = pem.replaceAll(CERTIFICATE, '').trim()
  if (!CERTIFICATE.test(pem) || rest !== '')
    return (
      `--github-ca-file: ${file} is not a PEM certificate bundle ("-----BEGIN CERTIFICATE-----" blocks only); ` +
      'export the CA of your GitHub Enterprise Server as PEM.'
    )
  return undefined
}

/** Where a setting an installation uses comes from: its own flags, or the config's defaults. */
export type NetworkSource = 'installation' | 'defaults'

export interface EffectiveNetwork extends NetworkSettings {
  proxyFrom?: NetworkSource
  githubCAFrom?: NetworkSource
}

/**
 * What an installation uses: its own proxy with its own no-proxy list, else the defaults' proxy with
 * theirs (the lists are not merged: a no-proxy list belongs to its proxy); its own CA, else theirs.
 */
export function effectiveNetwork(inst: NetworkSettings, defaults: NetworkSettings = {}): EffectiveNetwork {
  const proxy = inst.proxy !== undefined ? inst : defaults.proxy !== undefined ? defaults : undefined
  const ca = inst.githubCA !== undefined ? inst : defaults.githubCA !== undefined ? defaults : undefined
  const from = (source: NetworkSettings): NetworkSource => (source === inst ? 'installation' : 'defaults')
  return {
    ...(proxy ? {proxy: proxy.proxy, proxyFrom: from(proxy)} : {}),
    ...(proxy?.noProxy?.length ? {noProxy: [...proxy.noProxy]} : {}),
    ...(ca ? {githubCA: ca.githubCA, githubCAFrom: from(ca)} : {}),
  }
}

/**
 * How list and status show what an installation uses: the proxy without credentials, whether a CA is
 * set, and where each comes from.
 */
export function networkSummary(
  inst: NetworkSettings,
  defaults?: NetworkSettings,
): {
  proxy?: string
  noProxy?: string[]
  proxyFrom?: NetworkSource
  githubCA: boolean
  githubCAFrom?: NetworkSource
} {
  const used = effectiveNetwork(inst, defaults)
  return {
    ...(used.proxy !== undefined ? {proxy: displayProxy(used.proxy), proxyFrom: used.proxyFrom} : {}),
    ...(used.noProxy ? {noProxy: used.noProxy} : {}),
    githubCA: used.githubCA !== undefined,
    ...(used.githubCAFrom ? {githubCAFrom: used.githubCAFrom} : {}),
  }
}

/** Everything wrong with an installation's proxy and CA settings (empty = fine). */
export function networkProblems(inst: NetworkSettings): string[] {
  const problems: string[] = []
  if (inst.proxy !== undefined) {
    const problem = proxyProblem(inst.proxy)
    if (problem) problems.push(problem)
  }
  if (inst.noProxy !== undefined && inst.proxy === undefined)
    problems.push('--no-proxy is given without --proxy; add --proxy URL or drop --no-proxy.')
  for (const entry of inst.noProxy ?? [])
    if (entry === '' || /\s/.test(entry))
      problems.push(
        `--no-proxy "${entry}" must be a host, domain or address without spaces (comma-separated).`,
      )
  if (inst.githubCA !== undefined) {
    const problem = caProblem(inst.githubCA)
    if (problem) problems.push(problem)
  }
  return problems
}

/** What is wrong with the defaults an installation uses (none of those it overrides). */
export function inheritedNetworkProblems(inst: NetworkSettings, defaults: NetworkSettings = {}): string[] {
  const used = effectiveNetwork(inst, defaults)
  const inherited: NetworkSettings = {
    ...(used.proxyFrom === 'defaults' ? {proxy: used.proxy, noProxy: used.noProxy} : {}),
    ...(used.githubCAFrom === 'defaults' ? {githubCA: used.githubCA} : {}),
  }
  return networkProblems(inherited).map((problem) => `In the defaults (deskrun defaults): ${problem}`)
}

/** `deskrun defaults` and `deskrun set`: what their network flags change. */
export interface NetworkFlagsGiven {
  proxy?: string
  noProxy?: string[]
  githubCAFile?: string
  clearProxy?: boolean
  clearNoProxy?: boolean
  clearGitHubCA?: boolean
}

/** Flags that set what another one clears. */
export function networkFlagConflicts(flags: NetworkFlagsGiven): string[] {
  const pairs: [boolean, string][] = [
    [flags.clearProxy === true && flags.proxy !== undefined, '--proxy and --clear-proxy'],
    [flags.clearProxy === true && flags.noProxy !== undefined, '--no-proxy and --clear-proxy'],
    [flags.clearNoProxy === true && flags.noProxy !== undefined, '--no-proxy and --clear-no-proxy'],
    [
      flags.clearGitHubCA === true && flags.githubCAFile !== undefined,
      '--github-ca-file and --clear-github-ca',
    ],
  ]
  return pairs
    .filter(([clash]) => clash)
    .map(([, both]) => `${both} contradict each other; give one of them.`)
}

export interface NetworkChange {
  /** Values to set (the CA already read from its file). */
  set: NetworkSettings
  /** Drops the proxy and its no-proxy list. */
  clearProxy?: boolean
  clearNoProxy?: boolean
  clearGitHubCA?: boolean
}

/** The settings (the defaults', or an installation's own) after `change`: cleared first, then set; what is not named stays. */
export function changeNetwork(current: NetworkSettings, change: NetworkChange): NetworkSettings {
  const {proxy, noProxy, githubCA} = current
  const next: NetworkSettings = {
    ...(change.clearProxy ? {} : {proxy, ...(change.clearNoProxy ? {} : {noProxy})}),
    ...(change.clearGitHubCA ? {} : {githubCA}),
    ...change.set,
  }
  return Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined))
}

/** `proxy: none → http://***@proxy:3128`, `GitHub CA: changed`: never a credential or the CA itself. */
export function describeNetworkChange(
  before: NetworkSettings,
  after: NetworkSettings,
  /** What an unset value is: `none` for the defaults, `default` for an installation's own. */
  unset = 'none',
): string[] {
  const proxy = (value?: string) => (value === undefined ? unset : displayProxy(value))
  const list = (value?: string[]) => (value?.length ? value.join(', ') : unset)
  const ca = (value?: string) => (value === undefined ? unset : 'set')
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
      before.githubCA !== undefined && after.githubCA !== undefined
        ? 'GitHub CA: changed'
        : `GitHub CA: ${ca(before.githubCA)} → ${ca(after.githubCA)}`,
    )
  return changes
}
