/** What every check gets: how to run tools, the machine's facts, and deskrun's settings. */
import os from 'node:os'

import {DeskrunError} from '../errors.js'
import type {CacheSpec} from '../installation/types.js'
import type {RunOptions, RunResult, ToolRunner} from '../tools/runner.js'
import type {ToolName} from '../tools/prerequisites.js'
import type {SystemFacts} from './facts.js'
import type {Check, CheckId} from './types.js'
import type {VersionedTool} from '../tools/versions.js'

/** The part of ToolRunner the checks use, so tests can answer for the tools. */
export type Runner = Pick<ToolRunner, 'run'>

export interface DoctorContext {
  run: Runner
  facts: SystemFacts
  env: NodeJS.ProcessEnv
  /** deskrun's own tool folder (deskrunBinDir()). */
  binDir: string
  clusterName: string
  cacheRoot: string
  chartVersion: string
  configFile: string
  /** How many installations the config has: without any, no cluster or controller is expected yet. */
  installations: number
  /** The `--cache` entries of each installation that has any. */
  caches: Record<string, CacheSpec[]>
  /** The pinned version `deskrun doctor --fix` would install here, or undefined when there is none. */
  provisionable: (tool: VersionedTool) => string | undefined
}

/** What earlier checks learned, for the checks that build on them. */
export interface CheckState {
  results: Map<CheckId, Check>
  clusterExists?: boolean
  clusterReachable?: boolean
  /** Docker Desktop (on any platform) runs the daemon in a VM that sees host folders through file sharing. */
  dockerDesktop?: boolean
}

/** True when the check ran and did not fail (a warning is usable). */
export function usable(state: CheckState, id: CheckId): boolean {
  const check = state.results.get(id)
  return check !== undefined && check.status !== 'fail'
}

/**
 * Runs a tool and returns its result whatever the exit code; a tool that is missing or hangs comes
 * back as the DeskrunError the runner raised, which the check turns into its own words.
 */
export async function attempt(
  run: Runner,
  tool: ToolName,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult | DeskrunError> {
  try {
    return await run.run(tool, args, {...options, allowFailure: true})
  } catch (error) {
    // Ctrl-C is the user's decision, not a finding about the tool.
    if (error instanceof DeskrunError && error.code !== 'INTERRUPTED') return error
    throw error
  }
}

/** The first meaningful line of a failed call, for the "found" column. */
export function firstLine(result: RunResult | DeskrunError): string {
  // A killed tool may have printed half of a normal answer, which would read as the reason.
  if (!(result instanceof DeskrunError) && result.signal) return `killed (${result.signal})`
  const text = result instanceof DeskrunError ? result.message : result.stderr || result.stdout
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find(Boolean) ?? `exit code ${result instanceof DeskrunError ? result.code : result.exitCode}`
  )
}

/** `~/.deskrun/bin/kind` rather than the full home path: shorter, and the same on every machine. */
export function tildify(file: string): string {
  const home = os.homedir()
  return home && (file === home || file.startsWith(`${home}/`)) ? `~${file.slice(home.length)}` : file
}
