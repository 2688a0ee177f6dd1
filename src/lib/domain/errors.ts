/** Exit codes deskrun promises (tests check them, also under --json). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** `up --dry-run`: the plan has changes (0: nothing to do), in the spirit of `terraform plan -detailed-exitcode`. */
  changesPending: 3,
  /** Stopped by Ctrl-C (SIGINT), as shells report a process killed by it: 128 + 2. */
  interrupted: 130,
  /** Stopped by SIGTERM: 128 + 15. */
  terminated: 143,
} as const

/** The exit code of a command stopped by `signal` (an interrupted error says 130 whichever it was). */
export function exitCodeFor(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted
}

/** How far a pipeline got before it stopped, in step titles: shown under the error. */
export interface Progress {
  done: string[]
  /** The step that failed (or was interrupted) first, then the ones that never ran. */
  notDone: string[]
}

export interface DeskrunErrorOptions {
  /** What the user can do next, one action a line. */
  hint?: string
  exit?: number
  /** A stable machine-readable code, shown under --json. */
  code?: string
  cause?: unknown
  progress?: Progress
}

/**
 * The one error type deskrun raises on purpose. Its message is for a person and never holds a
 * secret; the base command renders it with its hint and exits with its code, without a stack trace.
 */
export class DeskrunError extends Error {
  readonly hint?: string
  readonly exit: number
  readonly code: string
  /** Set by the pipeline runner when the error stopped a pipeline. */
  progress?: Progress

  constructor(message: string, options: DeskrunErrorOptions = {}) {
    super(message, {cause: options.cause})
    this.name = 'DeskrunError'
    this.hint = options.hint
    this.exit = options.exit ?? ExitCode.failure
    this.code = options.code ?? 'DESKRUN_FAILURE'
    this.progress = options.progress
  }
}

/** The error with one more line in its hint: what to run once its cause is fixed. Other errors pass as they are. */
export function withNextStep(error: unknown, next: string): unknown {
  if (!(error instanceof DeskrunError)) return error
  return new DeskrunError(error.message, {
    code: error.code,
    exit: error.exit,
    cause: error,
    hint: error.hint ? `${error.hint}\n${next}` : next,
    progress: error.progress,
  })
}

/** PROBLEMS as one message: a single one as it is, several as a list under TITLE ("Invalid change"). */
export function problemsMessage(title: string, problems: readonly string[]): string {
  return problems.length === 1
    ? problems[0]
    : `${title}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`
}

/** Bad input from the user: nothing was changed. */
export class UsageError extends DeskrunError {
  constructor(message: string, options: Omit<DeskrunErrorOptions, 'exit'> = {}) {
    super(message, {code: 'USAGE', ...options, exit: ExitCode.usage})
    this.name = 'UsageError'
  }
}
