// Plumbing shared by the fake kind, helm, kubectl and docker: pflag-style argument parsing, errors and Go's
// durations. How one call runs (call log, faults, the state transaction) is in invoke.js.

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

/** V with the keys of every object in it sorted, as Go's encoding/json writes maps (and kubectl its annotations). */
export const sortedKeys = (/** @type {any} */ v) =>
  Array.isArray(v)
    ? v.map(sortedKeys)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sortedKeys(v[k])]),
        )
      : v
