/**
 * The fake tools in process, behind deskrun's one exec seam (src/lib/adapters/tools/exec.ts). A program is looked
 * up on the child's PATH as the system would; when that finds one of the fakes (the sandbox's bin folder
 * links to them) the call runs in this process through the same code as the executables
 * (test/fake-tools/lib/invoke.js), so the world, the call log and the faults are the same. Anything else
 * (a wrapper a test wrote, a tool `doctor --fix` installed) is started for real.
 *
 * Timeout and cancellation behave as execa's: a call still running when the timeout passes or the signal
 * aborts is killed (SIGTERM) and the result says timedOut or isCanceled. A fake call that neither hangs nor
 * holds finishes before any timer can fire, so only those two are ever stopped.
 */
import {accessSync, constants, realpathSync, statSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {execaExecutor, type ExecResult, type Executor} from '../../src/lib/adapters/tools/exec.js'
import {FAKE_TOOLS, type Outcome} from '../fake-tools/lib/tools.js'

export type FakeToolName = keyof typeof FAKE_TOOLS

export const FAKES_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fake-tools', 'bin')

/** Where the system would find `program` on this environment's PATH. */
function which(program: string, env: NodeJS.ProcessEnv): string | undefined {
  if (program.includes('/')) return program
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, program)
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** The fake that `file` is (a link to one of test/fake-tools/bin), if it is one. */
function fakeAt(file: string): FakeToolName | undefined {
  let real: string
  try {
    real = realpathSync(file)
  } catch {
    return undefined
  }
  const name = path.basename(real) as FakeToolName
  return path.dirname(real) === FAKES_BIN && name in FAKE_TOOLS ? name : undefined
}

export interface FakeCallOptions {
  input?: string
  env: NodeJS.ProcessEnv
  timeoutMs: number
  signal?: AbortSignal
}

export interface FakeCallResult {
  outcome: Outcome
  timedOut: boolean
  isCanceled: boolean
}

/** One call of a fake in process, stopped like a child process once the timeout passes or `signal` aborts. */
export async function callFake(
  tool: FakeToolName,
  args: string[],
  options: FakeCallOptions,
): Promise<FakeCallResult> {
  const stop = new AbortController()
  let timedOut = false
  let isCanceled = false
  // 0: no limit, as execa's `timeout` (`kubectl logs --follow` runs until Ctrl-C).
  const timer =
    options.timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true
          stop.abort()
        }, options.timeoutMs)
      : undefined
  // A call left hanging by a failed test must not keep the test process alive after the last test.
  timer?.unref()
  const cancel = () => {
    isCanceled = true
    stop.abort()
  }
  if (options.signal?.aborted) cancel()
  options.signal?.addEventListener('abort', cancel, {once: true})
  try {
    const outcome = await FAKE_TOOLS[tool](args, {
      stdin: options.input,
      env: options.env,
      signal: stop.signal,
    })
    // A call that ended on its own before it was stopped was not stopped.
    const killed = outcome.signal === 'SIGTERM'
    return {outcome, timedOut: killed && timedOut, isCanceled: killed && isCanceled}
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', cancel)
  }
}

/** execa's stripFinalNewline, which ToolRunner asks for. */
const stripFinalNewline = (text: string) => text.replace(/\r?\n$/, '')

export const fakeExec: Executor = async (file, args, options): Promise<ExecResult> => {
  const found = which(file, options.env)
  const tool = found && fakeAt(found)
  if (!tool) return execaExecutor(file, args, options)
  const {outcome, timedOut, isCanceled} = await callFake(tool, args, options)
  const output = outcome.stdout + outcome.stderr
  if (output) options.onOutput?.(output)
  return {
    exitCode: outcome.exitCode ?? undefined,
    stdout: stripFinalNewline(outcome.stdout),
    stderr: stripFinalNewline(outcome.stderr),
    signal: outcome.signal,
    timedOut,
    isCanceled,
    missing: false,
  }
}
