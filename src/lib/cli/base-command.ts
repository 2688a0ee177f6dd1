/**
 * Every deskrun command extends this: it maps DeskrunErrors to a message, a "Try this" hint and
 * the promised exit code (also under --json), redacts whatever it prints, and loads the pieces
 * commands share (container modes, tools) once.
 */
import {Command} from '@oclif/core/command'
import * as Errors from '@oclif/core/errors'
import * as Flags from '@oclif/core/flags'
import {settings} from '@oclif/core/settings'
import * as ux from '@oclif/core/ux'
import type {Interfaces} from '@oclif/core'

import {DeskrunError, ExitCode, exitCodeFor, type Progress} from '../domain/errors.js'
import type {ModeRegistry} from '../domain/modes/registry.js'
import {redact} from '../domain/redact.js'
import {explainUnknownFlags} from './suggest.js'
import type {ActionContext} from '../app/context.js'
import {parseDuration} from '../domain/duration.js'
import {DEFAULT_TIMEOUT_MS} from '../domain/settings.js'

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

  /** A DESKRUN_DEBUG line (already redacted): on stderr, also under --json. */
  protected debugLine(line: string): void {
    ux.stderr(line)
  }

  /**
   * Container modes from deskrun and every installed plugin; plugin problems become warnings. Only
   * commands that show or render modes ask: plugin code (which may hang, fail or print) runs for them only.
   */
  protected async modes(): Promise<ModeRegistry> {
    // Loaded when a command asks: every command loads this file, and start-up is felt on each one.
    const {loadModes} = await import('../adapters/plugins.js')
    const registry = await loadModes(this.config)
    for (const warning of registry.warnings) this.warn(warning)
    if (this.debugEnabled) for (const detail of registry.details) this.debugLine(redact(detail))
    return registry
  }

  /**
   * A note for the user on stderr (ActionContext.note), also under --json, where oclif's this.warn is
   * silent: a note may say that deskrun repaired a file's permissions, and stderr is not the JSON document.
   */
  protected note(message: string, fix?: string): void {
    Errors.warn(redact(message))
    // oclif wraps and prefixes warnings to the terminal's width; a command to paste must stay whole.
    if (fix) ux.stderr(`  ${redact(fix)}`)
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
    // DESKRUN_DEBUG is deskrun's switch for what helps report a problem: the commands it runs, what they
    // said (masked) and how long they took. oclif reads the same variable as its own debug mode, which
    // prints every warning and error as a JavaScript stack and drops the errors' "Try this" hints.
    settings.debug = false
    await super.init()
    if (this.jsonEnabled()) this.reserveStdout()
    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
  }

  /** Under --json: stdout's own write, kept for the JSON document (see reserveStdout). */
  private stdoutWrite?: NodeJS.WriteStream['write']

  /**
   * Under --json stdout carries the JSON document and nothing else: whatever else is written there while
   * the command runs (a plugin's console.log in its hook, late output of a hook that timed out) goes to
   * stderr, where it cannot break a program that parses the document.
   */
  private reserveStdout(): void {
    const stdout = process.stdout
    this.stdoutWrite = stdout.write
    stdout.write = ((...args: Parameters<NodeJS.WriteStream['write']>) =>
      process.stderr.write(...args)) as NodeJS.WriteStream['write']
  }

  public override logJson(json: unknown): void {
    const stdout = process.stdout
    const redirected = stdout.write
    if (this.stdoutWrite) stdout.write = this.stdoutWrite
    try {
      super.logJson(json)
    } finally {
      stdout.write = redirected
    }
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    process.off('SIGINT', this.onSignal)
    process.off('SIGTERM', this.onSignal)
    return super.finally(error)
  }

  /**
   * What lib/actions need from a command. Commands that render no mode (status, remove, the cluster
   * commands) say `{pluginModes: false}`: they get deskrun's built-in modes without running any plugin.
   */
  protected async actionContext(
    flags: {timeout: number; yes?: boolean},
    {pluginModes = true}: {pluginModes?: boolean} = {},
  ): Promise<ActionContext> {
    const {createTools} = await import('../adapters/tools/index.js')
    return {
      modes: pluginModes ? await this.modes() : await builtinRegistry(),
      json: this.jsonEnabled(),
      yes: flags.yes ?? false,
      note: (message, fix) => this.note(message, fix),
      timeoutMs: flags.timeout,
      signal: this.interruption.signal,
      tools: (target) =>
        createTools(target, {
          timeoutMs: flags.timeout,
          signal: this.interruption.signal,
          debug: this.debugEnabled ? (line) => this.debugLine(redact(line)) : undefined,
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
    explainUnknownFlags(
      error,
      Object.keys(this.ctor.flags ?? {}),
      `${this.config.bin} ${this.id?.replaceAll(':', ' ')}`,
    )
    error.message = redact(error.message)
    // Not a message deskrun or oclif meant to give: a bug, whose stack is what a report needs.
    if (this.debugEnabled && !(error instanceof Errors.CLIError) && error.stack)
      this.debugLine(redact(error.stack))
    // oclif/core#1423: under --json the exit code of a usage error would otherwise become 1.
    process.exitCode = error.oclif?.exit ?? ExitCode.failure
    return super.catch(error)
  }
}

async function builtinRegistry(): Promise<ModeRegistry> {
  const {builtinModes} = await import('../domain/modes/builtins.js')
  return {modes: builtinModes.map((mode) => ({mode, source: {type: 'built-in'}})), warnings: [], details: []}
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
