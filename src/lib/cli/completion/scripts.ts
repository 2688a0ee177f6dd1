/**
 * Shell code that teaches the bash and zsh scripts of @oclif/plugin-autocomplete to complete
 * values: oclif's scripts complete commands and flag names, and (zsh) fixed options, but never the
 * value after `--mode` or the installation after `remove`. The code is appended to oclif's script;
 * a small wrapper answers value positions itself and hands every other position to oclif's function.
 *
 * Value positions are found by a function shared by both shells (it uses only what bash and zsh
 * both understand). Fixed choices are written in; changing values are asked from `deskrun complete
 * KIND` at TAB time, which reads the config and the plugins' modes and never calls a tool.
 */
import type {CommandSpec, CompletionSpec, ValueSource} from './values.js'

export const BEGIN_MARKER = '# >>> deskrun: values of flags and arguments >>>'
export const END_MARKER = '# <<< deskrun: values of flags and arguments <<<'

/** Every word that reaches the script passed SAFE_WORD in values.ts, so single quotes suffice. */
const quote = (word: string) => `'${word}'`

function reply(source: ValueSource): string {
  return 'kind' in source ? `REPLY='run ${source.kind}'` : `REPLY='words ${source.words.join(' ')}'`
}

function caseFunction(
  name: string,
  comment: string,
  subject: string,
  arms: string[],
  otherwise: string,
): string {
  return [
    `# ${comment}`,
    `${name}() {`,
    `  case ${subject} in`,
    ...arms.map((arm) => `    ${arm}`),
    `    *) ${otherwise} ;;`,
    '  esac',
    '}',
  ].join('\n')
}

function valueArms(command: CommandSpec): string[] {
  const arms = command.flags
    .filter((flag) => flag.values && flag.spellings.length > 0)
    .map(
      (flag) =>
        `${flag.spellings.map((s) => quote(`${command.id} ${s}`)).join('|')}) ${reply(flag.values!)} ;;`,
    )
  command.args.forEach((source, i) => {
    if (source) arms.push(`${quote(`${command.id} @${i + 1}`)}) ${reply(source)} ;;`)
  })
  // Any later argument (`deskrun pause web api <TAB>`); after the numbered arms, as case takes the first match.
  if (command.rest) arms.push(`${quote(`${command.id} @`)}*) ${reply(command.rest)} ;;`)
  return arms
}

/** The functions both shells use: where the cursor is, and what may be typed there. */
function sharedFunctions(spec: CompletionSpec): string {
  const p = `_${spec.bin}`
  const ids = (list: string[]) => (list.length > 0 ? [`${list.map(quote).join('|')}) return 0 ;;`] : [])
  const takesValue = spec.commands.flatMap((command) =>
    command.flags
      .filter((flag) => flag.takesValue)
      .flatMap((flag) => flag.spellings.map((spelling) => quote(`${command.id} ${spelling}`))),
  )
  return [
    caseFunction(
      `${p}_is_command`,
      'Is $1 (words joined by ":") a command?',
      '$1',
      ids(spec.commands.map((c) => c.id)),
      'return 1',
    ),
    caseFunction(
      `${p}_is_topic`,
      'Is $1 a topic (the start of longer commands)?',
      '$1',
      ids(spec.topics),
      'return 1',
    ),
    caseFunction(
      `${p}_takes_value`,
      'Does flag $2 of command $1 take a value?',
      '"$1 $2"',
      takesValue.length > 0 ? [`${takesValue.join('|')}) return 0 ;;`] : [],
      'return 1',
    ),
    caseFunction(
      `${p}_flags_of`,
      'REPLY: "flags" and the flag names of command $1.',
      '$1',
      spec.commands
        .filter((command) => command.flagNames.length > 0)
        .map((command) => `${quote(command.id)}) REPLY='flags ${command.flagNames.join(' ')}' ;;`),
      "REPLY=''",
    ),
    caseFunction(
      `${p}_value_for`,
      'REPLY: how to complete $2 (a flag, or @N for the Nth argument) of command $1.',
      '"$1 $2"',
      spec.commands.flatMap(valueArms),
      "REPLY=''",
    ),
    `# REPLY: how to complete the word under the cursor: "run KIND" (${spec.bin} complete KIND),
# "words W...", "files", "flags F..." (a flag name: oclif's bash function cannot find the command
# once an argument was typed, so bash offers these), or "" (oclif's completion then takes over).
# Arguments: the words after "${spec.bin}", the last one being the word under the cursor.
${p}_value_source() {
  local id='' cmd='' pending='' position=0 word
  REPLY=''
  while (( $# > 1 )); do
    word=$1
    shift
    if [[ -n $pending ]]; then
      # bash splits --flag=value into "--flag" "=" "value": the value comes after the "=".
      [[ $word == '=' ]] || pending=''
      continue
    fi
    case $word in
      --) return 0 ;;
      -*=*) ;;
      -*) ${p}_takes_value "$cmd" "$word" && pending=$word ;;
      *)
        if (( position == 0 )) && { ${p}_is_command "\${id:+$id:}$word" || ${p}_is_topic "\${id:+$id:}$word"; }; then
          id=\${id:+$id:}$word
          ${p}_is_command "$id" && cmd=$id
        else
          position=$((position + 1))
        fi
        ;;
    esac
  done
  [[ -n $cmd ]] || return 0
  word=$1
  if [[ -n $pending ]]; then
    ${p}_value_for "$cmd" "$pending"
    [[ -n $REPLY ]] || REPLY=files
  else
    case $word in
      -*=*) ${p}_value_for "$cmd" "\${word%%=*}" ;;
      -*) ${p}_flags_of "$cmd" ;;
      *) ${p}_value_for "$cmd" "@$((position + 1))" ;;
    esac
  fi
}`,
  ].join('\n\n')
}

