/**
 * What `add`, `up` and `cluster create` run before changing anything: the checks that matter for
 * them, an offer to install missing kind, helm or kubectl (with consent), and one error that lists
 * every remaining problem with its fix, in the same words as `deskrun doctor`.
 */
import type {DeskrunConfig} from '../../domain/config/types.js'
import {DeskrunError} from '../../domain/errors.js'
import {toolsBaseUrl} from '../../adapters/provision/catalog.js'
import {askYesNo, canPrompt} from '../../adapters/provision/consent.js'
import {provisionTools} from '../../pipeline/provision.js'
import type {ToolName} from '../../adapters/tools/prerequisites.js'
import {tildify} from './context.js'
import {provisionable} from './doctor.js'
import {firstTime} from '../../adapters/shown-warnings.js'
import {createContext, runChecks, type ContextOptions} from './run.js'
import {runStep} from '../../pipeline/run.js'
import type {Check, CheckId} from './types.js'

export interface EnsureOptions extends ContextOptions {
  /** The tools the command will run. */
  tools: readonly ToolName[]
  /** The loaded config: cluster name, cache root, chart version, mirror. */
  config: DeskrunConfig
  /** Whether the command may ask (false under --json). A question also needs terminals and no CI. */
  interactive: boolean
  /** --yes: install without asking. */
  yes?: boolean
  /** Under --json no progress is drawn. */
  json?: boolean
  /**
   * Hears each warning (a check that passed with a caveat) and its fix, for the command to print on
   * stderr; the fix is often a command line, so it must reach the terminal unwrapped.
   */
  onWarning?: (message: string, fix?: string) => void
  /**
   * Replaces the default selection: the tools' checks plus cache root, inotify and cgroup, and, for a
   * config with caches, where the caches live.
   */
  checks?: readonly CheckId[]
  /** Replaces the terminal question (tests). */
  confirm?: (question: string) => Promise<boolean>
  stallTimeoutMs?: number
}

const HOST_CHECKS: readonly CheckId[] = ['cache-root', 'inotify', 'cgroup']
/** Only a config with caches puts anything in the cache root. */
const CACHE_CHECKS: readonly CheckId[] = ['cache-lifetime', 'shared-data-root']
/**
 * Warnings about the cache root's place, given once per cache root (and again if what is found there
 * changes): after one warning, a user who keeps the place has chosen to, and `up` after every reboot
 * would only repeat it. `deskrun doctor` always shows them.
 */
const ONCE: readonly CheckId[] = ['cache-lifetime']
/**
 * Host settings deskrun cannot change (kernel limits, cgroup version): on every `add` and `up` they
 * would only repeat themselves, so they get one line pointing at `deskrun doctor` (which has the
 * whole text and the command to paste), once a day or when what was found changes.
 */
const DAILY: readonly CheckId[] = ['inotify', 'cgroup']
const DAY_MS = 24 * 60 * 60 * 1000

/** Runs the checks, offers to install what deskrun can, and throws if anything still fails. */
export async function ensurePrerequisites(options: EnsureOptions): Promise<Check[]> {
  const env = options.env ?? process.env
  const ctx = createContext(options.config, options)
  const usesCaches = Object.keys(ctx.caches).length > 0
  const ids = options.checks ?? [...options.tools, ...HOST_CHECKS, ...(usesCaches ? CACHE_CHECKS : [])]
  // A step from the start: the checks ask several tools, which takes a moment.
  const check = () =>
    runStep(
      'Checking tools',
      async (task) => {
        const found = await runChecks(ctx, ids)
        task.title = checkedTitle(found)
        return found
      },
      {json: options.json},
    )
  let checks = await check()

  const toInstall = provisionable(checks)
  if (toInstall.length > 0) {
    const offer = toInstall.map((tool) => `${tool} ${ctx.provisionable(tool)}`).join(', ')
    const question = `deskrun needs ${offer}. Install ${toInstall.length === 1 ? 'it' : 'them'} into ${tildify(ctx.binDir)}?`
    const ask = options.confirm ?? ((text: string) => askYesNo(text, options.signal))
    const mayAsk = options.interactive && (options.confirm !== undefined || canPrompt(env))
    if (options.yes || (mayAsk && (await ask(question)))) {
      await provisionTools(toInstall, {
        binDir: ctx.binDir,
        catalog: options.catalog,
        platform: options.platform,
        baseUrl: toolsBaseUrl(env, options.config.toolsBaseUrl),
        stallTimeoutMs: options.stallTimeoutMs,
        signal: options.signal,
        json: options.json,
      })
      checks = await check()
    }
  }

  for (const check of checks.filter((c) => c.status === 'warn')) {
    if (DAILY.includes(check.id)) {
      // --json prints no warnings, so the line waits for a run without it.
      if (options.json || !(await firstTime(env, `host ${check.id}`, check.found, {againAfterMs: DAY_MS})))
        continue
      const what = check.summary ?? `${check.title}: ${check.found}`
      options.onWarning?.(`${what}; see deskrun doctor (once a day)`)
      continue
    }
    const once = ONCE.includes(check.id)
    // --json prints no warnings, so a once-only one waits for the next run without it.
    if (once && (options.json || !(await firstTime(env, `${check.id} ${ctx.cacheRoot}`, check.found))))
      continue
    const note = once ? ' (shown once for this cache root; deskrun doctor shows it again)' : ''
    options.onWarning?.(`${check.title}: ${check.found}${note}`, check.fix)
  }
  const failed = checks.filter((check) => check.status === 'fail')
  if (failed.length > 0) throw prerequisitesError(failed)
  return checks
}

/** "Checked tools: Docker 27.5.1, kind 0.29.0, …", or how many checks failed (the error lists them). */
function checkedTitle(checks: readonly Check[]): string {
  const failed = checks.filter((check) => check.status === 'fail').length
  if (failed > 0) return `Checked tools: ${failed} problem${failed === 1 ? '' : 's'}`
  const versions = checks
    .filter((check) => check.tool?.version)
    .map((check) => `${check.title} ${check.tool!.version}`)
  return `Checked tools${versions.length > 0 ? `: ${versions.join(', ')}` : ''}`
}

/** One error for all failed checks: each problem on a line, each fix in the hint. */
export function prerequisitesError(failed: readonly Check[]): DeskrunError {
  const lines = failed.map((check) => `  ✗ ${check.title}: ${check.found}`)
  const fixes = failed.filter((check) => check.fix).map((check) => `${check.title}: ${check.fix}`)
  if (provisionable(failed).length > 0) {
    fixes.push('Or run the command again with --yes to let deskrun install the missing tools itself.')
  }
  return new DeskrunError(
    `deskrun cannot start: ${failed.length === 1 ? 'a prerequisite is' : `${failed.length} prerequisites are`} not met.\n${lines.join('\n')}`,
    {code: 'PREREQUISITES', hint: [...fixes, 'See everything with: deskrun doctor'].join('\n')},
  )
}
