/** "Did you mean": the known word closest to what was typed, when one is close enough to be meant. */

/** Edits (insert, delete, replace a character) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = row
  }
  return previous[b.length]
}

/**
 * The candidate meant by `typed`: the only one it starts (`--repo` for `--repository`), else the
 * nearest within a third of its length (a typo or two: `--reposiotry`, `--max-runner`).
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const starts = candidates.filter((candidate) => candidate.startsWith(typed))
  if (starts.length === 1) return starts[0]
  const ranked = candidates
    .map((candidate) => ({candidate, distance: editDistance(typed, candidate)}))
    .sort((a, b) => a.distance - b.distance)
  const best = ranked[0]
  return best && best.distance <= Math.max(1, Math.floor(typed.length / 3)) ? best.candidate : undefined
}

/** oclif's parse error for flags the command does not have (its class is not exported). */
interface UnknownFlagsError extends Error {
  flags: string[]
  showHelp?: boolean
}

function isUnknownFlagsError(error: Error): error is UnknownFlagsError {
  return (
    Array.isArray((error as Partial<UnknownFlagsError>).flags) && /^Nonexistent flags?:/.test(error.message)
  )
}

/**
 * Rewords oclif's "Nonexistent flag: --repo" to name the flag meant, and points at the command's help
 * instead of printing all of it under the error (which pushes the error off a small screen).
 * `flags`: the command's flag names, without dashes. False when `error` is another error.
 */
export function explainUnknownFlags(error: Error, flags: readonly string[], command: string): boolean {
  if (!isUnknownFlagsError(error)) return false
  const known = flags.map((name) => `--${name}`)
  const lines = error.flags.map((typed) => {
    const flag = typed.split('=')[0]
    const meant = flag.startsWith('--') ? closest(flag, known) : undefined
    return `Unknown flag ${flag}${meant ? `. Did you mean ${meant}?` : '.'}`
  })
  error.message = `${lines.join('\n')}\nSee the flags with: ${command} --help`
  error.showHelp = false
  return true
}
