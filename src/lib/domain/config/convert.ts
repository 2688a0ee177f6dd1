/** Between the file's shape (version 1, the original's field names) and the domain view. */
import {DEFAULT_CHART_VERSION} from '../arc/charts.js'
import {DEFAULT_CACHE_SIZE} from '../installation/claims.js'
import type {NetworkSettings} from '../installation/network.js'
import type {Auth, CacheSpec, HostMountType} from '../installation/types.js'
import {DEFAULT_CLUSTER_NAME, ORIGINAL_CACHE_ROOT, defaultCacheRoot} from '../settings.js'
import {
  CONFIG_VERSION,
  type ConfigFile,
  type DeskrunConfig,
  type FileInstallation,
  type StoredInstallation,
} from './types.js'

const FILE_KEYS = new Set([
  'version',
  'cluster_name',
  'cache_root',
  'chart_version',
  'tools_base_url',
  'kube_context',
  'kubeconfig',
  'proxy',
  'no_proxy',
  'github_ca',
  'installations',
])
const INSTALLATION_KEYS = new Set([
  'Name',
  'Repository',
  'ContainerMode',
  'MinRunners',
  'MaxRunners',
  'Instances',
  'CachePaths',
  'CacheStorageClass',
  'CacheSize',
  'Mounts',
  'RunnerGroup',
  'RunnerImage',
  'Proxy',
  'NoProxy',
  'GitHubCA',
  'Labels',
  'AuthType',
  'AuthValue',
  'AppID',
  'InstallationID',
  'AuthSource',
  'Deployed',
  'Node',
  'Nodes',
  'Paused',
  'CPUs',
  'Memory',
])

function unknownKeys(record: Record<string, unknown>, known: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !known.has(key)))
}

/** The config before the first `deskrun add`; its cache root is written to the file when it is saved. */
export function emptyConfig(env: NodeJS.ProcessEnv = process.env): DeskrunConfig {
  return {
    clusterName: DEFAULT_CLUSTER_NAME,
    cacheRoot: defaultCacheRoot(env),
    chartVersion: DEFAULT_CHART_VERSION,
    installations: {},
    extra: {},
  }
}

function installationToDomain(
  key: string,
  file: FileInstallation,
  note: (line: string) => void,
): StoredInstallation {
  const auth: Auth =
    file.AuthType === 'github-app'
      ? {
          type: 'github-app',
          appId: file.AppID ?? '',
          installationId: file.InstallationID ?? '',
          privateKey: file.AuthValue,
        }
      : {type: 'pat', token: file.AuthValue}
  const caches: CacheSpec[] = (file.CachePaths ?? []).map((cache) =>
    cache.Source ? {target: cache.Target, source: cache.Source} : {target: cache.Target},
  )
  const installation: StoredInstallation = {
    name: key,
    repository: file.Repository,
    mode: file.ContainerMode,
    minRunners: file.MinRunners,
    maxRunners: file.MaxRunners,
    instances: file.Instances ?? 1,
    caches,
    labels: file.Labels ?? [],
    auth,
    deployed: file.Deployed ?? false,
  }
  // A size without a class means nothing (host folders have none): the next save leaves it out.
  if (file.CacheStorageClass !== undefined)
    installation.cacheStorage = {
      storageClass: file.CacheStorageClass,
      size: file.CacheSize ?? DEFAULT_CACHE_SIZE,
    }
  if (file.RunnerGroup !== undefined) installation.runnerGroup = file.RunnerGroup
  if (file.RunnerImage !== undefined) installation.runnerImage = file.RunnerImage
  if (file.Proxy !== undefined) installation.proxy = file.Proxy
  if (file.NoProxy !== undefined) installation.noProxy = [...file.NoProxy]
  if (file.GitHubCA !== undefined) installation.githubCA = file.GitHubCA
  if (file.Node !== undefined) installation.node = file.Node
  if (file.Nodes !== undefined && Object.keys(file.Nodes).length > 0) installation.nodes = {...file.Nodes}
  if (file.AuthSource !== undefined) installation.authSource = file.AuthSource
  if (file.Paused) installation.paused = true
  if (file.CPUs !== undefined) installation.cpus = file.CPUs
  if (file.Memory !== undefined) installation.memory = file.Memory

  // An unknown Type is kept as it is, for validation to name.
  if (file.Mounts && file.Mounts.length > 0)
    installation.mounts = file.Mounts.map((mount) => ({
      source: mount.Source || mount.Target,
      target: mount.Target,
      type: (mount.Type || 'DirectoryOrCreate') as HostMountType,
      readOnly: mount.ReadOnly ?? false,
    }))

  const extra = unknownKeys(file, INSTALLATION_KEYS)
  if (Object.keys(extra).length > 0) {
    installation.extra = extra
    note(
      `Installation ${key}: ${Object.keys(extra).join(', ')} ignored (not deskrun settings; kept in the file).`,
    )
  }

  return installation
}

