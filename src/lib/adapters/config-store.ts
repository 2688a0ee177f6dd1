/**
 * Reading and changing the config file. Reads need no lock (writes are atomic renames); every change
 * is a locked read-modify-write, so concurrent deskrun processes queue instead of losing each other's
 * changes. A file deskrun cannot read is reported and never overwritten.
 *
 * Every command reads the config; few change it. What only a change needs (the atomic writer, the
 * lock) is loaded when a change is made, so that reading stays quick.
 */
import fs from 'node:fs/promises'
import path from 'node:path'

import {DeskrunError} from '../domain/errors.js'
import {configPath} from '../domain/settings.js'
import {emptyConfig, toDomain, toFile} from '../domain/config/convert.js'
import {parseJson} from '../domain/config/json-syntax.js'
import {backupPath, isBackupOf, migrate, storedCredentials} from '../domain/config/migrate.js'
import {configProblems} from '../domain/config/problems.js'
import {CONFIG_VERSION, type DeskrunConfig} from '../domain/config/types.js'
import {writeFileAtomically} from './atomic-file.js'
import {acquireLock, LockBusy, STALE_LOCK_MS} from './lock.js'

export interface ConfigOptions {
  /** The config file; default `configPath()` (`~/.deskrun/config.json`, moved by DESKRUN_HOME). */
  file?: string
  /**
   * Hears one-line notes for the user: permissions repaired, settings kept but ignored, migration; `fix`
   * is a command line to act on.
   */
  onNote?: (note: string, fix?: string) => void
}

/** Both `(file, options)` and `(options)` are accepted. */
function resolve(fileOrOptions: string | ConfigOptions | undefined, options: ConfigOptions) {
  const merged =
    typeof fileOrOptions === 'string' ? {...options, file: fileOrOptions} : {...options, ...fileOrOptions}
  return {file: merged.file ?? configPath(), note: merged.onNote ?? (() => {})}
}

const FOLDER_MODE = 0o700
const FILE_MODE = 0o600
/** Longer than STALE_LOCK_MS, so that a dead holder's lock is taken over meanwhile. */
const LOCK_WAIT_MS = 60_000

