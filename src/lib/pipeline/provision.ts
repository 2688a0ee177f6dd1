/**
 * Installs pinned kind, helm and kubectl into deskrun's own folder (~/.deskrun/bin), which the tool
 * runner puts before PATH. Each download lands in a temp file beside its target, is verified, made
 * executable and renamed into place: a failed install leaves no file, and a working copy is replaced
 * only by one that verified.
 */
import {randomBytes} from 'node:crypto'
import {chmod, mkdir, rename, rm} from 'node:fs/promises'
import path from 'node:path'

import type {ListrTask} from 'listr2'

import type {VersionedTool} from '../adapters/tools/versions.js'
import {DeskrunError} from '../domain/errors.js'
import {runTasks, useFancyRenderer} from './run.js'
import {installHint} from '../adapters/tools/prerequisites.js'
import {HOME_MODE} from '../adapters/deskrun-home.js'
import {
  MIRROR_LAYOUT,
  PINNED_TOOLS,
  artifactFor,
  downloadUrl,
  platformKey,
  type PlatformKey,
  type ToolCatalog,
} from '../adapters/provision/catalog.js'
import {downloadVerified, progressText} from '../adapters/provision/download.js'
import {extractMember} from '../adapters/provision/tar.js'

export interface ProvisionOptions {
  /** Where the tools go: deskrunBinDir(). */
  binDir: string
  catalog?: ToolCatalog
  platform?: PlatformKey
  /** A mirror (see catalog.ts for its layout); default: the projects' official downloads. */
  baseUrl?: string
  stallTimeoutMs?: number
  signal?: AbortSignal
}

export interface InstalledTool {
  tool: VersionedTool
  version: string
  path: string
}

/** The pinned version deskrun would install here, or undefined when it has none for this platform. */
export function provisionableVersion(
  tool: VersionedTool,
  options: Pick<ProvisionOptions, 'catalog' | 'platform'> = {},
): string | undefined {
  const catalog = options.catalog ?? PINNED_TOOLS
  return artifactFor(catalog, tool, options.platform ?? platformKey()) ? catalog[tool].version : undefined
}

export async function installTool(
  tool: VersionedTool,
  options: ProvisionOptions & {onProgress?: (received: number, total?: number) => void},
): Promise<InstalledTool> {
  const catalog = options.catalog ?? PINNED_TOOLS
  const platform = options.platform ?? platformKey()
  const {version} = catalog[tool]
  const artifact = artifactFor(catalog, tool, platform)
  if (!artifact) {
    throw new DeskrunError(
      `deskrun cannot install ${tool} for ${platform}: it has no verified download for it.`,
      {
        code: 'NO_PINNED_DOWNLOAD',
        hint: installHint(tool),
      },
    )
  }

  const url = downloadUrl(artifact, options.baseUrl)
  const label = `${tool} ${version}`
  const target = path.join(options.binDir, tool)
  // Temp names sit in the same folder, so the final rename cannot cross filesystems.
  const temp = path.join(options.binDir, `.${tool}-${version}-${randomBytes(4).toString('hex')}`)
  const download = `${temp}.download`
  const extracted = `${temp}.extracted`
  // The folder above is deskrun's own (~/.deskrun), which holds the config's credentials: when this makes
  // it, it is 0700 like every other path that does (a recursive mkdir would give it the bin's 0755).
  await mkdir(path.dirname(options.binDir), {recursive: true, mode: HOME_MODE})
  await mkdir(options.binDir, {recursive: true, mode: 0o755})
  try {
    await downloadVerified(url, download, {
      sha256: artifact.sha256,
      label,
      stallTimeoutMs: options.stallTimeoutMs,
      signal: options.signal,
      onProgress: options.onProgress,
      hint: downloadHint(tool, options.baseUrl),
    })
    let binary = download
    if (artifact.archiveMember) {
      await extractMember(download, artifact.archiveMember, extracted)
      binary = extracted
    }
    await chmod(binary, 0o755)
    await rename(binary, target)
    return {tool, version, path: target}
  } finally {
    await rm(download, {force: true})
    await rm(extracted, {force: true})
  }
}

function downloadHint(tool: VersionedTool, baseUrl?: string): string {
  if (baseUrl) {
    return `DESKRUN_TOOLS_BASE_URL (or tools_base_url in the config) is ${baseUrl}. A mirror serves ${MIRROR_LAYOUT}.`
  }
  return `Check your network or proxy, or point deskrun at a mirror with DESKRUN_TOOLS_BASE_URL (${MIRROR_LAYOUT}).\nOr ${installHint(tool).replace(/^Install/, 'install')}`
}

/** One listr2 task per tool, its output the bytes received so far (`12.3 / 45.6 MB`). */
export function provisionTasks<Ctx extends {installed: InstalledTool[]}>(
  tools: readonly VersionedTool[],
  options: ProvisionOptions,
): ListrTask<Ctx>[] {
  const catalog = options.catalog ?? PINNED_TOOLS
  return tools.map((tool) => ({
    title: `Install ${tool} ${catalog[tool].version} into ${options.binDir}`,
    task: async (ctx, task) => {
      const report = progressReporter(useFancyRenderer())
      const installed = await installTool(tool, {
        ...options,
        onProgress: (received, total) => {
          const text = report(received, total)
          if (text) task.output = text
        },
      })
      ctx.installed.push(installed)
      task.title = `Installed ${tool} ${installed.version} (${installed.path})`
    },
  }))
}

/**
 * Turns byte counts into progress text, only when it changes. A live display redraws one line, so
 * every 0.1 MB is fine; a log (CI, pipes) gets a line per 10% (or per 10 MB when the size is unknown).
 */
export function progressReporter(live: boolean): (received: number, total?: number) => string | undefined {
  let last = ''
  return (received, total) => {
    const tenth = total ? Math.floor((received / total) * 10) : Math.floor(received / 10_000_000)
    const key = live ? progressText(received, total) : String(tenth)
    if (key === last) return undefined
    last = key
    return progressText(received, total)
  }
}

/** Installs the tools one after the other with a progress display; stops at the first failure. */
export async function provisionTools(
  tools: readonly VersionedTool[],
  options: ProvisionOptions & {json?: boolean},
): Promise<InstalledTool[]> {
  if (tools.length === 0) return []
  const ctx = await runTasks(
    provisionTasks<{installed: InstalledTool[]}>(tools, options),
    {installed: []},
    {
      json: options.json,
    },
  )
  return ctx.installed
}
