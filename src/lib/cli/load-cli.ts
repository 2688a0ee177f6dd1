/**
 * Loads dist/cli.cjs (oclif and deskrun's commands, as scripts/build.mjs bundles them) for bin/run.js,
 * with V8's code cache. Compiling that code is most of deskrun's start-up, and Node 20 keeps no compiled
 * code between runs (Node 22's compile cache keeps only what was compiled while loading, not the
 * functions compiled later, as they are first called).
 *
 * The cache is made at exit, after the command ran, so that it holds every function the run compiled,
 * and only those: one file per kind of run (`--version`, a command or topic, its `--help`), below deskrun's
 * cache folder (oclif's `cacheDir`), in `code.v8/<build>-<node version>-<arch>/`. Made once: V8 refuses data
 * of another V8 version or other flags, and then it is made again. A new build removes the folders of the
 * others but the most recent ones.
 *
 * What it holds is compiled code, so it is used only where nobody but the user could have written it: the
 * folders and the file are the user's own and writable by nobody else. Under `sudo` with the user's HOME,
 * for one, nothing is read or written. Any problem with the cache loads the code without it.
 * `NODE_DISABLE_COMPILE_CACHE=1`, Node's own switch for its compile cache, turns it off.
 *
 * It runs before anything else of deskrun: it imports only Node's own modules, the folder's name and where the cache folder is.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
  type Stats,
} from 'node:fs'
import Module, {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import vm from 'node:vm'

import {CODE_CACHE_FOLDER} from '../domain/cli-cache.js'
import {defaultCacheRoot} from '../domain/settings.js'

/** What dist/cli.cjs exports. */
export interface Cli {
  /** The module of dist/ at NAME (e.g. `commands/list.js`), as import() would give it. */
  load(name: string): Promise<Record<string, unknown>>
}

/** The folder of one build's cache: the start of dist/cli.cjs's hash, Node's version, the architecture. */
const BUILD = /^[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+$/

/**
 * How many builds keep their caches: a new one removes the others but for the most recent of them, so
 * that two installs of deskrun used by turns (a global one and a project's) do not remove each other's.
 */
const KEEP_BUILDS = 3

/** At most this many kinds of run keep a cache for one build: the commands and their help, and some to spare. */
const MAX_KINDS = 96

/**
 * deskrun's cache folder, where oclif's Config puts it (`cacheDir`): elsewhere on macOS and Windows, and on
 * Linux the default cache root of the runners, whose rule (XDG_CACHE_HOME when absolute) it shares.
 */
export function cacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.DESKRUN_CACHE_DIR) return env.DESKRUN_CACHE_DIR
  if (platform === 'darwin') return path.join(env.HOME || os.homedir(), 'Library', 'Caches', 'deskrun')
  if (platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'deskrun')
  return defaultCacheRoot(env)
}

/**
 * Which kind of run ARGV (without node and the script) is, as a file name: `version`, the command or topic
 * (`list`, `cache`), with `-help` for its help; `help` alone for deskrun's own. Undefined for a first word
 * that cannot be a command: no cache is kept for it.
 */
export function runKind(argv: readonly string[]): string | undefined {
  if (argv[0] === '--version' || argv[0] === '-v') return 'version'
  const word = argv.find((arg) => !arg.startsWith('-')) ?? 'help'
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(word)) return undefined
  const help = word !== 'help' && argv.some((arg) => arg === '--help' || arg === '-h')
  return help ? `${word}-help` : word
}

/** True when STATS are of something only this user can change (always on Windows, which has no such modes). */
export function ownedAlone(stats: Stats): boolean {
  if (process.getuid === undefined) return true
  return stats.uid === process.getuid() && (stats.mode & 0o022) === 0
}

/** A folder of the cache: true when it is fit to use, false when it is not, undefined when there is none. */
function trustedFolder(folder: string): boolean | undefined {
  try {
    const stats = lstatSync(folder)
    return stats.isDirectory() && ownedAlone(stats)
  } catch {
    return undefined
  }
}

