/**
 * Runs the deskrun CLI in this process, as `bin/run.js` would run it in its own: the real oclif config,
 * commands, hooks and plugins, with the fake tools in process behind deskrun's exec seam (fake-exec.ts).
 *
 * For the length of a run, process.env holds exactly the run's environment and the working folder is the
 * run's; runs with the same environment may overlap (a test starting 20 adds at once), others wait their
 * turn. What a run writes to stdout and stderr (process.stdout/stderr, console, oclif's ux) is kept per
 * run (AsyncLocalStorage), and process.stdout, stderr and stdin are pipes as a spawned deskrun has them:
 * not terminals, stdin holding the given input or nothing. The exit code is what oclif's error handler
 * would exit with, else process.exitCode, as when the process ends.
 *
 * What a process would drop at its end is reset when no run is left: the credentials registered for
 * redaction, process.exitCode. Signals cannot be sent to one run in process: tests of Ctrl-C use
 * processes (sandbox({processes: true})).
 */
import {AsyncLocalStorage} from 'node:async_hooks'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Readable, Writable} from 'node:stream'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'

import {Config, Plugin, settings} from '@oclif/core'
import {flush} from '@oclif/core/flush'
import {Exit, handle} from '@oclif/core/handle'
import {run as oclifRun} from '@oclif/core/run'

import {clearSecrets} from '../../src/lib/domain/redact.js'
import {replaceDefaultExecutor} from '../../src/lib/adapters/tools/exec.js'
import {fakeExec} from './fake-exec.js'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface InProcessResult {
  exitCode: number
  stdout: string
  stderr: string
}

interface Run {
  /** `node bin/run.js ...args`: oclif's error handler reads it to show help. */
  argv: string[]
  stdout: Writable
  stderr: Writable
  stdin: Readable
  out: string[]
  err: string[]
  /** What oclif's handler (or process.exit) would have exited with. */
  exit?: number
}

const current = new AsyncLocalStorage<Run>()

/** A pipe into the run's buffer, like a spawned process's stdout or stderr (no TTY, no columns). */
function pipe(into: string[], listener?: (text: string) => void): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      into.push(chunk.toString())
      listener?.(chunk.toString())
      done()
    },
  })
}

class ProcessExit extends Error {}

let installed = false
let started = 0

/** Routes the process's streams, console, oclif's exit and process.exit to the current run (once). */
function install(): void {
  if (installed) return
  installed = true
  // The global console keeps the streams it first writes to: bind it to the real ones now, outside any
  // run; their writes are routed to the current run below.
  void (console as unknown as {_stdout: unknown; _stderr: unknown})._stdout
  void (console as unknown as {_stdout: unknown; _stderr: unknown})._stderr
  type Write = (...args: unknown[]) => boolean
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name]
    const write = stream.write as Write
    stream.write = function (this: NodeJS.WriteStream, ...args: unknown[]) {
      const run = current.getStore()
      return run ? (run[name].write as Write).apply(run[name], args) : write.apply(this, args)
    }
  }
  // Code that asks for process.stdout, stderr or stdin gets the run's pipes.
  for (const name of ['stdout', 'stderr', 'stdin'] as const) {
    const real = Object.getOwnPropertyDescriptor(process, name)!.get!
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: true,
      get: () => current.getStore()?.[name] ?? real.call(process),
    })
  }
  let argv = process.argv
  Object.defineProperty(process, 'argv', {
    configurable: true,
    enumerable: true,
    get: () => current.getStore()?.argv ?? argv,
    set: (value: string[]) => void (argv = value),
  })
  // Each deskrun listens for SIGINT and SIGTERM while it runs; tests run 20 at once in this process.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 64))
  const exit = Exit.exit
  // oclif's handler ends with this (after printing the error): the run ends there with that code.
  Exit.exit = ((code = 0) => {
    const run = current.getStore()
    if (!run) return exit(code)
    run.exit = code
  }) as typeof Exit.exit
  const processExit = process.exit
  process.exit = (code?: number | string | null) => {
    const run = current.getStore()
    if (!run) return processExit(code)
    run.exit = Number(code ?? process.exitCode ?? 0)
    throw new ProcessExit(`process.exit(${code})`)
  }
}

/** The environment (and folder) the process has while runs are active. */
interface Lease {
  key: string
  /** The runs in it (their command lines). */
  runs: Set<string>
  /** More than one run was active at once. */
  overlapped: boolean
  leave: () => void
}

let lease: Lease | undefined
const waiting: (() => void)[] = []
/** Longer than a test takes: a run still holding its environment then is one a failed test left behind. */
const LEASE_WAIT_MS = 120_000

