/**
 * The oldest kind, helm and kubectl deskrun supports (one place, so doctor, provisioning and the docs
 * agree), and how to read each tool's version output. Why these floors:
 * - helm 3.13: deskrun passes `--labels` to `helm upgrade --install` to recognise its own releases.
 * - kind 0.20: the oldest release deskrun supports; its default node is Kubernetes 1.27.
 * - kubectl 1.27: within kubectl's one-minor skew of that node.
 */
import semver from 'semver'

import type {ToolName} from './prerequisites.js'
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

/** Asks kind, helm or kubectl (the client) for its version: the `version()` of their adapters. */
export async function readToolVersion(runner: ToolRunner, tool: VersionedTool): Promise<ToolVersion> {
  const {stdout} = await runner.run(tool, VERSION_ARGS[tool], {step: `ask ${tool} for its version`})
  return {version: parseToolVersion(tool, stdout), output: stdout}
}
