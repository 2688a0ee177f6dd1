/**
 * Every deskrun command extends this: it maps DeskrunErrors to a message, a "Try this" hint and
 * the promised exit code (also under --json), redacts whatever it prints, and loads the pieces
 * commands share (container modes, tools) once.
 */
import {Command, Flags, type Interfaces} from '@oclif/core'

import {DeskrunError, ExitCode, exitCodeFor, type Progress} from '../domain/errors.js'
import {loadModes} from '../adapters/plugins.js'
import type {ModeRegistry} from '../domain/modes/registry.js'
import {redact} from '../domain/redact.js'
import type {ActionContext} from '../app/context.js'
import {createTools} from '../adapters/tools/index.js'
import {DEFAULT_TIMEOUT_MS} from '../adapters/tools/runner.js'
import {parseDuration} from '../domain/duration.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>

export abstract class BaseCommand extends Command {
  static override baseFlags = {
    timeout: Flags.custom<number>({
      summary:
        'How long each kind, helm or kubectl call may take before deskrun gives up, e.g. 90s, 15m, 1h.',
      default: DEFAULT_TIMEOUT_MS,
      defaultHelp: async () => '10m',
      parse: async (input) => parseDuration(input),
      helpGroup: 'GLOBAL',
    })(),
  }

  protected get debugEnabled(): boolean {
    return Boolean(process.env.DESKRUN_DEBUG) && process.env.DESKRUN_DEBUG !== '0'
  }

  /** Container modes from deskrun and every installed plugin; plugin problems become warnings. */
  protected async modes(): Promise<ModeRegistry> {
    const registry = await loadModes(this.config)
    for (const warning of registry.warnings) this.warn(warning)
    if (this.debugEnabled) for (const detail of registry.details) this.logToStderr(redact(detail))
    return registry
  }

  /** Aborted on Ctrl-C / SIGTERM: the runner then stops the running child process. */
  private readonly interruption = new AbortController()
  /** The signal that aborted `interruption`: it decides the exit code (130 or 143). */
  private stoppedBy?: NodeJS.Signals

  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (this.stoppedBy) process.exit(exitCodeFor(signal)) // a second Ctrl-C: stop waiting
    this.stoppedBy = signal
    this.logToStderr(`\nReceived ${signal}: stopping the running step...`)
    this.interruption.abort()
  }

  /** Aborted on Ctrl-C / SIGTERM, for commands that hand it on themselves (actionContext does). */
  protected get interruptSignal(): AbortSignal {
    return this.interruption.signal
  }

  public override async init(): Promise<void> {
    await super.init()
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    process.off('SIGINT', this.onSignal)
    process.off('SIGTERM', this.onSignal)
    return super.finally(error)
  }

  /** What lib/actions need from a command. */
  protected async actionContext(flags: {timeout: number; yes?: boolean}): Promise<ActionContext> {
    return {
      modes: await this.modes(),
      json: this.jsonEnabled(),
      yes: flags.yes ?? false,
      note: (message, fix) => {
        this.warn(redact(message))
        // oclif wraps and prefixes warnings to the terminal's width; a command to paste must stay whole.
        if (fix) this.logToStderr(`  ${redact(fix)}`)
      },
      timeoutMs: flags.timeout,
      signal: this.interruption.signal,
      tools: (clusterName) =>
        createTools(clusterName, {
          timeoutMs: flags.timeout,
          signal: this.interruption.signal,
          debug: this.debugEnabled ? (line) => this.logToStderr(redact(line)) : undefined,
        }),
    }
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}}): Promise<unknown> {
    if (error instanceof DeskrunError) {
      // An interrupted step says 130; stopped by SIGTERM the command exits as shells expect, 143.
      const exit =
        error.exit === ExitCode.interrupted && this.stoppedBy ? exitCodeFor(this.stoppedBy) : error.exit
      const message = redact(error.message)
      const hint = error.hint ? redact(error.hint) : undefined
      const progress = error.progress && {
        done: error.progress.done.map(redact),
        notDone: error.progress.notDone.map(redact),
      }
      if (this.jsonEnabled()) {
        process.exitCode = exit
        this.logJson({error: {code: error.code, message, hint, exit, ...progress}})
        return
      }
      if (error.code === 'CANCELLED') {
        // The user said stop at a question: nothing failed, so no "Error:".
        this.logToStderr(message)
        process.exitCode = exit
        return
      }
      if (progress) this.logToStderr(progressSummary(progress, error.exit === ExitCode.interrupted))
      this.error(message, {exit, suggestions: hint ? hint.split('\n') : undefined})
    }
    error.message = redact(error.message)
    // oclif/core#1423: under --json the exit code of a usage error would otherwise become 1.
    process.exitCode = error.oclif?.exit ?? ExitCode.failure
    return super.catch(error)
  }
}

/** What a stopped pipeline did and did not do, so the user knows what `deskrun up` will pick up. */
function progressSummary(progress: Progress, interrupted: boolean): string {
  const [stopped, ...never] = progress.notDone
  return [
    `\n${interrupted ? 'Interrupted' : 'Stopped'}. Done:`,
    ...(progress.done.length > 0 ? progress.done.map((title) => `  ✔ ${title}`) : ['  (nothing)']),
    'Not done:',
    ...(stopped ? [`  ✖ ${stopped} (${interrupted ? 'interrupted' : 'failed'})`] : []),
    ...never.map((title) => `  - ${title}`),
  ].join('\n')
}