/** What the cache file FILE holds: nothing when there is none or it cannot be read, undefined when it may not be used. */
function readCache(file: string): {data?: Buffer} | undefined {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? {} : undefined
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile() || !ownedAlone(stats)) return undefined
    return {data: readFileSync(fd)}
  } catch {
    return {}
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes the data MAKE gives to FILE, made only once the file can be written (a read-only HOME costs no
 * serializing at each exit). When its folder is new (a new build), only the most recent builds' folders stay.
 */
function writeCache(file: string, make: () => Buffer): void {
  const folder = path.dirname(file)
  const fresh = trustedFolder(folder) === undefined
  mkdirSync(folder, {recursive: true, mode: 0o700})
  if (readdirSync(folder).length >= MAX_KINDS) return
  // Another deskrun may be writing it too: each writes a file of its own, then renames it.
  const temporary = `${file}.${process.pid}`
  try {
    const fd = openSync(temporary, 'w', 0o600)
    try {
      writeFileSync(fd, make())
    } finally {
      closeSync(fd)
    }
    renameSync(temporary, file)
  } catch (error) {
    rmSync(temporary, {force: true})
    throw error
  }
  if (!fresh) return
  const builds = path.dirname(folder)
  const others = readdirSync(builds)
    .filter((name) => BUILD.test(name) && name !== path.basename(folder))
    .map((name) => ({name, changed: lstatSync(path.join(builds, name)).mtimeMs}))
    .sort((a, b) => b.changed - a.changed)
  for (const {name} of others.slice(KEEP_BUILDS - 1))
    rmSync(path.join(builds, name), {recursive: true, force: true})
}

/**
 * Compiles and runs the file at URL (dist/cli.cjs) with its code cache, and puts it in require's cache,
 * where the modules of dist/ that oclif imports find it. IMPORT is the import() its code calls.
 */
export function loadCli(
  url: URL,
  importModule: (specifier: string) => Promise<unknown>,
  {
    env = process.env,
    argv = process.argv.slice(2),
    atExit = (write) => process.once('exit', write),
  }: {env?: NodeJS.ProcessEnv; argv?: readonly string[]; atExit?: (write: () => void) => void} = {},
): Cli {
  const file = realpathSync(fileURLToPath(url))
  const require = createRequire(file)
  if (env.NODE_DISABLE_COMPILE_CACHE) return require(file) as Cli
  const source = readFileSync(file, 'latin1')
  // The last line of cli.cjs is `// ` and a SHA-256 of the rest.
  const build = `${source.slice(-65, -49)}-${process.version}-${process.arch}`
  const kind = runKind(argv)
  const codeFolder = path.join(cacheDir(env), CODE_CACHE_FOLDER)
  const cacheFile =
    kind === undefined || !BUILD.test(build) ? undefined : path.join(codeFolder, build, `${kind}.bin`)
  const trusted =
    cacheFile !== undefined &&
    trustedFolder(codeFolder) !== false &&
    trustedFolder(path.dirname(cacheFile)) !== false
  const cache = trusted ? readCache(cacheFile) : undefined

  const wrapper = '(function (exports, require, module, __filename, __dirname, __deskrunImport) {'
  const script = new vm.Script(`${wrapper}${source}\n})`, {
    filename: file,
    columnOffset: -wrapper.length,
    ...(cache?.data === undefined ? {} : {cachedData: cache.data}),
  })
  if (
    cache !== undefined &&
    cacheFile !== undefined &&
    (cache.data === undefined || script.cachedDataRejected)
  )
    atExit(() => {
      try {
        writeCache(cacheFile, () => script.createCachedData())
      } catch {
        // No cache this time: the next run of this kind compiles the code again.
      }
    })

  const cli = new Module(file)
  cli.filename = file
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(cli.exports, cli.exports, require, cli, file, path.dirname(file), importModule)
  cli.loaded = true
  require.cache[file] = cli
  return cli.exports as Cli
}