function block(spec: CompletionSpec, wrapper: string): string {
  return `
${BEGIN_MARKER}
# Added by ${spec.bin} to the script that oclif generated (${spec.bin} autocomplete --refresh-cache
# writes both again). Mode names, installation names and fixed choices after flags and arguments.

${sharedFunctions(spec)}

${wrapper}
${END_MARKER}
`
}

/** Appended to oclif's bash function file: answers value positions, otherwise calls oclif's function. */
export function bashAdditions(spec: CompletionSpec): string {
  const p = `_${spec.bin}`
  return block(
    spec,
    `${p}_complete_values() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prefix='' REPLY
  ${p}_value_source "\${COMP_WORDS[@]:1:COMP_CWORD}"
  if [[ -z $REPLY ]]; then
    ${p}_autocomplete
    return
  fi
  # bash splits at "=": the word under the cursor is "=" right after --flag=.
  [[ $cur == '=' ]] && cur=''
  if [[ $cur == -*=* ]]; then
    prefix=\${cur%%=*}=
    cur=\${cur#*=}
  fi
  local candidates
  case $REPLY in
    words\\ *) candidates=\${REPLY#words }; candidates=\${candidates// /$'\\n'} ;;
    flags\\ *) candidates=\${REPLY#flags }; candidates=\${candidates// /$'\\n'} ;;
    run\\ *) candidates=$(${spec.bin} complete "\${REPLY#run }" 2>/dev/null) ;;
  esac
  local IFS=$'\\n'
  if [[ $REPLY == files ]]; then
    COMPREPLY=($(compgen -f -P "$prefix" -- "$cur"))
  else
    COMPREPLY=($(compgen -P "$prefix" -W "$candidates" -- "$cur"))
  fi
}

complete -F ${p}_complete_values ${spec.bin}`,
  )
}

/**
 * oclif's zsh file is an autoloaded `_deskrun` function file: it defines `_deskrun` and calls it.
 * Its function becomes `_deskrun_oclif`; a new `_deskrun` answers value positions and hands every
 * other position to it. Undefined when the file does not have the shape this relies on.
 */
export function patchZshScript(script: string, spec: CompletionSpec): string | undefined {
  const p = `_${spec.bin}`
  const definition = `\n${p}() {\n`
  const body = script.trimEnd()
  if (script.includes(BEGIN_MARKER) || !script.includes(definition) || !body.endsWith(`\n${p}`))
    return undefined
  const wrapper = `${p}() {
  local REPLY
  local -a candidates
  ${p}_value_source "\${(@)words[2,CURRENT]}"
  case $REPLY in
    # oclif's zsh function completes flag names after arguments too, with their summaries.
    ''|files|flags\\ *) ${p}_oclif "$@" ;;
    words\\ *)
      candidates=(\${=REPLY#words })
      compset -P '*='
      compadd -a candidates
      ;;
    run\\ *)
      candidates=(\${(f)"$(${spec.bin} complete --descriptions \${REPLY#run } 2>/dev/null)"})
      compset -P '*='
      _describe -t values "\${REPLY#run }" candidates
      ;;
  esac
}`
  const renamed = body.slice(0, -p.length).replace(definition, `\n${p}_oclif() {\n`)
  return `${renamed}${block(spec, wrapper)}\n${p} "$@"\n`
}
