/**
 * Runs the checks side by side, each as soon as the checks it builds on are done; results come in
 * deskrun's order whatever order they finish in.
 */
import type {DeskrunConfig} from '../../domain/config/types.js'
import {
  PINNED_TOOLS,
  artifactFor,
  platformKey,
  type PlatformKey,
  type ToolCatalog,
} from '../../adapters/provision/catalog.js'
import {configPath} from '../../domain/settings.js'
import {deskrunBinDir} from '../../adapters/tools/prerequisites.js'
import {createTools} from '../../adapters/tools/index.js'
import {checkCacheMount, checkCluster, checkController, checkPermissions} from './checks/cluster.js'
import {
  checkCacheLifetime,
  checkCacheRoot,
  checkCgroup,
  checkInotify,
  checkSharedDataRoots,
} from './checks/system.js'
import {checkGitHubCAs, checkProxies} from './checks/network.js'
import {checkDocker, checkTool} from './checks/tools.js'
import type {CheckState, CheckTools, DoctorContext, NetworkSubject} from './context.js'
import {realFacts, type SystemFacts} from '../../adapters/host-facts.js'
import type {Check, CheckId} from './types.js'

type CheckFn = (ctx: DoctorContext, state: CheckState) => Promise<Check | undefined>

/**
 * Every check but the config's (which runs first, to learn the settings), in the order shown, with
 * the checks whose findings (CheckState) it reads: it starts when those are done.
 */
const CHECKS: [CheckId, CheckFn, CheckId[]?][] = [
  ['docker', checkDocker],
  ['kind', (ctx) => checkTool(ctx, 'kind')],
  ['helm', (ctx) => checkTool(ctx, 'helm')],
  ['kubectl', (ctx) => checkTool(ctx, 'kubectl')],
  ['cluster', checkCluster, ['docker', 'kind', 'kubectl']],
  ['permissions', checkPermissions, ['cluster']],
  ['cache-mount', checkCacheMount, ['cluster']],
  ['controller', checkController, ['cluster', 'helm', 'kubectl']],
  ['cache-root', checkCacheRoot],
  ['cache-lifetime', checkCacheLifetime],
  ['shared-data-root', checkSharedDataRoots, ['docker']],
  ['inotify', checkInotify],
  ['cgroup', checkCgroup],
  ['proxy', checkProxies],
  ['github-ca', checkGitHubCAs],
]

export const MACHINE_CHECKS: readonly CheckId[] = CHECKS.map(([id]) => id)

/**
 * For an existing cluster (deskrun cluster use) what matters is that helm and kubectl work and the
 * cluster answers and lets deskrun do its work; Docker, kind and this machine's caches play no part.
 */
export const EXISTING_CLUSTER_CHECKS: readonly CheckId[] = [
  'helm',
  'kubectl',
  'cluster',
  'permissions',
  'controller',
  // The proxy is reached from that cluster's nodes, not from here: only the CA is checked.
  'github-ca',
]

/** The checks `deskrun doctor` runs for this config. */
export function doctorChecks(config: Pick<DeskrunConfig, 'kubeContext'>): readonly CheckId[] {
  return config.kubeContext ? EXISTING_CLUSTER_CHECKS : MACHINE_CHECKS.filter((id) => id !== 'permissions')
}

/** Each call asks a local daemon or cluster; one that takes longer is hung, and doctor says so. */
export const CHECK_TIMEOUT_MS = 30_000

/**
 * Runs the chosen checks (platform-specific ones may give no result) and returns them in deskrun's
 * order, not the caller's. `onCheck` hears each result as soon as it and every one before it are in,
 * so a report printed from it reads in the same order every time.
 */
export async function runChecks(
  ctx: DoctorContext,
  ids: readonly CheckId[] = MACHINE_CHECKS,
  onCheck?: (check: Check) => void,
): Promise<Check[]> {
  const state: CheckState = {results: new Map()}
  const chosen = CHECKS.filter(([id]) => ids.includes(id))
  const done = new Set<CheckId>()
  let told = 0
  const tell = () => {
    for (; told < chosen.length && done.has(chosen[told][0]); told++) {
      const result = state.results.get(chosen[told][0])
      if (result) onCheck?.(result)
    }
  }
  const running = new Map<CheckId, Promise<void>>()
  for (const [id, check, needs = []] of chosen) {
    // A check that was not chosen is not waited for: its findings stay unknown, as before it ran.
    const before = needs.flatMap((need) => running.get(need) ?? [])
    running.set(
      id,
      Promise.all(before).then(async () => {
        const result = await check(ctx, state)
        if (result) state.results.set(id, result)
        done.add(id)
        tell()
      }),
    )
  }
  await Promise.all(running.values())
  return chosen.flatMap(([id]) => state.results.get(id) ?? [])
}

/** What a caller may replace: tests swap in fake tools, facts, downloads and answers. */
export interface ContextOptions {
  env?: NodeJS.ProcessEnv
  facts?: SystemFacts
  /** Stand-ins for the tool adapters (`tools` of EnsureOptions names the tools a command needs). */
  adapters?: CheckTools
  catalog?: ToolCatalog
  platform?: PlatformKey
  timeoutMs?: number
  /** Aborted on Ctrl-C: the running check's tool is stopped. */
  signal?: AbortSignal
  debug?: (line: string) => void
}

export function createContext(config: DeskrunConfig, options: ContextOptions = {}): DoctorContext {
  const env = options.env ?? process.env
  const catalog = options.catalog ?? PINNED_TOOLS
  const platform = options.platform ?? platformKey()
  return {
    tools:
      options.adapters ??
      createTools(config, {
        env,
        timeoutMs: options.timeoutMs ?? CHECK_TIMEOUT_MS,
        signal: options.signal,
        debug: options.debug,
      }),
    facts: options.facts ?? realFacts(env),
    env,
    binDir: deskrunBinDir(env),
    clusterName: config.clusterName,
    ...(config.kubeContext ? {existingContext: config.kubeContext} : {}),
    cacheRoot: config.cacheRoot,
    chartVersion: config.chartVersion,
    configFile: configPath(env),
    installations: Object.keys(config.installations).length,
    caches: Object.fromEntries(
      Object.values(config.installations)
        // Caches on a storage class are in the cluster: nothing of this machine's disk is theirs.
        .filter((installation) => installation.caches.length > 0 && !installation.cacheStorage)
        .map((installation) => [installation.name, installation.caches]),
    ),
    cacheClaims: Object.values(config.installations).some((installation) =>
      Boolean(installation.cacheStorage),
    ),
    network: networkSubjects(config),
    provisionable: (tool) => (artifactFor(catalog, tool, platform) ? catalog[tool].version : undefined),
  }
}

/** The defaults' proxy and CA, then each installation's own (one that inherits both has nothing to add). */
function networkSubjects(config: DeskrunConfig): NetworkSubject[] {
  const {proxy, githubCA} = config.networkDefaults ?? {}
  const own = Object.values(config.installations)
    .filter((one) => one.proxy !== undefined || one.githubCA !== undefined)
    .map((one) => ({installation: one.name, proxy: one.proxy, githubCA: one.githubCA}))
  return [...(proxy !== undefined || githubCA !== undefined ? [{proxy, githubCA}] : []), ...own]
}
