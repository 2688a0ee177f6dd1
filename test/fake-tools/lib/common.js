// Plumbing shared by the fake kind, helm, kubectl and docker: pflag-style argument parsing, the call log,
// fault injection and the single locked state transaction each invocation runs in.
import {existsSync, writeFileSync} from 'node:fs'
import {setInterval} from 'node:timers'
import {setTimeout as sleep} from 'node:timers/promises'

import {appendCall, withState} from './state.js'

/** A failure the real tool would report: message on stderr, exit code. */
export class ToolError extends Error {
  /** @param {string} message @param {number} [exitCode] */
  constructor(message, exitCode = 1) {
    super(message)
    this.exitCode = exitCode
  }
}

/**
 * @typedef {{type: 'bool' | 'string' | 'array' | 'optional', short?: string, default?: string}} FlagSpec
 * `optional` is pflag's NoOptDefVal: a value only with `=`, `default` when the flag stands alone.
 * @typedef {Record<string, FlagSpec>} Spec
 */

/**
 * Parses argv like spf13/pflag: flags anywhere, `--f=v`, `--f v`, `-f v`, `-fv`, `-f=v`, `--`.
 * @param {string[]} argv @param {Spec} spec
 * @returns {{flags: Record<string, any>, args: string[]}}
 */
export function parseArgs(argv, spec) {
  /** @type {Record<string, any>} */
  const flags = {}
  const args = []
  const byShort = Object.fromEntries(
    Object.entries(spec)
      .filter(([, s]) => s.short)
      .map(([name, s]) => [s.short, name]),
  )
  /** @param {string} name @param {string | undefined} value @param {() => string | undefined} next @param {string} shown */
  const set = (name, value, next, shown) => {
    const def = spec[name]
    if (def.type === 'bool') {
      if (value !== undefined && !/^(true|false|1|0|t|f|TRUE|FALSE|True|False)$/.test(value))
        throw new ToolError(
          `invalid argument "${value}" for "${shown}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
        )
      flags[name] = value === undefined || /^(true|1|t)$/i.test(value)
      return
    }
    if (def.type === 'optional') {
      flags[name] = value ?? def.default ?? ''
      return
    }
    const v = value ?? next()
    if (v === undefined) throw new ToolError(`flag needs an argument: ${shown}`)
    if (def.type === 'array') (flags[name] ??= []).push(v)
    else flags[name] = v
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const next = () => (i + 1 < argv.length ? argv[++i] : undefined)
    if (arg === '--') {
      args.push(...argv.slice(i + 1))
      break
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
      if (!spec[name]) throw new ToolError(`unknown flag: --${name}`)
      set(name, eq < 0 ? undefined : arg.slice(eq + 1), next, `--${name}`)
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const name = byShort[arg[j]]
        if (!name) throw new ToolError(`unknown shorthand flag: '${arg[j]}' in ${arg}`)
        const rest = arg.slice(j + 1)
        if (spec[name].type === 'bool' && !rest.startsWith('=')) {
          set(name, undefined, next, `-${arg[j]}`)
          continue
        }
        const value = rest === '' ? undefined : rest.replace(/^=/, '')
        set(name, value, next, `'${arg[j]}' in -${arg[j]}`)
        break
      }
    } else args.push(arg)
  }
  return {flags, args}
}

/**
 * Finds the subcommand (e.g. ['get', 'values']) among the leading positional words, skipping global
 * flags and their values.
 * @param {string[]} argv @param {string[][]} commands @param {Spec} globals
 * @returns {{command: string[] | undefined, words: string[]}}
 */
export function findCommand(argv, commands, globals) {
  /** @type {string[]} */
  const words = []
  for (let i = 0; i < argv.length && words.length < 3; i++) {
    const arg = argv[i]
    if (arg === '--') break
    if (arg.startsWith('-') && arg.length > 1) {
      const name = arg.startsWith('--')
        ? arg.slice(2)
        : Object.keys(globals).find((n) => globals[n].short === arg[1])
      const def = name !== undefined ? globals[name] : undefined
      const inline = arg.includes('=') || (!arg.startsWith('--') && arg.length > 2)
      if (def && (def.type === 'string' || def.type === 'array') && !inline) i++
      continue
    }
    words.push(arg)
  }
  const command = commands
    .filter((c) => c.every((word, k) => words[k] === word))
    .sort((a, b) => b.length - a.length)[0]
  return {command, words}
}

/** Removes the first occurrence of each command word from argv (they precede other positionals). */
export function stripCommand(/** @type {string[]} */ argv, /** @type {string[]} */ command) {
  const rest = [...argv]
  for (const word of command) rest.splice(rest.indexOf(word), 1)
  return rest
}

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

async function readStdin() {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/** @param {string} tool @param {string[]} argv @param {number} n @param {any} state */
function pickFault(tool, argv, n, state) {
  const raw = process.env.FAKE_TOOLS_FAULTS
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
 * @typedef {{argv: string[], stdin: string | null, env: NodeJS.ProcessEnv, state: any,
 *   out: (text: string) => void, err: (text: string) => void, hang: () => void}} Context
 */

/**
 * Runs one invocation of a fake tool: counts and logs the call, injects faults, runs the handler inside
 * one state transaction, then prints what it printed and exits with its code.
 * @param {string} tool @param {string[]} argv
 * @param {(ctx: Context) => number | void} handler returns the exit code (0 when nothing)
 * @param {(message: string) => string} formatError how the tool prints an error ("Error: ...", "ERROR: ...")
 */
export async function runTool(tool, argv, handler, formatError) {
  const dir = process.env.FAKE_TOOLS_STATE
  if (!dir) {
    process.stderr.write(
      `fake ${tool}: FAKE_TOOLS_STATE is not set; point it at the folder that holds the fake tools' state\n`,
    )
    process.exitCode = 2
    return
  }
  const time = new Date().toISOString()
  const stdin = readsStdin(argv) ? await readStdin() : null
  // The environment too: tests check what deskrun hands its children (no credentials).
  const env = {...process.env}
  const record = (/** @type {number | null} */ exit, /** @type {string} */ fault = '') =>
    appendCall(dir, {tool, argv, stdin, env, exit, time, ...(fault ? {fault} : {})})

  let fault
  try {
    fault = withState(dir, (/** @type {any} */ state) => {
      const n = (state.counters[tool] = (state.counters[tool] ?? 0) + 1)
      return pickFault(tool, argv, n, state)
    })
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`)
    process.exitCode = 2
    return
  }
  if (fault?.action === 'fail') {
    record(1, 'fail')
    process.stderr.write('Error: injected failure\n')
    process.exitCode = 1
    return
  }
  if (fault?.action === 'hang') {
    record(null, 'hang')
    setInterval(() => {}, 1 << 30)
    return
  }
  if (fault?.action === 'hold') {
    // Like a real call that takes a while: the test opens the gate when it has seen what it wanted.
    writeFileSync(`${fault.gate}.held`, '')
    while (!existsSync(fault.gate)) await sleep(25)
  }

  /** @type {string[]} */
  const out = []
  /** @type {string[]} */
  const err = []
  let hang = false
  let exit = 0
  const dry = fault?.action === 'die'
  try {
    exit = withState(
      dir,
      (/** @type {any} */ state) => {
        const ctx = {
          argv,
          stdin,
          env: process.env,
          state,
          out: (/** @type {string} */ text) => void out.push(text),
          err: (/** @type {string} */ text) => void err.push(text),
          hang: () => void (hang = true),
        }
        try {
          return handler(ctx) ?? 0
        } catch (error) {
          if (!(error instanceof ToolError)) throw error
          err.push(formatError(error.message))
          return error.exitCode
        }
      },
      {dry},
    )
  } catch (error) {
    err.push(`fake ${tool} crashed: ${error instanceof Error ? error.stack : error}\n`)
    exit = 70
  }
  if (dry) {
    // "die": the call is logged, half of the output escapes, then the process is SIGKILLed; state untouched.
    record(null, 'die')
    process.stderr.write(firstHalf(err.join('')))
    process.stdout.write(firstHalf(out.join('')), () => process.kill(process.pid, 'SIGKILL'))
    return
  }
  record(hang ? null : exit)
  process.stdout.write(out.join(''))
  process.stderr.write(err.join(''))
  if (hang) setInterval(() => {}, 1 << 30)
  else process.exitCode = exit
}

/** The first half of the lines of some output: what escapes before a crash. @param {string} text */
function firstHalf(text) {
  const lines = text.split('\n')
  return lines.slice(0, Math.ceil(lines.length / 2)).join('\n')
}

/** Go's time.Duration String for whole seconds ("2m0s", "10m0s", "45s"). @param {number} seconds */
export function goDuration(seconds) {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`
}

/** Parses a Go duration ("120s", "10m", "1h30m") into seconds, or undefined when invalid. @param {string} text */
export function parseDuration(text) {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text) && text !== '0') return undefined
  const unit = /** @type {Record<string, number>} */ ({
    ns: 1e-9,
    us: 1e-6,
    µs: 1e-6,
    ms: 1e-3,
    s: 1,
    m: 60,
    h: 3600,
  })
  let total = 0
  for (const [, n, , u] of text.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * unit[u]
  return total
}

/** kubernetes generateName suffix alphabet. */
export function randomSuffix(length = 5) {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789'
  return Array.from({length}, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('')
}
