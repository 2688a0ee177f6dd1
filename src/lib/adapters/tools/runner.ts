/**
 * The one place deskrun starts a child process. It keeps secrets out of argv (they travel on stdin)
 * and out of the child's environment (see toolEnv), redacts what it shows, enforces a timeout per
 * call, streams output lines to the progress display and turns failures into DeskrunErrors that say
 * which step failed and what to try.
 */
import {DeskrunError} from '../../domain/errors.js'
import {formatDuration, goDuration} from '../../domain/duration.js'
import {redact} from '../../domain/redact.js'
import {DEFAULT_TIMEOUT_MS} from '../../domain/settings.js'
import {defaultExecutor, type Executor} from './exec.js'
import {installHint, toolEnv, type HostTool, type ToolName} from './prerequisites.js'
import {ToolFailure} from './probe.js'

export interface RunOptions {
  /** Written to the child's stdin; the only way a secret may reach a child process. */
  input?: string
  /** What deskrun was doing, in the user's words ("install the ARC controller"). */
  step?: string
  /** Shown under the error when the call fails. */
  hint?: string
  timeoutMs?: number
  /**
   * The tool was given the per-call limit as its own timeout (see `toolTimeout`): deskrun kills it only
   * a grace period later (`killAfterMs`), so that the tool gives up first, cleans up (helm records a
   * failed release) and says why in its own words.
   */
  ownTimeout?: boolean
  /** Return the result of a non-zero exit instead of throwing. */
  allowFailure?: boolean
  /** Receives stdout/stderr lines as they come (already redacted). */
  onLine?: (line: string) => void
}

export interface RunResult {
  command: string
  exitCode: number
  stdout: string
  stderr: string
  /** Set when the child was killed by a signal (it has no exit code then). */
  signal?: string
}

export interface RunnerOptions {
  env?: NodeJS.ProcessEnv
  /** Default per-call timeout; `--timeout` raises it. */
  timeoutMs?: number
  /** Receives every command line (redacted) and its outcome, for `DESKRUN_DEBUG`. */
  debug?: (message: string) => void
  signal?: AbortSignal
  /** How children are started (default: execa; tests put fakes here). */
  exec?: Executor
}

/**
 * When deskrun kills a call: at the limit, or, for a tool that enforces the limit itself, a quarter
 * later (at most a minute): time to give up, record it, and pull a chart or image outside its timeout.
 */
export function killAfterMs(limitMs: number, ownTimeout = false): number {
  return ownTimeout ? limitMs + Math.min(60_000, Math.round(limitMs / 4)) : limitMs
}
const STDERR_TAIL_LINES = 15

export class ToolRunner {
  constructor(private readonly options: RunnerOptions = {}) {}

  /** The environment the tools are found in (and run with, once allow-listed). */
  environment(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env
  }

  /** The per-call limit (`--timeout`) as a Go duration, for the tools' own flags (helm --timeout, kind --wait). */
  toolTimeout(): string {
    return goDuration(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  }

  async run(tool: ToolName | HostTool, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const command = redact([tool, ...args].map(quote).join(' '))
    const timeout =
      options.timeoutMs ?? killAfterMs(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.ownTimeout)
    this.options.debug?.(`$ ${command}`)
    const started = performance.now()
    const exec = this.options.exec ?? defaultExecutor()
    const result = await exec(tool, args, {
      input: options.input,
      // Only the allow-listed part of deskrun's environment (no credential), with deskrun's own copies
      // (~/.deskrun/bin) before PATH, exactly as `locateTool` finds them.
      env: toolEnv(this.options.env ?? process.env),
      timeoutMs: timeout,
      signal: this.options.signal,
      onOutput:
        options.onLine &&
        ((chunk) => {
          for (const line of chunk.split('\n')) if (line.trim()) options.onLine?.(redact(line))
        }),
    })
    const outcome: RunResult = {
      command,
      exitCode: result.exitCode ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
      ...(result.signal ? {signal: result.signal} : {}),
    }
    if (this.options.debug) {
      const seconds = ((performance.now() - started) / 1000).toFixed(2)
      this.options.debug(
        `  exit ${outcome.exitCode}${result.timedOut ? ' (timed out)' : ''} after ${seconds}s`,
      )
      // What the tool said besides its answer (warnings, errors), masked: the part that helps a report.
      for (const line of stderrTail(result.stderr)) this.options.debug(`  stderr: ${line}`)
    }
    if (result.missing) {
      throw new DeskrunError(`${tool} is not installed (or not on PATH).`, {
        code: 'TOOL_MISSING',
        hint:
          tool === 'systemctl' || tool === 'launchctl'
            ? undefined
            : tool === 'docker'
              ? installHint(tool)
              : `${installHint(tool)}\nOr let deskrun install a pinned copy: deskrun doctor --fix`,
      })
    }
    // On a terminal, Ctrl-C reaches the child too, and it may die of it before execa sees the abort.
    if (result.isCanceled || (result.exitCode !== 0 && this.options.signal?.aborted)) {
      throw new DeskrunError(`Interrupted while running: ${command}`, {
        code: 'INTERRUPTED',
        exit: 130,
        hint: 'Steps that finished are kept and the config is intact. Run the command again (or deskrun up) to finish.',
      })
    }
    if (result.timedOut) {
      throw new DeskrunError(
        `${options.step ? `Could not ${options.step}: ` : ''}${tool} did not finish within ${formatDuration(timeout)}.\n  command: ${command}`,
        {
          code: 'TIMEOUT',
          hint: 'Check that Docker and the cluster are responsive, or raise the limit with --timeout.',
        },
      )
    }
    if (outcome.exitCode !== 0 && !options.allowFailure) throw toolFailure(tool, outcome, options)
    return outcome
  }
}

/** The last lines a tool wrote to stderr, redacted. */
function stderrTail(stderr: string): string[] {
  return redact(stderr)
    .split('\n')
    .filter((line) => line.trim())
    .slice(-STDERR_TAIL_LINES)
}

export function toolFailure(
  tool: string,
  result: RunResult,
  options: Pick<RunOptions, 'step' | 'hint'>,
): ToolFailure {
  const said = redact(result.stderr || result.stdout)
    .split('\n')
    .filter((line) => line.trim())
  const tail = said
    .slice(-STDERR_TAIL_LINES)
    .map((line) => `    ${line}`)
    .join('\n')
  const what = options.step ? `Could not ${options.step}` : `${tool} failed`
  const how = result.signal ? `was killed (${result.signal})` : `exited with code ${result.exitCode}`
  // A killed tool may have printed half of a normal answer, which would read as the reason.
  const reason = result.signal
    ? `killed (${result.signal})`
    : (said[0]?.trim() ?? `exit code ${result.exitCode}`)
  return new ToolFailure(
    `${what}: ${tool} ${how}.\n  command: ${result.command}\n${tail}`,
    reason,
    options.hint,
  )
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}
