/**
 * `deskrun doctor`: every prerequisite, what was found, and the fix. It changes nothing, except that
 * `--fix` installs pinned kind, helm and kubectl where they are missing or too old.
 */
import {toolsBaseUrl} from '../../adapters/provision/catalog.js'
import {provisionTools} from '../../pipeline/provision.js'
import {configPath} from '../../domain/settings.js'
import {checkConfig} from './checks/config.js'
import {createContext, doctorChecks, runChecks, type ContextOptions} from './run.js'
import type {Check, DoctorReport} from './types.js'
import type {VersionedTool} from '../../adapters/tools/versions.js'

export interface DoctorOptions extends ContextOptions {
  /** Install the kind, helm and kubectl that failed their checks (when deskrun has a pinned download). */
  fix?: boolean
  /** Under --json no progress is drawn. */
  json?: boolean
  /** No bytes for this long aborts a download. */
  stallTimeoutMs?: number
  /**
   * Hears each check as soon as it and the ones before it are done (in the report's order); `again`
   * for the checks run a second time after --fix installed tools.
   */
  onCheck?: (check: Check, again: boolean) => void
}

export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const env = options.env ?? process.env
  const {check: configCheck, config} = await checkConfig(configPath(env))
  const ctx = createContext(config, options)
  options.onCheck?.(configCheck, false)
  let checks = [
    configCheck,
    ...(await runChecks(ctx, doctorChecks(config), (check) => options.onCheck?.(check, false))),
  ]
  const installed: string[] = []

  const toInstall = provisionable(checks)
  if (options.fix && toInstall.length > 0) {
    const done = await provisionTools(toInstall, {
      binDir: ctx.binDir,
      catalog: options.catalog,
      platform: options.platform,
      baseUrl: toolsBaseUrl(env, config.toolsBaseUrl),
      stallTimeoutMs: options.stallTimeoutMs,
      signal: options.signal,
      json: options.json,
    })
    installed.push(...done.map((tool) => `${tool.tool} ${tool.version}`))
    // Everything after the tools depends on them, so look again.
    checks = [
      configCheck,
      ...(await runChecks(ctx, doctorChecks(config), (check) => options.onCheck?.(check, true))),
    ]
  }
  return {checks, ok: checks.every((check) => check.status !== 'fail'), installed}
}

/** The tools whose failed check a pinned install would fix. */
export function provisionable(checks: readonly Check[]): VersionedTool[] {
  return checks
    .filter((check) => check.status === 'fail' && check.provisionable)
    .map((check) => check.id as VersionedTool)
}
