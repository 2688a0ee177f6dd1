/** Runs the checks in a fixed order, each seeing what the earlier ones found. */
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
import {checkDocker, checkTool} from './checks/tools.js'
import type {CheckState, CheckTools, DoctorContext} from './context.js'
import {realFacts, type SystemFacts} from '../../adapters/host-facts.js'
import type {Check, CheckId} from './types.js'

type CheckFn = (ctx: DoctorContext, state: CheckState) => Promise<Check | undefined>

/** Every check but the config's (which runs first, to learn the settings), in the order shown. */
const CHECKS: [CheckId, CheckFn][] = [
  ['docker', checkDocker],
  ['kind', (ctx) => checkTool(ctx, 'kind')],
  ['helm', (ctx) => checkTool(ctx, 'helm')],
  ['kubectl', (ctx) => checkTool(ctx, 'kubectl')],
  ['cluster', checkCluster],
  ['permissions', checkPermissions],
  ['cache-mount', checkCacheMount],
  ['controller', checkController],
  ['cache-root', checkCacheRoot],
  ['cache-lifetime', checkCacheLifetime],
  ['shared-data-root', checkSharedDataRoots],
  ['inotify', checkInotify],
  ['cgroup', checkCgroup],
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
]

/** The checks `deskrun doctor` runs for this config. */
export function doctorChecks(config: Pick<DeskrunConfig, 'kubeContext'>): readonly CheckId[] {
  return config.kubeContext ? EXISTING_CLUSTER_CHECKS : MACHINE_CHECKS.filter((id) => id !== 'permissions')
}

/** Each call asks a local daemon or cluster; one that takes longer is hung, and doctor says so. */
export const CHECK_TIMEOUT_MS = 30_000

/** Runs the chosen checks (in deskrun's order, not the caller's); platform-specific ones may be absent. */
export async function runChecks(
  ctx: DoctorContext,
  ids: readonly CheckId[] = MACHINE_CHECKS,
): Promise<Check[]> {
  const state: CheckState = {results: new Map()}
  for (const [id, check] of CHECKS) {
    if (!ids.includes(id)) continue
    const result = await check(ctx, state)
    if (result) state.results.set(id, result)
  }
  return [...state.results.values()]
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
        .filter((installation) => installation.caches.length > 0)
        .map((installation) => [installation.name, installation.caches]),
    ),
    provisionable: (tool) => (artifactFor(catalog, tool, platform) ? catalog[tool].version : undefined),
  }
}
