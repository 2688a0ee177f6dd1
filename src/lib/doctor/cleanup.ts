/**
 * Who deletes files under the cache root behind deskrun's back: systemd-tmpfiles on Linux (an age
 * rule, or a purge at boot, covering the folder) and macOS's own cleaning of its temporary folders.
 * Pure: the facts hand over the tmpfiles.d files as text, so tests describe any host in a few lines.
 * A Docker data root that loses files one by one under a running daemon is corrupt, so any of these
 * makes a cache root unfit, however rarely it runs.
 */
import path from 'node:path'

const posix = path.posix

/** The folders systemd-tmpfiles reads, the one that wins a file name first (tmpfiles.d(5)). */
export const TMPFILES_DIRS = [
  '/etc/tmpfiles.d',
  '/run/tmpfiles.d',
  '/usr/local/lib/tmpfiles.d',
  '/usr/lib/tmpfiles.d',
] as const

export interface ConfigFile {
  path: string
  text: string
}

/**
 * The files systemd-tmpfiles applies, in its order: one per file name (/etc beats /run beats /usr;
 * an admin's link to /dev/null reads as empty and so disables the vendor's file), sorted by name.
 */
export function effectiveTmpfiles(files: readonly ConfigFile[]): ConfigFile[] {
  const rank = (file: ConfigFile) => (TMPFILES_DIRS as readonly string[]).indexOf(posix.dirname(file.path))
  const byName = new Map<string, ConfigFile>()
  for (const file of files
    .filter((file) => file.path.endsWith('.conf') && rank(file) >= 0)
    .sort((a, b) => rank(a) - rank(b))) {
    const name = posix.basename(file.path)
    if (!byName.has(name)) byName.set(name, file)
  }
  return [...byName.keys()].sort().map((name) => byName.get(name)!)
}

interface Line {
  /** The type letter, without modifiers. */
  type: string
  /** `!`: applied only with --boot, so never by the daily clean. */
  bootOnly: boolean
  path: string
  /** The cleanup age without its `~` or `age-by:` prefix; undefined for none (`-` or absent). */
  age?: string
  /** The line as written and its file, for the user to find it. */
  source: string
}

/** Types whose age field deletes old files inside the folder (tmpfiles.d(5), "Age"). */
const AGED_TYPES = new Set(['d', 'D', 'e', 'v', 'q', 'Q', 'C'])

function parse(file: ConfigFile): Line[] {
  const lines: Line[] = []
  for (const raw of file.text.split('\n')) {
    const text = raw.trim()
    if (text === '' || text.startsWith('#')) continue
    const [type = '', rawPath = '', , , , rawAge] = text
      .split(/\s+/)
      .map((field) => field.replace(/^"(.*)"$/, '$1'))
    // %-specifiers name systemd's own runtime folders, never a cache root someone chose.
    if (!rawPath.startsWith('/') || rawPath.includes('%')) continue
    const age = rawAge?.replace(/^~/, '').replace(/^[aAbBcCmM]+:/, '')
    lines.push({
      type: type[0],
      bootOnly: type.includes('!'),
      path: posix.normalize(rawPath).replace(/(.)\/$/, '$1'),
      age: age === undefined || age === '-' || age === '' ? undefined : age,
      source: `\`${text}\` in ${file.path}`,
    })
  }
  return lines
}

/** Shell-style glob (as in tmpfiles.d paths) to a RegExp for one whole path. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replaceAll(/[.+^${}()|\\]/g, '\\$&')
    .replaceAll('*', '[^/]*')
    .replaceAll('?', '[^/]')
  return new RegExp(`^${escaped}$`)
}

/** `folder` itself and every folder above it. */
function selfAndAncestors(folder: string): string[] {
  const chain = [folder]
  while (chain.at(-1) !== '/') chain.push(posix.dirname(chain.at(-1)!))
  return chain
}

/** True when a line's path (a glob for e, x) is `folder` or one of its parents. */
const covers = (line: Line, folder: string) =>
  selfAndAncestors(folder).some((candidate) => globToRegExp(line.path).test(candidate))

/** For each path, the first line of the given types wins (tmpfiles.d(5): the earliest file name). */
function firstPerPath(lines: readonly Line[], types: Set<string>): Line[] {
  const seen = new Set<string>()
  return lines.filter((line) => {
    if (!types.has(line.type) || seen.has(line.path)) return false
    seen.add(line.path)
    return true
  })
}

/**
 * What systemd-tmpfiles does to `folder` (absolute, normalised), in the user's words; empty when
 * nothing. `files` are the effective files (effectiveTmpfiles) of a host that runs systemd.
 */
export function tmpfilesCleanup(folder: string, files: readonly ConfigFile[]): string[] {
  const lines = files.flatMap(parse)
  const found: string[] = []

  // The daily clean (systemd-tmpfiles --clean) skips `!` lines, and paths that an `x` line excludes.
  const excluded = lines.some((line) => line.type === 'x' && !line.bootOnly && covers(line, folder))
  const aged = firstPerPath(
    lines.filter((line) => !line.bootOnly),
    AGED_TYPES,
  ).find((line) => line.age !== undefined && covers(line, folder))
  if (aged && !excluded) {
    found.push(`systemd-tmpfiles deletes files there unused for ${aged.age} (${aged.source})`)
  }

  // At boot, --remove empties every folder of a `D` line.
  const purged = firstPerPath(lines, AGED_TYPES).find((line) => line.type === 'D' && covers(line, folder))
  if (purged) found.push(`systemd-tmpfiles empties it at every boot (${purged.source})`)
  return found
}

/**
 * macOS's temporary folders: /tmp (= /private/tmp) is emptied at restart and cleaned of files not
 * accessed for 3 days (periodic daily 110.clean-tmps); the per-user /var/folders likewise (dirhelper).
 */
const MACOS_TEMPORARY = ['/tmp', '/private/tmp', '/var/folders', '/private/var/folders']

export function macosCleanup(folder: string): string[] {
  const temporary = MACOS_TEMPORARY.find((root) => selfAndAncestors(folder).includes(root))
  return temporary ? [`macOS empties ${temporary} at restart and deletes files there unused for 3 days`] : []
}
