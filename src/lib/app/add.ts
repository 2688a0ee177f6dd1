import {updateConfig} from '../adapters/config-store.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {UsageError, problemsMessage, withNextStep} from '../domain/errors.js'
import {parseCacheFlag} from '../domain/installation/caches.js'
import {parseMountFlag} from '../domain/installation/mounts.js'
import {sharedFolderProblems} from '../domain/installation/sharing.js'
import {readCredentials, type CredentialFlags} from '../adapters/credentials.js'
import {DEFAULT_CACHE_SIZE} from '../domain/installation/claims.js'
import type {CacheStorage, CredentialSource, Installation} from '../domain/installation/types.js'
import {parseGitHubUrl} from '../domain/installation/validate.js'
import {jobContainerOf, type JobContainer} from '../domain/snippet.js'
import type {PlannedCache} from '../domain/plan.js'
import {planFor} from '../pipeline/deps.js'
import {
  checkPrerequisites,
  installationProblemsIn,
  installationWarningsIn,
  readConfig,
  type ActionContext,
} from './context.js'
import {deployScoped} from './deploy.js'
import {networkFrom} from './network.js'

/** `deskrun add` as the user typed it. */
export interface AddRequest {
  name: string
  repository: string
  mode: string
  cache: string[]
  /** `--cache-storage-class` and `--cache-size`: the caches in a claim per instance. */
  cacheStorageClass?: string
  cacheSize?: string
  mount?: string[]
  instances: number
  minRunners?: number
  maxRunners?: number
  runnerGroup?: string
  runnerImage?: string
  proxy?: string
  noProxy?: string[]
  githubCAFile?: string
  node?: string
  label: string[]
  cpus?: string
  memory?: string
  credentials: CredentialFlags
}

export interface AddResult {
  installation: string
  mode: string
  /** The `runs-on:` values, one per instance. */
  scaleSets: string[]
  /** Whether a job needs `container:` in this mode (as `deskrun snippet` says). */
  jobContainer: JobContainer
  caches: PlannedCache[]
  changed: string[]
}

/**
 * Validates everything first (nothing is called or written for bad input), saves the installation
 * as not yet deployed, then, holding the cluster lock, brings it up and marks it deployed. A failure
 * on the way leaves it in the config, so `deskrun up` finishes the job.
 */
export async function addInstallation(context: ActionContext, request: AddRequest): Promise<AddResult> {
  const config = await readConfig(context)
  const {installation, authSource} = await installationFrom(request, context)
  checkNew(config, installation, context)
  for (const warning of installationWarningsIn(config, installation)) context.note(warning)
  const plan = await planFor(config, installation, context.modes)
  const withNew = (current: DeskrunConfig): DeskrunConfig => ({
    ...current,
    installations: {
      ...current.installations,
      [installation.name]: {...installation, deployed: false, authSource},
    },
  })
  // The checks judge the config as it will be, so that the new installation's caches count.
  await checkPrerequisites(context, withNew(config))

  const saved = await updateConfig(
    (current) => {
      checkNew(current, installation, context)
      return withNew(current)
    },
    {onNote: context.note},
  )

  // The cluster, the controller and this installation; the others are `up`'s business.
  const {changed} = await deployScoped(context, saved, [installation.name], {ensure: true}).catch(
    (error: unknown) => {
      throw notDeployed(error, installation.name)
    },
  )
  return {
    installation: installation.name,
    mode: installation.mode,
    scaleSets: plan.scaleSets.map((scaleSet) => scaleSet.name),
    jobContainer: jobContainerOf(plan.scaleSets[0].values),
    caches: plan.caches,
    changed,
  }
}

export const DEFAULT_MIN_RUNNERS = 1
export const DEFAULT_MAX_RUNNERS = 5