function enter(env: Record<string, string>, cwd: string): () => void {
  const saved = {...process.env}
  const savedCwd = process.cwd()
  const setEnv = (values: NodeJS.ProcessEnv) => {
    for (const key of Object.keys(process.env)) delete process.env[key]
    Object.assign(process.env, values)
  }
  setEnv(env)
  process.chdir(cwd)
  process.exitCode = undefined
  clearSecrets()
  const savedSettings = {...settings}
  const restoreExec = replaceDefaultExecutor(fakeExec)
  return () => {
    restoreExec()
    setSettings(savedSettings)
    clearSecrets()
    process.exitCode = undefined
    process.chdir(savedCwd)
    setEnv(saved)
  }
}

/** oclif's process-wide settings, which loading a config changes (DESKRUN_DEBUG sets `debug`). */
function setSettings(values: typeof settings): void {
  for (const key of Object.keys(settings)) delete settings[key as keyof typeof settings]
  Object.assign(settings, values)
}

async function acquire(env: Record<string, string>, cwd: string, run: string): Promise<Lease> {
  const key = JSON.stringify([env, cwd])
  const deadline = Date.now() + LEASE_WAIT_MS
  while (lease && lease.key !== key) {
    if (Date.now() > deadline)
      throw new Error(
        `deskrun ${run} waited for other runs in process to end (another sandbox's): ${[...lease.runs].join('; ')}`,
      )
    await new Promise<void>((resolve) => {
      waiting.push(resolve)
      setTimeout(resolve, 1000).unref()
    })
  }
  lease ??= {key, runs: new Set(), overlapped: false, leave: enter(env, cwd)}
  lease.runs.add(run)
  if (lease.runs.size > 1) lease.overlapped = true
  return lease
}

function release(held: Lease, run: string): void {
  held.runs.delete(run)
  if (held.runs.size > 0) return
  held.leave()
  lease = undefined
  for (const wake of waiting.splice(0)) wake()
}

/**
 * deskrun's package.json with commands and hooks in src/ (tsx compiles them), and no manifest (it names
 * dist/): the CLI runs the source, as the tests import it, so each module exists once (the exec seam,
 * the redaction registry) and no build is needed first.
 */
const SOURCE_PJSON = (() => {
  const pjson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'))
  const toSource = (file: string) => file.replace(/^\.\/dist\//, './src/')
  pjson.oclif.commands = toSource(pjson.oclif.commands)
  pjson.oclif.helpClass = toSource(pjson.oclif.helpClass)
  for (const [event, file] of Object.entries(pjson.oclif.hooks))
    pjson.oclif.hooks[event] = toSource(file as string)
  return pjson
})()

/**
 * A fresh oclif config for each run, as each process loads its own: commands change it as they run (help
 * rewrites command ids), and it depends on HOME and the linked plugins. After the first, one takes ~10 ms.
 */
async function loadConfig(): Promise<Config> {
  // Config.load would read the root's manifest; a root plugin made here can be told not to. Given one,
  // Config.load loads no other plugin, so the core and user plugins are loaded after it, as it would.
  const root = new Plugin({
    root: REPO_ROOT,
    isRoot: true,
    pjson: structuredClone(SOURCE_PJSON),
    ignoreManifest: true,
  })
  await root.load()
  const config = await Config.load({root: REPO_ROOT, plugins: new Map([[root.name, root]])})
  await config.loadPluginsAndCommands({force: true})
  return config
}

export interface InProcessOptions {
  env: Record<string, string>
  cwd: string
  input?: string
  /** Fail the test when the run takes longer (it cannot be killed in process). */
  timeoutMs?: number
  /** Hears what the run writes to stderr, as it comes. */
  onStderr?: (text: string) => void
}

/** Runs `deskrun ...args` in this process; see the top of this file. */
export async function runInProcess(args: string[], options: InProcessOptions): Promise<InProcessResult> {
  install()
  const name = `${args.join(' ')} #${++started}`
  const held = await acquire(options.env, options.cwd, name)
  const out: string[] = []
  const err: string[] = []
  const run: Run = {
    argv: [process.execPath, path.join(REPO_ROOT, 'bin', 'run.js'), ...args],
    out,
    err,
    stdout: pipe(out),
    stderr: pipe(err, options.onStderr),
    stdin: Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]),
  }
  try {
    const main = current.run(run, async () => {
      try {
        await oclifRun(args, await loadConfig())
        await flush()
      } catch (error) {
        if (!(error instanceof ProcessExit)) await handle(error as Error)
      }
    })
    const timeoutMs = options.timeoutMs ?? 60_000
    const late = sleep(timeoutMs, 'late' as const, {ref: false})
    if ((await Promise.race([main.then(() => 'done' as const), late])) === 'late')
      throw new Error(`deskrun ${args.join(' ')} did not finish within ${timeoutMs} ms (in process)`)
    const exitCode = run.exit ?? process.exitCode ?? 0
    if (held.overlapped && run.exit === undefined && process.exitCode !== undefined)
      throw new Error(
        'Runs in process that overlap share process.exitCode, so whose it is cannot be told: ' +
          `deskrun ${args.join(' ')}. Run them one after the other, or as processes.`,
      )
    return {exitCode: Number(exitCode), stdout: out.join(''), stderr: err.join('')}
  } finally {
    release(held, name)
  }
}
