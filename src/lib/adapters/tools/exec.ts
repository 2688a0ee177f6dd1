/**
 * How ToolRunner starts a child process and what it learns from it: the one call to execa in deskrun.
 * Tests that run deskrun in process put the fake tools behind this seam (test/helpers/fake-exec.ts).
 */
export interface ExecOptions {
  /** Written to the child's stdin; without it, stdin is closed. */
  input?: string
  /** The child's whole environment (nothing else is inherited). */
  env: NodeJS.ProcessEnv
  /** Then the child is stopped (SIGTERM, SIGKILL 5 s later) and the result says timedOut. */
  timeoutMs: number
  /** Stops the child the same way; the result says isCanceled. */
  signal?: AbortSignal
  /** Receives stdout and stderr as they come. */
  onOutput?: (chunk: string) => void
}

export interface ExecResult {
  /** undefined when the child was killed or never started. */
  exitCode?: number
  stdout: string
  stderr: string
  /** The signal that killed the child. */
  signal?: string
  timedOut: boolean
  isCanceled: boolean
  /** The program is not on PATH (or cannot be run). */
  missing: boolean
}

export type Executor = (file: string, args: string[], options: ExecOptions) => Promise<ExecResult>

export const execaExecutor: Executor = async (file, args, options) => {
  // Loaded with the first tool a command runs: commands that run none never load execa.
  const {execa} = await import('execa')
  const child = execa(file, args, {
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    env: options.env,
    extendEnv: false,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 5000,
    cancelSignal: options.signal,
    reject: false,
    stripFinalNewline: true,
    lines: false,
  })
  if (options.onOutput) {
    const forward = (chunk: Buffer) => options.onOutput?.(chunk.toString())
    child.stdout?.on('data', forward)
    child.stderr?.on('data', forward)
  }
  const result = await child
  const cause = result.cause as NodeJS.ErrnoException | undefined
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    signal: result.signal,
    timedOut: Boolean(result.timedOut),
    isCanceled: Boolean(result.isCanceled),
    missing: result.failed && ((result as {code?: string}).code === 'ENOENT' || cause?.code === 'ENOENT'),
  }
}

let current: Executor = execaExecutor

/** The executor a ToolRunner uses unless it is given one. */
export function defaultExecutor(): Executor {
  return current
}

/**
 * For tests that run the CLI in process: oclif builds the command objects from argv alone, so there is
 * no constructor or context through which a test could hand them an executor; this process-wide default
 * is the seam. Returns the function that puts the previous one back.
 */
export function replaceDefaultExecutor(executor: Executor): () => void {
  const previous = current
  current = executor
  return () => {
    current = previous
  }
}
