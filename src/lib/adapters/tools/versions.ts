/**
 * The oldest kind, helm and kubectl deskrun supports (one place, so doctor, provisioning and the docs
 * agree), and how to read each tool's version output. Why these floors:
 * - helm 3.13: deskrun passes `--labels` to `helm upgrade --install` to recognise its own releases.
 * - kind 0.20: the oldest release deskrun supports; its default node is Kubernetes 1.27.
 * - kubectl 1.27: within kubectl's one-minor skew of that node.
 */
import {mkdir, readFile, realpath, stat} from 'node:fs/promises'
import path from 'node:path'

import semver from 'semver'

import {deskrunHome} from '../../domain/settings.js'
import {writeFileAtomically} from '../atomic-file.js'
import {locateTool, type ToolName} from './prerequisites.js'
import type {ToolRunner} from './runner.js'

export type VersionedTool = Exclude<ToolName, 'docker'>

export const MINIMUM_VERSIONS: Record<VersionedTool, string> = {
  kind: '0.20.0',
  helm: '3.13.0',
  kubectl: '1.27.0',
}

/** The arguments that make each tool print its version. */
const VERSION_ARGS: Record<VersionedTool, string[]> = {
  kind: ['version'],
  helm: ['version', '--short'],
  kubectl: ['version', '--client', '--output', 'json'],
}

/**
 * The version in a tool's output: `kind v0.29.0 go1.24.2 linux/amd64`, `v3.18.4+gd80839c`, or
 * kubectl's `{"clientVersion": {"gitVersion": "v1.33.1", ...}}`. Undefined when there is none.
 */
export function parseToolVersion(tool: VersionedTool, output: string): string | undefined {
  let text = output
  if (tool === 'kubectl') {
    try {
      text = (JSON.parse(output) as {clientVersion?: {gitVersion?: string}}).clientVersion?.gitVersion ?? ''
    } catch {
      // Older kubectl printed `Client Version: v1.27.3`; fall through to the plain-text match.
    }
  }
  const match = /v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(text)
  return match ? (semver.valid(match[1]) ?? undefined) : undefined
}

/** Whether `version` is older than deskrun supports (pre-releases of the floor count as older). */
export function isTooOld(tool: VersionedTool, version: string): boolean {
  return semver.lt(version, MINIMUM_VERSIONS[tool])
}

export interface ToolVersion {
  /** Undefined when the output holds no version deskrun can read. */
  version?: string
  /** What the tool printed, to show when it holds no version. */
  output: string
}

/**
 * Asks kind, helm or kubectl (the client) for its version: the `version()` of their adapters. The
 * answer is remembered per executable (its real path, size and modification time), so a command does
 * not start three processes to learn what it learned last time; a new or replaced binary is asked again.
 */
export async function readToolVersion(runner: ToolRunner, tool: VersionedTool): Promise<ToolVersion> {
  const env = runner.environment()
  const binary = await identify(tool, env)
  const cache = binary ? await readCache(env) : {}
  const known = binary && cache[binary.path]
  if (known && known.size === binary.size && known.mtimeMs === binary.mtimeMs)
    return {version: parseToolVersion(tool, known.output), output: known.output}
  const {stdout} = await runner.run(tool, VERSION_ARGS[tool], {step: `ask ${tool} for its version`})
  const version = parseToolVersion(tool, stdout)
  // Only an answer deskrun understood is worth keeping; a cache that cannot be written is no loss.
  if (binary && version) await remember(env, {...binary, output: stdout})
  return {version, output: stdout}
}

/** The checks ask the tools side by side: one write at a time, each adding to what the last one wrote. */
let writing = Promise.resolve()

function remember(env: NodeJS.ProcessEnv, entry: Binary & {output: string}): Promise<void> {
  writing = writing
    .then(async () => writeCache(env, {...(await readCache(env)), [entry.path]: entry}))
    .catch(() => {})
  return writing
}

interface Binary {
  path: string
  size: number
  mtimeMs: number
}

type VersionCache = Record<string, Binary & {output: string}>

/** The file a child process would run for `tool`, with what tells a replaced one apart. */
async function identify(tool: VersionedTool, env: NodeJS.ProcessEnv): Promise<Binary | undefined> {
  const location = await locateTool(tool, env)
  if (!location) return undefined
  try {
    const real = await realpath(location.path)
    const {size, mtimeMs} = await stat(real)
    return {path: real, size, mtimeMs}
  } catch {
    return undefined
  }
}

const cacheFile = (env: NodeJS.ProcessEnv) => path.join(deskrunHome(env), 'cache', 'tool-versions.json')

async function readCache(env: NodeJS.ProcessEnv): Promise<VersionCache> {
  try {
    return JSON.parse(await readFile(cacheFile(env), 'utf8')) as VersionCache
  } catch {
    return {}
  }
}

async function writeCache(env: NodeJS.ProcessEnv, cache: VersionCache): Promise<void> {
  const file = cacheFile(env)
  await mkdir(path.dirname(file), {recursive: true, mode: 0o700})
  await writeFileAtomically(file, `${JSON.stringify(cache, null, 2)}\n`, {mode: 0o600})
}
