// One call of a fake tool. `invoke` is the whole call in process: it counts and logs the call, injects
// faults and runs the tool's handler inside one state transaction, and resolves with what the process
// would print and how it would end. Two front ends use it: the executables in ../bin (`runTool` below
// prints that and exits with it) and tests that run deskrun in process (test/helpers/fake-exec.ts).
import {existsSync, writeFileSync} from 'node:fs'
import {clearInterval, setInterval} from 'node:timers'
import {setTimeout as sleep} from 'node:timers/promises'

import {ToolError} from './common.js'
import {appendCall, withState} from './state.js'

/** The flag names in argv that read a file; `-` there means stdin. */
const STDIN_FLAGS = ['-f', '--filename', '--values', '--config']

/** @param {string[]} argv */
export function readsStdin(argv) {
  return argv.some(
    (arg, i) =>
      (STDIN_FLAGS.includes(arg) && argv[i + 1] === '-') ||
      STDIN_FLAGS.some((flag) => arg === `${flag}=-`) ||
      arg === '-f-',
  )
}

/**
 * @typedef {{stdin?: string, env: Record<string, string | undefined>, signal?: AbortSignal}} Io
 * What a call gets: its stdin (read only when argv says so), its environment, and for a call in process
 * the signal that kills it.
 *
 * @typedef {{exitCode: number | null, stdout: string, stderr: string, signal?: 'SIGTERM' | 'SIGKILL'}} Outcome
 * How the call ended; `signal` (and no exit code) when it was killed.
 *
 * @typedef {{argv: string[], stdin: string | null, env: Record<string, string | undefined>, state: any,
 *   out: (text: string) => void, err: (text: string) => void, hang: () => void}} Context
 * What a handler gets. It returns the exit code (0 when nothing) or throws a ToolError; `hang()` makes
 * the call print what it printed and then never finish, like a real one that waits forever.
 *
 * @typedef {(argv: string[], io: Io) => Promise<Outcome>} Tool
 */

/** @param {string} tool @param {string[]} argv @param {number} n @param {Record<string, string | undefined>} env @param {any} state */
function pickFault(tool, argv, n, env, state) {
  const raw = env.FAKE_TOOLS_FAULTS
  if (!raw) return undefined
  let faults
  try {
    faults = JSON.parse(raw)
  } catch {
    throw new ToolError(`fake ${tool}: FAKE_TOOLS_FAULTS is not valid JSON: ${raw}`, 2)
  }
  const joined = argv.join(' ')
  for (const [index, fault] of faults.entries()) {
    if (fault.tool && fault.tool !== tool) continue
    const key = `${index}:${JSON.stringify(fault)}`
    const fired = state.faultsFired[key] ?? 0
    const hit =
      fault.call !== undefined
        ? fault.call === n
        : fault.match !== undefined && joined.includes(fault.match) && fired < (fault.times ?? 1)
    if (!hit) continue
    if (!['fail', 'hang', 'die', 'hold'].includes(fault.action))
      throw new ToolError(`fake ${tool}: unknown fault action ${fault.action}`, 2)
    if (fault.action === 'hold' && typeof fault.gate !== 'string')
      throw new ToolError(`fake ${tool}: a hold fault needs a gate (a file path)`, 2)
    state.faultsFired[key] = fired + 1
    return fault
  }
  return undefined
}

/**
 * How long a call takes before it acts (benchmarks): FAKE_TOOLS_LATENCY is a JSON map from `tool verb`
 * (`helm upgrade`), `tool` or `default` to milliseconds, the most specific winning.
 * @param {string} tool @param {string[]} argv @param {string | undefined} raw
 */
function latencyOf(tool, argv, raw) {
  if (!raw) return 0
  const table = JSON.parse(raw)
  // The verb is the first word that is neither a flag nor the value of --context / --kube-context.
  const verb = argv.find((arg, i) => !arg.startsWith('-') && !/^--(kube-)?context$/.test(argv[i - 1] ?? ''))
  return table[`${tool} ${verb}`] ?? table[tool] ?? table.default ?? 0
}

/** A handler failed other than as the tool would (a bug in the fake). */
class Crash extends Error {
  /** @param {unknown} cause */
  constructor(cause) {
    super('fake tool crashed', {cause})
  }
}

const messageOf = (/** @type {unknown} */ error) => (error instanceof Error ? error.message : String(error))

/** What a crashed fake prints. @param {string} tool @param {unknown} error */
function crashed(tool, error) {
  const cause = error instanceof Crash ? error.cause : error
  return `fake ${tool} crashed: ${cause instanceof Error ? cause.stack : cause}\n`
}

/** Resolves once `signal` aborts (never without one): a hung call ends only when it is killed. */
function killed(/** @type {AbortSignal | undefined} */ signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve(undefined)
    else signal?.addEventListener('abort', () => resolve(undefined), {once: true})
  })
}

/**
 * Runs one call of a fake tool in process.
 * @param {string} tool @param {string[]} argv @param {Io} io
 * @param {(ctx: Context) => number | void} handler
 * @param {(message: string) => string} formatError how the tool prints an error ("Error: ...", "ERROR: ...")
 * @returns {Promise<Outcome>}
 */
