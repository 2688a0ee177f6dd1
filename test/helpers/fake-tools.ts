/**
 * A sandbox for tests that drive deskrun (or the fakes themselves) against the fake kind, helm, kubectl and
 * docker in test/fake-tools. PATH holds only the sandbox's bin folder (symlinks to the chosen fakes and to
 * this node), so a real docker on the machine is never reached.
 *
 * deskrun and the fakes run in this process (in-process.ts, fake-exec.ts) unless the sandbox is made with
 * `processes: true`: then `run` and `start` spawn `node bin/run.js` (against dist/: build first) and every
 * tool call is a process of test/fake-tools/bin, as on a user's machine. Both share one world and call log.
 */
import {existsSync, mkdirSync, symlinkSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {execa, type Result} from 'execa'

import {
  addRemoteCluster,
  assignJob,
  denyInCluster,
  setLaunchdJob,
  setReleaseStatus,
  setSystemdBooted,
  setUnitState,
  writePodLog,
} from '../fake-tools/lib/state.js'
import {callFake, FAKES_BIN, type FakeToolName} from './fake-exec.js'
import {runInProcess} from './in-process.js'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const DESKRUN_BIN = path.join(REPO_ROOT, 'bin', 'run.js')
/** Read now: while deskrun runs in process, TMPDIR is the sandbox's. */
const TEMP = os.tmpdir()
/**
 * The fakes rewrite their world at every call (a new file, renamed over the old one). On a tmpfs that
 * costs nothing; on ext4 each such rename waits for the disk, a third of a fault case's time. Only the
 * world goes there: deskrun's own files stay on the disk (doctor judges the cache root's filesystem).
 */
const STATE_TEMP = existsSync('/dev/shm') ? '/dev/shm' : TEMP

export type {FakeToolName}
/** The fakes a sandbox puts on PATH unless told otherwise: what deskrun drives clusters with. */
export const ALL_FAKE_TOOLS = ['docker', 'helm', 'kind', 'kubectl'] as const satisfies readonly FakeToolName[]
export type ClusterToolName = (typeof ALL_FAKE_TOOLS)[number]

/** One entry of FAKE_TOOLS_FAULTS: the `call`-th invocation of `tool`, or calls whose argv contains `match`. */
export interface Fault {
  tool?: FakeToolName
  call?: number
  match?: string
  /** How many matching calls fail (default 1); only with `match`. */
  times?: number
  action: 'fail' | 'hang' | 'die' | 'hold'
  /** For `hold`: the call waits until this file exists (and creates `<gate>.held` when it starts waiting). */
  gate?: string
}

/** A line of calls.jsonl. `exit` is null for calls that hung or died. */
export interface FakeCall {
  tool: FakeToolName
  argv: string[]
  stdin: string | null
  /** The environment the call ran with. */
  env: Record<string, string>
  exit: number | null
  time: string
  fault?: Fault['action']
}

export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: {
    name: string
    namespace?: string
    uid: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    finalizers?: string[]
    deletionTimestamp?: string
    [key: string]: unknown
  }
  [key: string]: unknown
}

export interface FakeNode {
  name: string
  role: 'control-plane' | 'worker'
  image: string
  extraMounts: {hostPath: string; containerPath: string; readOnly?: boolean}[]
}

export interface FakeCluster {
  name: string
  created: string
  image: string
  /** The parsed kind config the cluster was created with. */
  config: Record<string, unknown>
  nodes: FakeNode[]
  port: number
}

export interface FakeRevision {
  revision: number
  status: string
  chartName: string
  version: string
  /** User-supplied values (what `helm get values` prints); null when none were given. */
  values: Record<string, unknown> | null
  labels: Record<string, string>
  updated: string
  description: string
  resources: {kind: string; namespace?: string; name: string}[]
  manifest: string
  /** The runner pod template the chart rendered (scale sets) or the controller's pod spec. */
  podTemplate:
    {metadata?: Record<string, unknown>; spec: Record<string, unknown>} | Record<string, unknown> | null
}

/** A release with its latest revision's fields on top, shaped like `helm list -o json` plus extras. */
export interface FakeRelease {
  cluster: string
  name: string
  namespace: string
  revision: number
  status: string
  chart: string
  app_version: string
  values: Record<string, unknown> | null
  labels: Record<string, string>
  podTemplate: FakeRevision['podTemplate']
  revisions: FakeRevision[]
}

export interface RunResult {
  /** undefined when the process was killed (timeout, SIGKILL). */
  exitCode: number | undefined
  stdout: string
  stderr: string
  timedOut: boolean
  signal: string | undefined
}

