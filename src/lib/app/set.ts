import {updateConfig} from '../adapters/config-store.js'
import {readCredentials, type CredentialFlags} from '../adapters/credentials.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {UsageError, problemsMessage} from '../domain/errors.js'
import {parseCacheFlag} from '../domain/installation/caches.js'
import {
  changeNetwork,
  describeNetworkChange,
  networkFlagConflicts,
  type NetworkFlagsGiven,
} from '../domain/installation/network.js'
import type {CacheStorage, Installation} from '../domain/installation/types.js'
import {cacheStorageFrom, notDeployed, refuseRunnersWithInstances} from './add.js'
import {networkFrom} from './network.js'
import {
  checkPrerequisites,
  installationNamed,
  installationProblemsIn,
  readConfig,
  type ActionContext,
} from './context.js'
import {deployScoped} from './deploy.js'

/** What `deskrun set` may change; undefined keeps the installation's value. */
export interface SetRequest {
  name: string
  minRunners?: number
  maxRunners?: number
  instances?: number
  cache?: string[]
  cacheStorageClass?: string
  cacheSize?: string
  label?: string[]
  runnerGroup?: string
  runnerImage?: string
  cpus?: string
  memory?: string
  /** --proxy, --no-proxy, --github-ca-file and their --clear-… flags: its own settings (none: the defaults). */
  network?: NetworkFlagsGiven
  /** Given when any credential flag is: the credential is read again, as `add` reads it. */
  credentials?: CredentialFlags
  dryRun?: boolean
}

export interface SetResult {
  installation: string
  /** `maxRunners: 5 → 3`, `credentials changed` (never their value). */
  changes: string[]
  changed: string[]
}

/**
 * Changes an installation in place: checked as `add` checks a new one (bad input changes nothing),
 * saved, then only that installation is brought to the new state (the same reconcile as `up`).
 */
export async function setInstallation(context: ActionContext, request: SetRequest): Promise<SetResult> {
  const config = await readConfig(context)
  const current = installationNamed(config, request.name)
  const updated = await changed(current, request, context)
  const changes = describeChanges(current, updated)
  if (changes.length === 0)
    throw new UsageError(`Nothing to change: the flags give ${request.name} the settings it has.`, {
      hint: 'See `deskrun set --help` for what can be changed.',
    })
  const withUpdated = (base: DeskrunConfig): DeskrunConfig => {
    // Without them in `updated` they are cleared: the installation then uses the defaults.
    const {proxy: _proxy, noProxy: _noProxy, githubCA: _ca, ...fresh} = base.installations[request.name]
    return {
      ...base,
      installations: {...base.installations, [request.name]: {...fresh, ...updated, deployed: false}},
    }
  }
  const problems = installationProblemsIn(config, updated, context.modes)
  if (problems.length > 0)
    throw new UsageError(problemsMessage('Invalid change', problems), {
      hint: 'Nothing was changed. See `deskrun set --help`.',
    })
  if (request.dryRun) return {installation: request.name, changes, changed: []}

  await checkPrerequisites(context, withUpdated(config))
  const saved = await updateConfig(withUpdated, {onNote: context.note})
  const {changed: applied} = await deployScoped(context, saved, [request.name], {ensure: true}).catch(
    (error: unknown) => {
      throw notDeployed(error, request.name)
    },
  )
  return {installation: request.name, changes, changed: applied}
}

async function changed(
  current: Installation,
  request: SetRequest,
  context: ActionContext,
): Promise<Installation> {
  const instances = request.instances ?? current.instances
  refuseRunnersWithInstances(instances, request, 'Set --instances 1 for one scale set that scales.')
  let {auth} = current
  if (request.credentials) {
    const credentials = await readCredentials(request.credentials, {signal: context.signal})
    if (credentials.warning) context.note(credentials.warning)
    auth = credentials.auth
  }
  const single = instances === 1 && current.instances > 1
  const {proxy, noProxy, githubCA, ...rest} = current
  const conflicts = networkFlagConflicts(request.network ?? {})
  if (conflicts.length > 0)
    throw new UsageError(conflicts.join('\n'), {hint: 'Nothing was changed. See `deskrun set --help`.'})
  const set = request.network ? await networkFrom(request.network, context, 'set') : {}
  const network = changeNetwork({proxy, noProxy, githubCA}, {...request.network, set})
  const cacheStorage = cacheStorageFrom(request.cacheStorageClass, request.cacheSize, current.cacheStorage)
  return {
    ...rest,
    ...network,
    instances,
    minRunners: instances > 1 ? 1 : (request.minRunners ?? (single ? 1 : current.minRunners)),
    maxRunners:
      instances > 1 ? 1 : (request.maxRunners ?? (single ? current.maxRunners : current.maxRunners)),
    ...(request.cache !== undefined ? {caches: request.cache.map((value) => parseCacheFlag(value))} : {}),
    ...(cacheStorage ? {cacheStorage} : {}),
    ...(request.label !== undefined ? {labels: request.label} : {}),
    ...(request.runnerGroup !== undefined ? {runnerGroup: request.runnerGroup} : {}),
    ...(request.runnerImage !== undefined ? {runnerImage: request.runnerImage} : {}),
    ...(request.cpus !== undefined ? {cpus: request.cpus} : {}),
    ...(request.memory !== undefined ? {memory: request.memory} : {}),
    auth,
  }
}

const FIELDS: [keyof Installation, string][] = [
  ['instances', 'instances'],
  ['minRunners', 'min runners'],
  ['maxRunners', 'max runners'],
  ['caches', 'caches'],
  ['cacheStorage', 'cache storage'],
  ['labels', 'labels'],
  ['runnerGroup', 'runner group'],
  ['runnerImage', 'runner image'],
  ['cpus', 'cpus'],
  ['memory', 'memory'],
]

const isCacheStorage = (value: unknown): value is CacheStorage =>
  typeof value === 'object' && value !== null && 'storageClass' in value

/** What differs, in words; credentials only as "changed". */
export function describeChanges(before: Installation, after: Installation): string[] {
  const show = (value: unknown): string =>
    isCacheStorage(value)
      ? `${value.storageClass} ${value.size}`
      : Array.isArray(value)
        ? value
            .map((item) =>
              typeof item === 'object' && item !== null ? (item as {target?: string}).target : item,
            )
            .join(', ') || 'none'
        : value === undefined
          ? 'none'
          : String(value)
  const lines = FIELDS.filter(([key]) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).map(
    ([key, words]) => `${words}: ${show(before[key])} → ${show(after[key])}`,
  )
  // Unset, an installation uses the defaults (deskrun defaults).
  lines.push(...describeNetworkChange(before, after, 'default'))
  if (JSON.stringify(before.auth) !== JSON.stringify(after.auth)) lines.push('credentials changed')
  return lines
}