export async function invoke(tool, argv, io, handler, formatError) {
  const dir = io.env.FAKE_TOOLS_STATE
  if (!dir) {
    const stderr = `fake ${tool}: FAKE_TOOLS_STATE is not set; point it at the folder that holds the fake tools' state\n`
    return {exitCode: 2, stdout: '', stderr}
  }
  const latency = latencyOf(tool, argv, io.env.FAKE_TOOLS_LATENCY)
  if (latency > 0) await sleep(latency)
  const time = new Date().toISOString()
  const stdin = readsStdin(argv) ? (io.stdin ?? '') : null
  // The environment too: tests check what deskrun hands its children (no credentials).
  const env = {...io.env}
  const record = (/** @type {number | null} */ exit, /** @type {string} */ fault = '') =>
    appendCall(dir, {tool, argv, stdin, env, exit, time, ...(fault ? {fault} : {})})
  const killedBy = async (/** @type {string} */ stdout = '', /** @type {string} */ stderr = '') => {
    await killed(io.signal)
    return /** @type {Outcome} */ ({exitCode: null, signal: 'SIGTERM', stdout, stderr})
  }

  /** @type {string[]} */
  const out = []
  /** @type {string[]} */
  const err = []
  let hang = false
  let exit = 0
  /** @param {any} state */
  const count = (state) => {
    const n = (state.counters[tool] = (state.counters[tool] ?? 0) + 1)
    return pickFault(tool, argv, n, io.env, state)
  }
  /** @param {any} state */
  const handle = (state) => {
    const ctx = {
      argv,
      stdin,
      env: io.env,
      state,
      out: (/** @type {string} */ text) => void out.push(text),
      err: (/** @type {string} */ text) => void err.push(text),
      hang: () => void (hang = true),
    }
    try {
      exit = handler(ctx) ?? 0
    } catch (error) {
      if (!(error instanceof ToolError)) throw new Crash(error)
      err.push(formatError(error.message))
      exit = error.exitCode
    }
  }

  // One transaction counts the call, picks its fault and, unless the fault says otherwise, runs it. A
  // dying call runs on a copy: it changes nothing, only its output escapes.
  let fault
  try {
    fault = withState(dir, (/** @type {any} */ state) => {
      const picked = count(state)
      if (!picked) handle(state)
      else if (picked.action === 'die') handle(structuredClone(state))
      return picked
    })
  } catch (error) {
    if (!(error instanceof Crash)) return {exitCode: 2, stdout: '', stderr: `${messageOf(error)}\n`}
    // A bug in a fake: the call is still counted, and the world stays as it was.
    fault = withState(dir, count)
    err.push(crashed(tool, error))
    exit = 70
  }
  if (fault?.action === 'fail') {
    record(1, 'fail')
    return {exitCode: 1, stdout: '', stderr: 'Error: injected failure\n'}
  }
  if (fault?.action === 'hang') {
    record(null, 'hang')
    return killedBy()
  }
  if (fault?.action === 'hold') {
    // Like a real call that takes a while: the test opens the gate when it has seen what it wanted.
    writeFileSync(`${fault.gate}.held`, '')
    while (!existsSync(fault.gate)) {
      // In process nothing else ends a hold whose test is gone: its sandbox (and this folder) then is.
      if (io.signal?.aborted || !existsSync(dir))
        return {exitCode: null, signal: 'SIGTERM', stdout: '', stderr: ''}
      await sleep(25, undefined, {ref: false})
    }
    try {
      withState(dir, handle)
    } catch (error) {
      err.push(crashed(tool, error))
      exit = 70
    }
  }
  const dry = fault?.action === 'die'
  if (dry) {
    // "die": the call is logged, half of the output escapes, then it is SIGKILLed; state untouched.
    record(null, 'die')
    return {
      exitCode: null,
      signal: 'SIGKILL',
      stdout: firstHalf(out.join('')),
      stderr: firstHalf(err.join('')),
    }
  }
  record(hang ? null : exit)
  if (hang) return killedBy(out.join(''), err.join(''))
  return {exitCode: exit, stdout: out.join(''), stderr: err.join('')}
}

/** The first half of the lines of some output: what escapes before a crash. @param {string} text */
function firstHalf(text) {
  const lines = text.split('\n')
  return lines.slice(0, Math.ceil(lines.length / 2)).join('\n')
}

async function readStdin() {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The executables' front end: one call with this process's stdin and environment, printed and exited
 * with. A hung call keeps the process until it is killed; a dying one SIGKILLs itself.
 * @param {Tool} run @param {string[]} argv
 */
export async function runTool(run, argv) {
  const stdin = readsStdin(argv) ? await readStdin() : undefined
  const alive = setInterval(() => {}, 1 << 30)
  const result = await run(argv, {stdin, env: process.env})
  clearInterval(alive)
  if (result.signal) {
    process.stderr.write(result.stderr)
    process.stdout.write(result.stdout, () => process.kill(process.pid, result.signal))
    return
  }
  process.stdout.write(result.stdout)
  process.stderr.write(result.stderr)
  process.exitCode = result.exitCode ?? 1
}
