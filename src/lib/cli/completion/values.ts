/**
 * Which command-line values shell completion offers, and where they come from. Fixed choices
 * (a flag's or argument's `options`) are written into the shell script; the values below change
 * as the user works, so the script asks `deskrun complete KIND` for them at TAB time.
 */
import type {Command} from '@oclif/core'

export const VALUE_KINDS = ['mode', 'installation'] as const
export type ValueKind = (typeof VALUE_KINDS)[number]

/** deskrun's flags whose values change, by flag name (on every deskrun command that has the flag). */
export const FLAG_VALUES: Readonly<Record<string, ValueKind>> = {mode: 'mode'}

/** deskrun's arguments whose values change, by command id and argument name. */
export const ARG_VALUES: Readonly<Record<string, Readonly<Record<string, ValueKind>>>> = {
  status: {name: 'installation'},
  pause: {name: 'installation'},
  resume: {name: 'installation'},
  snippet: {name: 'installation'},
  logs: {name: 'installation'},
  remove: {name: 'installation'},
  set: {name: 'installation'},
}

/** How the shell completes one value: ask deskrun, offer fixed words, or offer files. */
export type ValueSource = {kind: ValueKind} | {words: string[]}

export interface FlagSpec {
  /** `--name`, its aliases and `-c`: every spelling the user may type. */
  spellings: string[]
  takesValue: boolean
  values?: ValueSource
}

export interface CommandSpec {
  /** Colon-separated oclif id (or alias): `cluster:create`. */
  id: string
  flags: FlagSpec[]
  /** The `--name` of each flag that is not hidden: what completes where a flag may be typed. */
  flagNames: string[]
  /** One entry per positional argument, in order; undefined when deskrun offers nothing. */
  args: (ValueSource | undefined)[]
  /**
   * What every argument after them takes, for a command that takes any number (`strict = false`:
   * pause and resume take several names): the values of its last argument.
   */
  rest?: ValueSource
}

/** What the generated scripts must know: every visible command with its flags and arguments. */
export interface CompletionSpec {
  bin: string
  commands: CommandSpec[]
  /** Topics (`cluster`): the words before a command's last one, so `deskrun cluster create` is one command. */
  topics: string[]
}

/** Shell-safe words only: anything else in a plugin's options is left out rather than quoted. */
const SAFE_WORD = /^[\w.:@%+=,/-]+$/

function fixedWords(options: readonly string[] | undefined): ValueSource | undefined {
  const words = (options ?? []).filter((word) => SAFE_WORD.test(word))
  return words.length > 0 ? {words} : undefined
}

/**
 * The spec for the commands oclif knows (`config.commands`: from the manifests, aliases included,
 * no command loaded). Dynamic values apply to deskrun's own commands only; a plugin's `--mode`
 * may mean something else.
 */
export function completionSpec(input: {
  bin: string
  rootPlugin: string
  commands: readonly Command.Loadable[]
}): CompletionSpec {
  const commands: CommandSpec[] = []
  for (const command of input.commands) {
    if (command.hidden || !SAFE_WORD.test(command.id)) continue
    const ours = command.pluginName === input.rootPlugin
    const flags = Object.entries(command.flags ?? {}).map(([name, flag]): FlagSpec => {
      const spellings = [name, ...(flag.aliases ?? [])].map((long) => `--${long}`)
      if (flag.char) spellings.push(`-${flag.char}`)
      for (const char of flag.charAliases ?? []) spellings.push(`-${char}`)
      const takesValue = flag.type === 'option'
      const dynamic = ours && takesValue ? FLAG_VALUES[name] : undefined
      const values = dynamic ? {kind: dynamic} : takesValue ? fixedWords(flag.options) : undefined
      return {spellings: spellings.filter((spelling) => SAFE_WORD.test(spelling)), takesValue, values}
    })
    const args = Object.entries(command.args ?? {}).map(([name, arg]): ValueSource | undefined => {
      const dynamic = ours ? ARG_VALUES[command.id]?.[name] : undefined
      return dynamic ? {kind: dynamic} : fixedWords(arg.options)
    })
    const flagNames = Object.entries(command.flags ?? {})
      .filter(([name, flag]) => !flag.hidden && SAFE_WORD.test(name))
      .map(([name]) => `--${name}`)
    const rest = command.strict === false ? args.at(-1) : undefined
    commands.push({id: command.id, flags, flagNames, args, ...(rest ? {rest} : {})})
  }

  const topics = new Set(
    commands.flatMap(({id}) =>
      id
        .split(':')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join(':')),
    ),
  )
  return {bin: input.bin, commands, topics: [...topics].sort()}
}