interface State {
  config: DeskrunConfig
  /** The file's text as read; undefined when there was no file. */
  raw?: string
  fromVersion?: 0 | 1
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code
const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`

const LEAVE_IT =
  'deskrun did not change the file. Fix it by hand, or move it away (deskrun then starts with an empty config).'

async function readState(file: string, note: (line: string) => void): Promise<State> {
  let raw: string
  try {
    raw = await fs.readFile(file, 'utf8')
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return {config: emptyConfig()}
    throw new DeskrunError(`Cannot read the config file ${file} (${errorCode(error) ?? 'unknown error'}).`, {
      hint: 'Check that it is a file you own and can read.',
      code: 'CONFIG_UNREADABLE',
      cause: error,
    })
  }

  const parsed = parseJson(raw.replace(/^\uFEFF/, ''))
  if (!parsed.ok) {
    throw new DeskrunError(
      `The config file ${file} is not valid JSON: line ${parsed.line}, column ${parsed.column}: ${parsed.problem}.`,
      {hint: LEAVE_IT, code: 'CONFIG_SYNTAX'},
    )
  }

  const data = parsed.value as Record<string, unknown>
  const version = (data as {version?: unknown} | null)?.version
  if (typeof version === 'number' && Number.isInteger(version) && version > CONFIG_VERSION) {
    throw new DeskrunError(
      `The config file ${file} has format version ${version}, written by a newer deskrun; this one reads version ${CONFIG_VERSION}.`,
      {hint: 'Upgrade deskrun (npm install -g deskrun@latest).', code: 'CONFIG_TOO_NEW'},
    )
  }

  const problems = await configProblems(data)
  if (problems.length > 0) {
    throw new DeskrunError(
      `The config file ${file} has settings deskrun cannot use:\n${problems.map((line) => `  - ${line}`).join('\n')}`,
      {hint: LEAVE_IT, code: 'CONFIG_INVALID'},
    )
  }

  const {file: current, fromVersion} = migrate(data)
  return {config: toDomain(current, note), raw, fromVersion}
}

/**
 * Tightens a folder or file that others may read (it holds tokens and private keys). Leaves alone
 * what is not ours, and sticky shared folders such as /tmp, and says so.
 */
async function tighten(target: string, kind: 'folder' | 'file', note: (line: string) => void): Promise<void> {
  if (process.platform === 'win32') return
  let stat
  try {
    stat = await fs.stat(target)
  } catch {
    return
  }

  const wanted = kind === 'folder' ? FOLDER_MODE : FILE_MODE
  const mode = stat.mode & 0o777
  if ((mode & ~wanted) === 0) return
  const uid = process.getuid?.()
  if ((kind === 'folder' && stat.mode & 0o1000) || (uid !== undefined && stat.uid !== uid)) {
    note(
      `The ${kind} ${target} is open to other users (${octal(mode)}); deskrun leaves it as it is because it is shared.`,
    )
    return
  }

  await fs.chmod(target, mode & wanted)
  note(
    `Tightened ${target} from ${octal(mode)} to ${octal(mode & wanted)}: it holds tokens and private keys.`,
  )
}

async function secure(file: string, note: (line: string) => void): Promise<void> {
  await tighten(path.dirname(file), 'folder', note)
  await tighten(file, 'file', note)
}

/**
 * Tightens the config file and its folder when other users may read them (they hold tokens and private
 * keys), with a note for each. A step of its own, so that reading the config never changes anything.
 */
export async function secureConfig(fileOrOptions?: string | ConfigOptions, options: ConfigOptions = {}) {
  const {file, note} = resolve(fileOrOptions, options)
  await secure(file, note)
}

/** The config in `file`; the default (empty) config when there is none. Reads only. */
export async function loadConfig(
  fileOrOptions?: string | ConfigOptions,
  options: ConfigOptions = {},
): Promise<DeskrunConfig> {
  const {file, note} = resolve(fileOrOptions, options)
  return (await readState(file, note)).config
}

/** Keeps the file of an older format next to the new one, once: `config.json.v0.bak` (0600). */
async function backUp(
  file: string,
  raw: string,
  fromVersion: number,
  note: (line: string, fix?: string) => void,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const candidate = backupPath(file, fromVersion, attempt)
    try {
      if ((await fs.readFile(candidate, 'utf8')) === raw) return
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error
      await writeFileAtomically(candidate, raw, {mode: FILE_MODE, fsync: true})
      const parsed = parseJson(raw.replace(/^\uFEFF/, ''))
      const secrets = parsed.ok && storedCredentials(parsed.value).length > 0
      note(
        `Rewrote ${file} in the format of this deskrun (version ${CONFIG_VERSION}); the previous file is kept ` +
          `as ${candidate} (mode 0600)${secrets ? ', with its tokens and private keys' : ''}. Delete it once ` +
          'you no longer need to go back to the original deskrun:',
        `rm ${candidate}`,
      )
      return
    }
  }
}

/** Makes the rename durable: without this a crash can bring back the old file. Not possible everywhere. */
async function syncFolder(folder: string): Promise<void> {
  let handle
  try {
    handle = await fs.open(folder, 'r')
    await handle.sync()
  } catch {
    // Some platforms cannot fsync a directory; the file itself is fsynced.
  } finally {
    await handle?.close()
  }
}

async function lockConfig(file: string, onCompromised: (error: Error) => void): Promise<() => Promise<void>> {
  try {
    return await acquireLock(`${file}.lock`, {waitMs: LOCK_WAIT_MS, onCompromised})
  } catch (error) {
    if (!(error instanceof LockBusy)) throw error
    throw new DeskrunError(`Another deskrun process is changing ${file} and did not finish in time.`, {
      hint:
        `Wait for it to finish and try again. If no deskrun is running, ${file}.lock is left over ` +
        `and is taken over automatically once it is ${STALE_LOCK_MS / 1000} seconds old.`,
      code: 'CONFIG_LOCKED',
      cause: error,
    })
  }
}

/**
 * Changes the config: locks it, reads it, lets `mutate` return the new config, and writes that
 * atomically (0600, folder 0700). Nothing is written when `mutate` throws or the file cannot be read.
 * A file of the original deskrun is backed up before its first rewrite. Returns the config as saved.
 */
export async function updateConfig(
  mutate: (config: DeskrunConfig) => DeskrunConfig | Promise<DeskrunConfig>,
  fileOrOptions?: string | ConfigOptions,
  options: ConfigOptions = {},
): Promise<DeskrunConfig> {
  const {file, note} = resolve(fileOrOptions, options)
  await fs.mkdir(path.dirname(file), {recursive: true, mode: FOLDER_MODE})
  await secure(file, note)

  let compromised: Error | undefined
  const release = await lockConfig(file, (error) => {
    compromised = error
  })
  try {
    const state = await readState(file, note)
    const next = toFile(await mutate(structuredClone(state.config)))
    const problems = await configProblems(next)
    if (problems.length > 0) {
      const lines = problems.map((line) => `  - ${line}`).join('\n')
      throw new DeskrunError(`deskrun would write an invalid config, so nothing was changed:\n${lines}`, {
        code: 'CONFIG_WRITE_INVALID',
      })
    }

    const text = `${JSON.stringify(next, null, 2)}\n`
    if (text !== state.raw) {
      if (compromised) {
        throw new DeskrunError(`Lost the lock on ${file} while changing it, so nothing was written.`, {
          hint: 'Another process took the lock over (was this one paused?). Try again.',
          code: 'CONFIG_LOCKED',
          cause: compromised,
        })
      }

      if (state.raw !== undefined && state.fromVersion !== undefined && state.fromVersion < CONFIG_VERSION) {
        await backUp(file, state.raw, state.fromVersion, note)
      }

      await writeFileAtomically(file, text, {mode: FILE_MODE, fsync: true})
      await syncFolder(path.dirname(file))
    }

    return toDomain(next)
  } finally {
    await release().catch(() => {})
  }
}

/**
 * The backups of an older config beside `file` (`config.json.v0.bak`, ...) that hold a token or private
 * key no installation of `config` uses: once its installations are removed, the only copy left on disk.
 */
export async function backupsWithUnusedCredentials(
  config: DeskrunConfig,
  file: string = configPath(),
): Promise<string[]> {
  const inUse = new Set(
    Object.values(config.installations).map(({auth}) =>
      (auth.type === 'pat' ? auth.token : auth.privateKey).trim(),
    ),
  )
  const folder = path.dirname(file)
  const names = await fs.readdir(folder).catch(() => [])
  const found: string[] = []
  for (const name of names.filter((candidate) => isBackupOf(file, candidate)).sort()) {
    const parsed = parseJson(await fs.readFile(path.join(folder, name), 'utf8').catch(() => ''))
    if (parsed.ok && storedCredentials(parsed.value).some((credential) => !inUse.has(credential)))
      found.push(path.join(folder, name))
  }
  return found
}

/** Records whether installations are deployed (what `deskrun list` shows), as one locked change. */
export async function markDeployed(names: string[], deployed: boolean, options: ConfigOptions = {}) {
  if (names.length === 0) return
  await updateConfig((current) => {
    const installations = {...current.installations}
    for (const name of names)
      if (installations[name]) installations[name] = {...installations[name], deployed}
    return {...current, installations}
  }, options)
}