/** The domain view of a version 1 file. `note` hears about things kept but not used. */
export function toDomain(file: ConfigFile, note: (line: string) => void = () => {}): DeskrunConfig {
  const installations: Record<string, StoredInstallation> = {}
  for (const [key, installation] of Object.entries(file.installations ?? {})) {
    installations[key] = installationToDomain(key, installation, note)
  }

  const defaults: NetworkSettings = {
    ...(file.proxy !== undefined ? {proxy: file.proxy} : {}),
    ...(file.no_proxy !== undefined ? {noProxy: [...file.no_proxy]} : {}),
    ...(file.github_ca !== undefined ? {githubCA: file.github_ca} : {}),
  }
  return {
    clusterName: file.cluster_name || DEFAULT_CLUSTER_NAME,
    // Files of the original deskrun, and of deskrun before ~/.cache/deskrun, have no cache_root.
    cacheRoot: file.cache_root ?? ORIGINAL_CACHE_ROOT,
    chartVersion: file.chart_version ?? DEFAULT_CHART_VERSION,
    ...(file.tools_base_url ? {toolsBaseUrl: file.tools_base_url} : {}),
    ...(file.kube_context ? {kubeContext: file.kube_context} : {}),
    ...(file.kube_context && file.kubeconfig ? {kubeconfig: file.kubeconfig} : {}),
    ...(Object.keys(defaults).length > 0 ? {networkDefaults: defaults} : {}),
    installations,
    extra: structuredClone(unknownKeys(file, FILE_KEYS)),
  }
}

function installationToFile(installation: StoredInstallation): FileInstallation {
  const {auth} = installation
  const file: FileInstallation = {
    Name: installation.name,
    Repository: installation.repository,
    ContainerMode: installation.mode,
    MinRunners: installation.minRunners,
    MaxRunners: installation.maxRunners,
    Instances: installation.instances,
    CachePaths: installation.caches.map((cache) =>
      cache.source ? {Target: cache.target, Source: cache.source} : {Target: cache.target},
    ),
    AuthType: auth.type,
    AuthValue: auth.type === 'pat' ? auth.token : auth.privateKey,
    Deployed: installation.deployed,
  }
  if (installation.cacheStorage) {
    file.CacheStorageClass = installation.cacheStorage.storageClass
    file.CacheSize = installation.cacheStorage.size
  }
  if (installation.mounts && installation.mounts.length > 0)
    file.Mounts = installation.mounts.map((mount) => ({
      Source: mount.source,
      Target: mount.target,
      Type: mount.type,
      ...(mount.readOnly ? {ReadOnly: true} : {}),
    }))

  if (installation.runnerGroup !== undefined) file.RunnerGroup = installation.runnerGroup
  if (installation.runnerImage !== undefined) file.RunnerImage = installation.runnerImage
  if (installation.proxy !== undefined) file.Proxy = installation.proxy
  if (installation.noProxy !== undefined) file.NoProxy = [...installation.noProxy]
  if (installation.githubCA !== undefined) file.GitHubCA = installation.githubCA
  if (installation.node !== undefined) file.Node = installation.node
  if (installation.nodes && Object.keys(installation.nodes).length > 0) file.Nodes = {...installation.nodes}
  if (installation.labels.length > 0) file.Labels = installation.labels
  if (auth.type === 'github-app') {
    file.AppID = auth.appId
    file.InstallationID = auth.installationId
  }
  if (installation.authSource !== undefined) file.AuthSource = installation.authSource
  if (installation.paused) file.Paused = true
  if (installation.cpus !== undefined) file.CPUs = installation.cpus
  if (installation.memory !== undefined) file.Memory = installation.memory

  return Object.assign(file, unknownKeys(installation.extra ?? {}, INSTALLATION_KEYS))
}

/**
 * The file for a domain config. chart_version is left out when it is the default, so that a newer
 * deskrun's pinned charts apply to files that never chose otherwise. cache_root is left out only when
 * it is the original's /tmp root, which is what a file without one means: caches never move by
 * themselves, since the cluster mounts the root and the caches live there.
 */
export function toFile(config: DeskrunConfig): ConfigFile {
  const installations: Record<string, FileInstallation> = {}
  for (const key of Object.keys(config.installations).sort()) {
    installations[key] = installationToFile(config.installations[key])
  }

  const defaults = config.networkDefaults
  return {
    version: CONFIG_VERSION,
    cluster_name: config.clusterName,
    ...(config.cacheRoot === ORIGINAL_CACHE_ROOT ? {} : {cache_root: config.cacheRoot}),
    ...(config.chartVersion === DEFAULT_CHART_VERSION ? {} : {chart_version: config.chartVersion}),
    ...(config.toolsBaseUrl ? {tools_base_url: config.toolsBaseUrl} : {}),
    ...(config.kubeContext ? {kube_context: config.kubeContext} : {}),
    ...(config.kubeContext && config.kubeconfig ? {kubeconfig: config.kubeconfig} : {}),
    ...(defaults?.proxy !== undefined ? {proxy: defaults.proxy} : {}),
    ...(defaults?.noProxy !== undefined ? {no_proxy: [...defaults.noProxy]} : {}),
    ...(defaults?.githubCA !== undefined ? {github_ca: defaults.githubCA} : {}),
    installations,
    ...unknownKeys(config.extra, FILE_KEYS),
  }
}
