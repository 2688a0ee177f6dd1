/**
 * Files written by the original Go deskrun (no `version`) load as version 1 in memory. The file itself
 * is rewritten only when deskrun next saves, after a backup of the original (see store.ts).
 */
import path from 'node:path'

import {DEFAULT_CLUSTER_NAME} from '../settings.js'
import {
  CONFIG_VERSION,
  type ConfigFile,
  type FileCachePath,
  type FileInstallation,
  type FileMount,
} from './types.js'

/** Mount types the original wrote that are plain folders, so deskrun can treat them as caches. */
const DIRECTORY_MOUNT_TYPES = new Set(['', 'DirectoryOrCreate', 'Directory'])

export interface Migration {
  file: ConfigFile
  /** 0 = the original deskrun's shape; 1 = already current. */
  fromVersion: 0 | 1
}

type Raw = Record<string, unknown>

/** Where the pre-migration file is kept: `config.json.v0.bak`, or `.v0.1.bak`, ... if that is taken. */
export function backupPath(file: string, fromVersion: number, attempt = 0): string {
  const suffix = attempt === 0 ? `.v${fromVersion}.bak` : `.v${fromVersion}.${attempt}.bak`
  return path.join(path.dirname(file), `${path.basename(file)}${suffix}`)
}

/** Whether the file `name` (beside `file`) is one of the backups `backupPath` names. */
export function isBackupOf(file: string, name: string): boolean {
  const base = path.basename(file)
  return name.startsWith(base) && /^\.v[0-9]+(?:\.[0-9]+)?\.bak$/.test(name.slice(base.length))
}

/** The credentials (tokens, private keys: `AuthValue`) that config data of either shape holds. */
export function storedCredentials(data: unknown): string[] {
  const installations = (data as {installations?: unknown} | null)?.installations
  if (!installations || typeof installations !== 'object') return []
  return Object.values(installations as Record<string, unknown>)
    .map((installation) => (installation as {AuthValue?: unknown} | null)?.AuthValue)
    .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
    .map((value) => value.trim())
}

/** The original's caches: plain paths, then {MountPath, HostPath}, then {Target, Source}. */
function cachePathOf(entry: unknown): FileCachePath {
  if (typeof entry === 'string') return {Target: entry}
  const item = entry as Raw
  const target = String(item.Target ?? item.MountPath)
  const source = (item.Source ?? item.HostPath) as string | undefined
  return source ? {Target: target, Source: source} : {Target: target}
}

const idOf = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value)

function migrateInstallation(raw: Raw): FileInstallation {
  const {CachePaths, Mounts, Instances, Labels, AppID, InstallationID, ...rest} = structuredClone(raw)
  const caches = ((CachePaths as unknown[] | null | undefined) ?? []).map(cachePathOf)
  const unsupported: FileMount[] = []
  for (const mount of (Mounts as FileMount[] | null | undefined) ?? []) {
    if (!DIRECTORY_MOUNT_TYPES.has(mount.Type ?? '')) {
      unsupported.push(mount)
    } else if (!caches.some((cache) => cache.Target === mount.Target)) {
      caches.push(mount.Source ? {Target: mount.Target, Source: mount.Source} : {Target: mount.Target})
    }
  }

  const installation = rest as FileInstallation
  installation.Instances = typeof Instances === 'number' && Instances >= 1 ? Instances : 1
  installation.CachePaths = caches
  if (unsupported.length > 0) installation.Mounts = unsupported
  if (Array.isArray(Labels) && Labels.length > 0) installation.Labels = Labels as string[]
  const appId = idOf(AppID)
  const installationId = idOf(InstallationID)
  if (appId !== undefined) installation.AppID = appId
  if (installationId !== undefined) installation.InstallationID = installationId
  return installation
}

/** Turns schema-valid data of either shape into version 1. Does not touch the data it is given. */
export function migrate(data: Raw): Migration {
  if (data.version !== undefined) {
    const file = structuredClone(data) as ConfigFile
    return {file, fromVersion: 1}
  }

  const {installations, cluster_name: clusterName, ...rest} = data
  const migrated: Record<string, FileInstallation> = {}
  for (const [name, installation] of Object.entries((installations as Record<string, Raw> | null) ?? {})) {
    migrated[name] = migrateInstallation(installation)
  }

  return {
    file: {
      ...structuredClone(rest),
      version: CONFIG_VERSION,
      cluster_name:
        typeof clusterName === 'string' && clusterName !== '' ? clusterName : DEFAULT_CLUSTER_NAME,
      installations: migrated,
    },
    fromVersion: 0,
  }
}