export interface EnvOptions {
  /** Fakes left out of PATH (e.g. ['kind'] for a "kind is missing" test). */
  omit?: FakeToolName[]
  /** FAKE_TOOLS_FAULTS for this environment (overrides the sandbox's). */
  faults?: Fault[]
  /** Extra variables; undefined removes one. */
  extra?: Record<string, string | undefined>
}

export interface RunOptions extends EnvOptions {
  input?: string
  /** Give the process a stdin pipe that stays open (a writer that never finishes); processes only. */
  openStdin?: boolean
  /** Kill the process after this long (default 60 s); in process, fail the test then. */
  timeoutMs?: number
}

/** oclif wraps warnings and errors at the terminal width behind " ›   ": one line again. */
export const unwrap = (text: string) =>
  text
    .replaceAll(/\s*›\s*/g, ' ')
    .replaceAll(/\s+/g, ' ')
    .trim()

/** A deskrun started with `start()`. */
export interface Running {
  result: Promise<RunResult>
  /** The process id (processes only). */
  pid?: number
  kill(signal: NodeJS.Signals): void
  /** Resolves once its stderr (unwrapped, see `unwrap`) holds `text`; rejects if it exits first. */
  printed(text: string): Promise<void>
}

/** What `start` needs from a run: its result, its stderr so far, and how to signal it (processes only). */
interface Started {
  result: Promise<RunResult>
  pid?: number
  onStderr: (listener: () => void) => void
  stderr: () => string
  kill(signal: NodeJS.Signals): void
}

export interface SandboxOptions {
  /** Fakes on PATH (default all four). */
  tools?: readonly FakeToolName[]
  faults?: Fault[]
  env?: Record<string, string>
  /** Run deskrun and the fakes as processes (bin/run.js against dist/, test/fake-tools/bin). */
  processes?: boolean
}

type RawCluster = FakeCluster & {
  objects: KubeObject[]
  releases: {name: string; namespace: string; revisions: FakeRevision[]}[]
}

interface RawState {
  clusters: Record<string, RawCluster>
  /** Clusters kind did not make (addRemoteCluster). */
  remote?: Record<string, RawCluster>
}

/** Every cluster the fakes know: kind's and the remote ones. */
const allClusters = (state: RawState) => [
  ...Object.values(state.clusters),
  ...Object.values(state.remote ?? {}),
]

export class FakeTools {
  readonly homeDir: string
  /** DESKRUN_HOME: `<home>/.deskrun`, where deskrun keeps config.json. */
  readonly deskrunHome: string
  readonly binDir: string
  readonly processes: boolean
  private faults: Fault[]

  private constructor(
    readonly root: string,
    /** FAKE_TOOLS_STATE: the fakes' world and call log. */
    readonly stateDir: string,
    private readonly tools: readonly FakeToolName[],
    options: SandboxOptions,
    private readonly baseEnv: Record<string, string>,
  ) {
    this.homeDir = path.join(root, 'home')
    this.deskrunHome = path.join(this.homeDir, '.deskrun')
    this.binDir = path.join(root, 'bin')
    this.faults = options.faults ?? []
    this.processes = options.processes ?? false
  }

  static async create(options: SandboxOptions = {}): Promise<FakeTools> {
    const root = await mkdtemp(path.join(TEMP, 'deskrun-fakes-'))
    const stateDir = await mkdtemp(path.join(STATE_TEMP, 'deskrun-fake-state-')).catch(() =>
      path.join(root, 'state'),
    )
    const sandbox = new FakeTools(root, stateDir, options.tools ?? ALL_FAKE_TOOLS, options, options.env ?? {})
    await Promise.all(
      [stateDir, path.join(root, 'home'), path.join(root, 'tmp')].map((dir) => mkdir(dir, {recursive: true})),
    )
    sandbox.binFor(sandbox.tools)
    return sandbox
  }

  /** Faults every later env()/run()/tool() uses unless they pass their own. */
  setFaults(faults: Fault[]): void {
    this.faults = faults
  }