/** The installation, and where its credential came from (kept in the config, shown by `list`). */
async function installationFrom(
  request: AddRequest,
  context: ActionContext,
): Promise<{installation: Installation; authSource: CredentialSource}> {
  refuseRunnersWithInstances(
    request.instances,
    request,
    'Drop --instances for one scale set that scales, or drop --min-runners/--max-runners.',
  )
  const caches = request.cache.map((value) => parseCacheFlag(value))
  const cacheStorage = cacheStorageFrom(request.cacheStorageClass, request.cacheSize)
  const mounts = (request.mount ?? []).map((value) => parseMountFlag(value))
  const network = await networkFrom(request, context)
  const credentials = await readCredentials(request.credentials, {signal: context.signal})
  if (credentials.warning) context.note(credentials.warning)
  const installation: Installation = {
    name: request.name,
    // Stored as ARC wants it: no trailing slash or .git.
    repository: parseGitHubUrl(request.repository)?.url ?? request.repository,
    mode: request.mode,
    minRunners: request.instances > 1 ? 1 : (request.minRunners ?? DEFAULT_MIN_RUNNERS),
    maxRunners: request.instances > 1 ? 1 : (request.maxRunners ?? DEFAULT_MAX_RUNNERS),
    instances: request.instances,
    caches,
    ...(cacheStorage ? {cacheStorage} : {}),
    ...(mounts.length > 0 ? {mounts} : {}),
    ...(request.runnerGroup !== undefined ? {runnerGroup: request.runnerGroup} : {}),
    ...(request.runnerImage !== undefined ? {runnerImage: request.runnerImage} : {}),
    ...network,
    ...(request.node !== undefined ? {node: request.node} : {}),
    labels: request.label,
    ...(request.cpus !== undefined ? {cpus: request.cpus} : {}),
    ...(request.memory !== undefined ? {memory: request.memory} : {}),
    auth: credentials.auth,
  }
  return {installation, authSource: credentials.source}
}

/**
 * `--cache-storage-class` (with `--cache-size`, DEFAULT_CACHE_SIZE when left out) as the installation keeps
 * it; `current`: what it has, which a size alone changes.
 */
export function cacheStorageFrom(
  storageClass: string | undefined,
  size: string | undefined,
  current?: CacheStorage,
): CacheStorage | undefined {
  if (storageClass === undefined && size === undefined) return current
  const base = storageClass ?? current?.storageClass
  if (base === undefined)
    throw new UsageError(
      '--cache-size is the size of the caches on a storage class: give --cache-storage-class too.',
      {
        hint: 'Without a storage class, caches are folders on the nodes and have no size of their own.',
      },
    )
  return {storageClass: base.trim(), size: (size ?? current?.size ?? DEFAULT_CACHE_SIZE).trim()}
}

function checkNew(config: DeskrunConfig, installation: Installation, context: ActionContext): void {
  const problems = installationProblemsIn(config, installation, context.modes)
  // On macOS every host folder reaches Docker through its VM's file sharing (docs/caches.md).
  if ((context.platform ?? process.platform) === 'darwin' && !installation.cacheStorage)
    problems.push(
      ...sharedFolderProblems(installation.caches, 'macOS').map(
        (problem) => `${problem} Leave that --cache out; the other caches work.`,
      ),
    )
  if (config.installations[installation.name])
    problems.push(
      `An installation named "${installation.name}" already exists. Remove it first (deskrun remove ${installation.name}) or pick another name.`,
    )
  if (problems.length > 0)
    throw new UsageError(problemsMessage('Invalid installation', problems), {
      hint: 'See `deskrun add --help` for the flags and examples.',
    })
}

/**
 * --min-runners or --max-runners given for several instances: each instance runs exactly one runner, so
 * they would be dropped without a word (validation sees min 1, max 1).
 */
export function refuseRunnersWithInstances(
  instances: number,
  given: {minRunners?: number; maxRunners?: number},
  hint: string,
): void {
  if (instances > 1 && (given.minRunners !== undefined || given.maxRunners !== undefined))
    throw new UsageError(
      `--min-runners and --max-runners cannot be combined with --instances ${instances}: each instance runs exactly one runner.`,
      {hint},
    )
}

export function notDeployed(error: unknown, name: string): unknown {
  return withNextStep(
    error,
    `"${name}" is saved in the config but not fully deployed; after fixing this, run: deskrun up`,
  )
}
