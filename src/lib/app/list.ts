import type {CredentialSource, HostMountSpec, Installation} from '../domain/installation/types.js'
import {DEFAULT_RUNNER_IMAGE} from '../domain/installation/image.js'
import {networkSummary} from '../domain/installation/network.js'
import {cacheClaimName, instanceNames} from '../domain/installation/naming.js'
import {readConfig, type ActionContext} from './context.js'

export interface ListedInstallation {
  name: string
  repository: string
  mode: string
  instances: number
  /** The `runs-on:` values. */
  scaleSets: string[]
  minRunners: number
  maxRunners: number
  caches: {target: string; source?: string}[]
  /** `--cache-storage-class`: the caches' storage class, size and claims; absent: host folders. */
  cacheStorage?: CacheStorageSummary
  /** `--mount` host paths. */
  mounts: HostMountSpec[]
  runnerGroup?: string
  /** The runner container's image (`--runner-image` or ARC's default). */
  runnerImage: string
  /**
   * The proxy (credentials shown as ***) and no-proxy list it uses and whether a GitHub CA is set, each
   * with where it comes from: its own `--proxy` / `--github-ca-file`, or the defaults (`deskrun defaults`).
   */
  network: ReturnType<typeof networkSummary>
  labels: string[]
  /** `--node`, or the node each instance was pinned to (clusters of several nodes). */
  node?: string
  nodes?: Record<string, string>
  /**
   * Never the credential itself: whether one is set, and where `deskrun add` read it from
   * (`config` when the file does not say, e.g. written by hand or by the original deskrun).
   */
  auth: {type: string; set: boolean; source: CredentialSource | 'config'}
  /** Whether the last add/up deployed it (the config's record; `deskrun status` asks the cluster). */
  deployed: boolean
  /** `deskrun pause`: no new runner starts until `deskrun resume`. */
  paused: boolean
  /** `--cpus` / `--memory` limits; absent: none. */
  cpus?: string
  memory?: string
}

export interface CacheStorageSummary {
  storageClass: string
  size: string
  /** One PersistentVolumeClaim per instance, in the scale sets' namespace. */
  claims: string[]
}

/** Where an installation with `--cache-storage-class` keeps its caches. */
export function cacheStorageSummary(
  installation: Pick<Installation, 'name' | 'instances' | 'cacheStorage'>,
): CacheStorageSummary | undefined {
  const storage = installation.cacheStorage
  if (!storage) return undefined
  const claims = instanceNames(installation.name, installation.instances).map(cacheClaimName)
  return {storageClass: storage.storageClass, size: storage.size, claims}
}

/** Reads the config only: works without Docker or a cluster. */
export async function listInstallations(context: Pick<ActionContext, 'note'>): Promise<{
  clusterName: string
  installations: ListedInstallation[]
}> {
  const config = await readConfig(context)
  const installations = Object.values(config.installations).map((installation): ListedInstallation => ({
    name: installation.name,
    repository: installation.repository,
    mode: installation.mode,
    instances: installation.instances,
    scaleSets: instanceNames(installation.name, installation.instances),
    minRunners: installation.minRunners,
    maxRunners: installation.maxRunners,
    caches: installation.caches.map(({target, source}) => ({target, ...(source ? {source} : {})})),
    ...(installation.cacheStorage ? {cacheStorage: cacheStorageSummary(installation)} : {}),
    mounts: (installation.mounts ?? []).map(({source, target, type, readOnly}) => ({
      source,
      target,
      type,
      readOnly,
    })),
    ...(installation.runnerGroup ? {runnerGroup: installation.runnerGroup} : {}),
    runnerImage: installation.runnerImage ?? DEFAULT_RUNNER_IMAGE,
    network: networkSummary(installation, config.networkDefaults),
    ...(installation.node ? {node: installation.node} : {}),
    ...(installation.nodes ? {nodes: installation.nodes} : {}),
    labels: installation.labels,
    auth: {
      type: installation.auth.type,
      set:
        installation.auth.type === 'pat'
          ? Boolean(installation.auth.token)
          : Boolean(installation.auth.privateKey),
      source: installation.authSource ?? 'config',
    },
    deployed: installation.deployed,
    paused: Boolean(installation.paused),
    ...(installation.cpus ? {cpus: installation.cpus} : {}),
    ...(installation.memory ? {memory: installation.memory} : {}),
  }))
  return {clusterName: config.clusterName, installations}
}