  /** The environment deskrun (or a fake) runs in: nothing from the real environment leaks in. */
  env(options: EnvOptions = {}): Record<string, string> {
    const tools = this.tools.filter((tool) => !options.omit?.includes(tool))
    const faults = options.faults ?? this.faults
    const env: Record<string, string | undefined> = {
      PATH: this.binFor(tools),
      HOME: this.homeDir,
      DESKRUN_HOME: this.deskrunHome,
      FAKE_TOOLS_STATE: this.stateDir,
      // deskrun hands its tools only an allow-listed environment: the fakes need these as well.
      DESKRUN_PASS_ENV: 'FAKE_TOOLS_STATE FAKE_TOOLS_FAULTS FAKE_DOCKER_DOWN FAKE_TOOLS_LATENCY',
      TMPDIR: path.join(this.root, 'tmp'),
      CI: '1',
      NO_COLOR: '1',
      TERM: 'dumb',
      LANG: 'C.UTF-8',
      ...(faults.length ? {FAKE_TOOLS_FAULTS: JSON.stringify(faults)} : {}),
      ...this.baseEnv,
      ...options.extra,
    }
    return Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    )
  }

  /** Runs the deskrun CLI in the sandbox (in process, or `node bin/run.js ...args`). */
  async run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    if (this.processes)
      return toRunResult(await this.spawn(process.execPath, [DESKRUN_BIN, ...args], options))
    return {...(await this.inProcess(args, options)), timedOut: false, signal: undefined}
  }

  /** Starts deskrun in the background: watch its stderr, signal it (processes only), then await its result. */
  start(args: string[], options: RunOptions = {}): Running {
    const started = this.processes ? this.startProcess(args, options) : this.startInProcess(args, options)
    let exited = false
    void started.result.then(() => (exited = true))
    return {
      result: started.result,
      pid: started.pid,
      kill: (signal) => started.kill(signal),
      printed: (text) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (unwrap(started.stderr()).includes(text)) resolve()
            else if (exited)
              reject(
                new Error(
                  `deskrun ${args.join(' ')} exited without printing "${text}":\n${started.stderr()}`,
                ),
              )
          }
          started.onStderr(check)
          void started.result.then(check)
          check()
        }),
    }
  }

  /** Runs one fake directly, as deskrun would find it on PATH (a process of it with `processes`). */
  async tool(tool: FakeToolName, args: string[], options: RunOptions = {}): Promise<RunResult> {
    if (this.processes) return toRunResult(await this.spawn(path.join(this.binDir, tool), args, options))
    const {outcome, timedOut} = await callFake(tool, args, {
      input: options.input,
      env: this.env(options),
      timeoutMs: options.timeoutMs ?? 60_000,
    })
    return {
      exitCode: outcome.exitCode ?? undefined,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      timedOut,
      signal: outcome.signal,
    }
  }

  async calls(tool?: FakeToolName): Promise<FakeCall[]> {
    let text = ''
    try {
      text = await readFile(path.join(this.stateDir, 'calls.jsonl'), 'utf8')
    } catch {
      return []
    }
    const calls = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as FakeCall)
    return tool ? calls.filter((call) => call.tool === tool) : calls
  }

  async clusters(): Promise<FakeCluster[]> {
    const state = await this.state()
    return Object.values(state.clusters).map(({name, created, image, config, nodes, port}) => ({
      name,
      created,
      image,
      config,
      nodes,
      port,
    }))
  }

  async releases(cluster?: string): Promise<FakeRelease[]> {
    const state = await this.state()
    return allClusters(state)
      .filter((c) => cluster === undefined || c.name === cluster)
      .flatMap((c) =>
        c.releases.map((release) => {
          const latest = release.revisions[release.revisions.length - 1]
          return {
            cluster: c.name,
            name: release.name,
            namespace: release.namespace,
            revision: latest.revision,
            status: latest.status,
            chart: `${latest.chartName}-${latest.version}`,
            app_version: latest.version,
            values: latest.values,
            labels: latest.labels,
            podTemplate: latest.podTemplate,
            revisions: release.revisions,
          }
        }),
      )
  }

  async objects(cluster: string, filter: {kind?: string; namespace?: string} = {}): Promise<KubeObject[]> {
    const state = await this.state()
    return (allClusters(state).find((c) => c.name === cluster)?.objects ?? []).filter(
      (o) =>
        (!filter.kind || o.kind === filter.kind) &&
        (filter.namespace === undefined || o.metadata.namespace === filter.namespace),
    )
  }

  /** Leaves a release the way an interrupted helm would (pending-install, pending-upgrade, failed, ...). */
  async setReleaseStatus(cluster: string, namespace: string, release: string, status: string): Promise<void> {
    setReleaseStatus(this.stateDir, cluster, namespace, release, status)
  }

  /** GitHub assigns a job to this runner (an EphemeralRunner), or with `null` the job is done. */
  async assignJob(
    cluster: string,
    runner: string,
    job: Parameters<typeof assignJob>[3],
    phase?: string,
  ): Promise<void> {
    assignJob(this.stateDir, cluster, runner, job, phase)
  }

  /** Lines a container of a pod wrote to its log, for `kubectl logs` to show. */
  async writePodLog(
    cluster: string,
    pod: {namespace: string; name: string; container: string},
    lines: string[],
  ): Promise<void> {
    writePodLog(this.stateDir, cluster, pod.namespace, pod.name, pod.container, lines)
  }

  /** How the command of a systemd user unit ended (the fake systemctl runs none): active, failed, ... */
  async setUnitState(unit: string, state: string): Promise<void> {
    setUnitState(this.stateDir, unit, state)
  }

  /** Whether systemd is PID 1 here (false: a container, WSL without systemd; systemctl then works offline). */
  async setSystemdBooted(booted: boolean): Promise<void> {
    setSystemdBooted(this.stateDir, booted)
  }

  /** How a launchd agent's program ended (the fake launchctl runs none). */
  async setLaunchdJob(label: string, job: {state: string; lastExitCode?: number}): Promise<void> {
    setLaunchdJob(this.stateDir, label, job)
  }

  /** A cluster kind did not make (say a homelab k3s), reachable through kube context `context`. */
  async addRemoteCluster(spec: Parameters<typeof addRemoteCluster>[1]): Promise<void> {
    addRemoteCluster(this.stateDir, spec)
  }

  /** What `kubectl auth can-i` answers "no" to in this cluster (`create namespaces`, ...). */
  async deny(cluster: string, denied: string[]): Promise<void> {
    denyInCluster(this.stateDir, cluster, denied)
  }

  async cleanup(): Promise<void> {
    await rm(this.root, {recursive: true, force: true})
    await rm(this.stateDir, {recursive: true, force: true})
  }

  private async state(): Promise<RawState> {
    try {
      return JSON.parse(await readFile(path.join(this.stateDir, 'state.json'), 'utf8')) as RawState
    } catch {
      return {clusters: {}}
    }
  }

  /** The bin folder holding exactly these fakes (symlinks) plus `node` for their shebang; made on first use. */
  private binFor(tools: readonly FakeToolName[]): string {
    const same = tools.length === this.tools.length && tools.every((tool) => this.tools.includes(tool))
    const dir = same ? this.binDir : path.join(this.root, `bin-${[...tools].sort().join('-') || 'none'}`)
    if (existsSync(path.join(dir, 'node'))) return dir
    mkdirSync(dir, {recursive: true})
    symlinkSync(process.execPath, path.join(dir, 'node'))
    for (const tool of tools) symlinkSync(path.join(FAKES_BIN, tool), path.join(dir, tool))
    return dir
  }

  private inProcess(args: string[], options: RunOptions, onStderr?: (text: string) => void) {
    return runInProcess(args, {
      env: this.env(options),
      cwd: this.homeDir,
      input: options.input,
      timeoutMs: options.timeoutMs,
      onStderr,
    })
  }

  private startInProcess(args: string[], options: RunOptions): Started {
    let stderr = ''
    const listeners: (() => void)[] = []
    const result = this.inProcess(args, {timeoutMs: 120_000, ...options}, (text) => {
      stderr += text
      for (const listener of listeners) listener()
    }).then((done) => ({...done, timedOut: false, signal: undefined}))
    return {
      result,
      stderr: () => stderr,
      onStderr: (listener) => void listeners.push(listener),
      kill: () => {
        throw new Error('A deskrun in process cannot be signalled: make the sandbox with {processes: true}.')
      },
    }
  }

  private startProcess(args: string[], options: RunOptions): Started {
    const child = this.spawn(process.execPath, [DESKRUN_BIN, ...args], {timeoutMs: 120_000, ...options})
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    return {
      result: child.then(toRunResult),
      pid: child.pid,
      stderr: () => stderr,
      onStderr: (listener) => void child.stderr.on('data', listener),
      kill: (signal) => void child.kill(signal),
    }
  }

  private spawn(file: string, args: string[], options: RunOptions) {
    return execa(file, args, {
      env: this.env(options),
      extendEnv: false,
      cwd: this.homeDir,
      input: options.input,
      stdin: options.input === undefined && !options.openStdin ? 'ignore' : 'pipe',
      timeout: options.timeoutMs ?? 60_000,
      reject: false,
      stripFinalNewline: false,
    })
  }
}

function toRunResult(done: Result): RunResult {
  return {
    exitCode: done.exitCode,
    stdout: String(done.stdout ?? ''),
    stderr: String(done.stderr ?? ''),
    timedOut: Boolean(done.timedOut),
    signal: done.signal,
  }
}
