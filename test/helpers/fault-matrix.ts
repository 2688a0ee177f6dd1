/**
 * Issue 4, "nothing lost, nothing leaked": a kind, helm, kubectl or docker call that fails, hangs or
 * dies anywhere along `add` or `up` ends the command with a message that names the step (no stack
 * trace), and the next `deskrun up` (or, when `add` stopped before saving anything, the same `add`)
 * converges to exactly what a clean run leaves; a second `up` then changes nothing.
 *
 * The matrix is complete: `fail`, `hang` and `die` at every call of the clean run, 11 calls along add
 * and 11 along up from nothing, 10 along up after an edit of a running cluster's config, so 96 cases
 * (plus the three clean runs they are built from). Each case is a fresh sandbox.
 * test/cli/faults.test.ts runs it in process, test/process/faults.test.ts as processes.
 */
import {readFile} from 'node:fs/promises'

import {expect} from 'chai'

import {expectOk, sandbox, type Sandbox} from '../cli/support.js'
import {
  unwrap,
  type ClusterToolName as FakeToolName,
  type Fault,
  type FakeCall,
  type RunResult,
} from './fake-tools.js'

const CLUSTER = 'deskrun'
const MANAGED_BY = 'app.kubernetes.io/managed-by'
export type Action = Fault['action']
type Calls = Record<FakeToolName, FakeCall[]>

export interface Scenario {
  title: string
  /** What the sandbox holds before the command (a config). */
  prepare(s: Sandbox): Promise<void>
  run(s: Sandbox, extra: string[]): Promise<RunResult>
  /** Calls per tool of a clean run: the matrix is built from them (the first test checks them). */
  calls: Record<FakeToolName, number>
  /** Helm releases a clean run leaves. */
  releases: number
}

export const ADD: Scenario = {
  title: 'add multi --mode cached-privileged-kubernetes --cache /var/lib/docker --instances 2',
  async prepare() {},
  run: (s, extra) =>
    s.add(
      'multi',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/var/lib/docker',
      '--instances',
      '2',
      ...extra,
    ),
  // docker: version, inspect the node (none), inspect it once created (its image tells the Kubernetes
  // version). kind: version, create. helm: version, upgrade arc, upgrade each instance. kubectl: version,
  // one apply of the credentials and both instances' objects.
  calls: {docker: 3, kind: 2, helm: 4, kubectl: 2},
  releases: 3,
}

/** Two installations in the config and no cluster (as after `deskrun cluster delete`): up does everything. */
export const UP: Scenario = {
  title: 'up from a config with two installations and no cluster',
  async prepare(s) {
    await s.writeInstallations({
      solo: {Name: 'solo', Deployed: false, MaxRunners: 3, Instances: 1},
      cached: {
        Name: 'cached',
        Deployed: false,
        ContainerMode: 'cached-privileged-kubernetes',
        MinRunners: 0,
        MaxRunners: 1,
        Instances: 1,
        CachePaths: [{Target: '/var/lib/docker'}],
      },
    })
  },
  // One scale set at a time, so that the n-th helm call is the same in every run.
  run: (s, extra) => s.deskrun(['up', '--concurrency', '1', ...extra]),
  // As for add: there is no cluster to read, so the plan is to create everything. docker: version,
  // inspect (none), inspect once created. kind: version, create. helm: version, upgrade arc, upgrade
  // each scale set. kubectl: version, one apply of both installations' objects.
  calls: {docker: 3, kind: 2, helm: 4, kubectl: 2},
  releases: 3,
}

/**
 * A running cluster and a config edited since its last `up`: one installation removed (its scale set
 * uninstalled, its objects deleted), one changed (upgraded), one added (credentials applied, installed),
 * one as it was. The calls of `prepare` do not count: the matrix strikes the calls of this `up` only.
 */
export const CHANGE: Scenario = {
  title: 'up after editing the config of a running cluster',
  async prepare(s) {
    const keep = {Name: 'keep', MaxRunners: 2}
    const gone = {
      Name: 'gone',
      ContainerMode: 'cached-privileged-kubernetes',
      MinRunners: 0,
      MaxRunners: 1,
      CachePaths: [{Target: '/var/lib/docker'}],
    }
    await s.writeInstallations({keep, grow: {Name: 'grow', MaxRunners: 2}, gone})
    expectOk(await s.deskrun(['up']))
    await s.writeInstallations({keep, grow: {Name: 'grow', MaxRunners: 4}, fresh: {Name: 'fresh'}})
  },
  run: (s, extra) => s.deskrun(['up', '--concurrency', '1', ...extra]),
  // docker: version, inspect the node (kind, helm and kubectl's versions are remembered). kubectl: the
  // two reads, one apply of fresh's credentials, then deleting gone's secret and configmap. helm: install
  // fresh, upgrade grow, uninstall gone.
  calls: {docker: 2, kind: 0, helm: 3, kubectl: 5},
  releases: 4,
}

interface Snapshot {
  clusters: unknown[]
  releases: unknown[]
  runnerSets: string[]
  owned: unknown[]
  installations: unknown
}

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b))

/** What a run leaves: the cluster, releases, scale sets, deskrun's objects and the config's installations. */
async function snapshot(s: Sandbox): Promise<Snapshot> {
  const objects = await s.fake.objects(CLUSTER)
  const state: Snapshot = {
    clusters: (await s.fake.clusters()).map((cluster) => ({
      name: cluster.name,
      mounts: cluster.nodes.map((node) => node.extraMounts),
    })),
    releases: (await s.fake.releases())
      .map(({cluster, namespace, name, status, chart, values, labels}) => ({
        cluster,
        namespace,
        name,
        status,
        chart,
        values,
        labels,
      }))
      .sort(byJson),
    runnerSets: objects
      .filter((object) => object.kind === 'AutoscalingRunnerSet')
      .map((object) => `${object.metadata.namespace}/${object.metadata.name}`)
      .sort(),
    owned: objects
      .filter((object) => ['ConfigMap', 'Secret'].includes(object.kind))
      .filter((object) => object.metadata.labels?.[MANAGED_BY] === 'deskrun')
      .map(({kind, metadata, data, stringData}) => ({
        kind,
        namespace: metadata.namespace,
        name: metadata.name,
        labels: metadata.labels,
        data,
        stringData,
      }))
      .sort(byJson),
    installations: (await s.config()).installations,
  }
  // Each sandbox has its own folder (the cache root lies in it).
  return JSON.parse(JSON.stringify(state).replaceAll(s.fake.root, '<sandbox>')) as Snapshot
}

/** The same installations with the same fields as before, but for `Deployed` (saving may add defaults). */
function expectSameEntries(after: Config, before: Config): void {
  expect(Object.keys(after.installations)).to.have.members(Object.keys(before.installations))
  for (const [name, entry] of Object.entries(before.installations)) {
    const fields = Object.keys(entry).filter((key) => key !== 'Deployed')
    const now = after.installations[name] as Record<string, unknown>
    expect(Object.fromEntries(fields.map((key) => [key, now[key]])), name).to.deep.equal(
      Object.fromEntries(fields.map((key) => [key, (entry as Record<string, unknown>)[key]])),
    )
  }
}

type Config = {installations: Record<string, object>}

async function callsByTool(s: Sandbox): Promise<Calls> {
  const calls = await s.fake.calls()
  const of = (tool: FakeToolName) => calls.filter((call) => call.tool === tool)
  return {docker: of('docker'), kind: of('kind'), helm: of('helm'), kubectl: of('kubectl')}
}

/** The words deskrun uses for the step that made this call (see src/lib/tools). */
export function stepOf(call: FakeCall): string {
  const [verb, ...rest] = call.argv
  const words = call.argv.join(' ')
  if (verb === 'version') return `ask ${call.tool} for its version`
  if (call.tool === 'kind' && words.startsWith('get clusters')) return 'list kind clusters'
  if (call.tool === 'docker' && verb === 'inspect') return `inspect the container ${rest[0]}`
  if (call.tool === 'kind' && words.startsWith('create cluster'))
    return `create the kind cluster "${CLUSTER}"`
  if (call.tool === 'helm') {
    const namespace = call.argv[call.argv.indexOf('--namespace') + 1]
    if (verb === 'list') return `list Helm releases in ${namespace}`
    if (verb === 'upgrade' && rest[1] === 'arc') return 'install the ARC controller'
    if (verb === 'upgrade') return `deploy the scale set ${rest[1]}`
    if (verb === 'uninstall') return `uninstall the Helm release ${rest[0]}`
  }
  if (call.tool === 'kubectl') {
    const args = call.argv.slice(2)
    // An apply reads the objects first (`get -f -`), to tell what it changed.
    if (args[0] === 'version') return 'read the Kubernetes version of the cluster'
    if (args[0] === 'apply') return 'store the credentials and objects of the scale sets'
    if (args[0] === 'get' && args[1] === 'secrets,configmaps')
      return 'read what deskrun deployed in arc-runners'
    if (args[0] === 'get' && args.includes('arc-systems')) return 'read the release of the ARC controller'
    if (args[0] === 'delete') return `delete ${args[1]} ${args[2]}`
    if (args[0] === 'get' && args[1] !== '-f') return `list ${args[1]}`
  }
  throw new Error(`fault-matrix.ts does not know the step of: ${call.tool} ${words}`)
}

/** What the message of a fault at this call must say. */
function expectedMessage(call: FakeCall, action: Action, options: MatrixOptions): string[] {
  const how =
    action === 'hang'
      ? `did not finish within ${call.argv.includes('--wait') ? options.hangKillOwnTimeout : options.hangTimeout}`
      : action === 'die'
        ? 'was killed (SIGKILL)'
        : 'exited with code 1'
  if (call.argv[0] === 'version') {
    // A prerequisite check: the tool, what is wrong with it, and for a hang the call that hung.
    const title = call.tool === 'docker' ? 'Docker' : call.tool
    const found =
      action === 'hang'
        ? `Could not ask ${title} for its version: ${call.tool} ${how}`
        : action === 'die'
          ? 'killed (SIGKILL)'
          : 'Error: injected failure'
    return [`✗ ${title}:`, call.tool === 'docker' ? `not reachable: ${found}` : `does not run: ${found}`]
  }
  return [`Could not ${stepOf(call)}: ${call.tool} ${how}`]
}

export interface Baseline {
  state: Snapshot
  calls: Calls
}

export interface Case {
  scenario: Scenario
  tool: FakeToolName
  call: number
  action: Action
}

/** Each call of the clean run with each action in turn, so that the hang cases are spread out. */
export function casesOf(scenario: Scenario): Case[] {
  return (Object.entries(scenario.calls) as [FakeToolName, number][]).flatMap(([tool, count]) =>
    Array.from({length: count}, (_, index) =>
      (['fail', 'hang', 'die'] as const).map((action) => ({scenario, tool, call: index + 1, action})),
    ).flat(),
  )
}

export interface MatrixOptions {
  /** deskrun and the fakes as processes, or in process. */
  processes: boolean
  /**
   * `--timeout` for the hang cases: the runner's timeout ends the hung call. In process every call that
   * does not hang returns before any timer fires, so it can be short; processes need room on a loaded
   * machine for the calls before it.
   */
  hangTimeout: string
  /** What the message says for a hung tool that was handed the limit itself (`--wait`): a quarter more. */
  hangKillOwnTimeout: string
}

/** The clean runs and the fault cases of the scenarios, in one mode. */
export class FaultMatrix {
  readonly cases = [ADD, UP, CHANGE].flatMap(casesOf)
  private readonly baselines = new Map<Scenario, Promise<Baseline>>()

  constructor(private readonly options: MatrixOptions) {}

  /** The clean run of a scenario: run once, by the first test or case that needs it. */
  baseline(scenario: Scenario): Promise<Baseline> {
    let clean = this.baselines.get(scenario)
    if (!clean) {
      clean = this.cleanRun(scenario)
      clean.catch(() => {}) // reported by the clean run's own `it`
      this.baselines.set(scenario, clean)
    }
    return clean
  }

  /** The clean run's test: the calls per tool are those the matrix is built from. */
  async checkBaseline(scenario: Scenario): Promise<void> {
    const {calls, state} = await this.baseline(scenario)
    const counts = Object.fromEntries(Object.entries(calls).map(([tool, calls]) => [tool, calls.length]))
    expect(counts, 'calls per tool (update `calls` in test/helpers/fault-matrix.ts)').to.deep.equal(
      scenario.calls,
    )
    expect(state.releases).to.have.length(scenario.releases)
    for (const call of Object.values(calls).flat()) stepOf(call)
  }

  /** A case: the fault strikes, then the next command converges to what the clean run left. */
  async faultCase(entry: Case): Promise<void> {
    const {scenario, tool, call} = entry
    const clean = this.baseline(scenario) // needed only once the fault has struck: it runs meanwhile
    const s = await sandbox({processes: this.options.processes})
    try {
      const {fired, configBefore} = await this.strike(s, entry)
      const {state, calls} = await clean
      if (!calls[tool][call - 1])
        throw new Error(`the clean run made no call ${call} of ${tool}: see its test`)
      // A call of the clean run, but for the limit `--timeout` hands the tool (shorter for a hang). Calls
      // that run side by side (scale sets, the reads of the cluster) start in either order between
      // processes, so the n-th call is one of the clean run's calls, not always the n-th of it.
      const limitless = (argv: string[]) =>
        argv.map((arg, i) =>
          ['--timeout', '--wait'].includes(argv[i - 1]) && /^\d/.test(arg) ? 'LIMIT' : arg,
        )
      expect(
        calls[tool].map((one) => limitless(one.argv)),
        'the fault struck a call of the clean run',
      ).to.deep.include(limitless(fired.argv))

      // Nothing lost: the config still loads; what add saved is marked not deployed; up changes no more
      // than which installations are deployed (those whose scale sets all made it).
      const config = await s.config()
      const saved = config.installations.multi
      if (scenario !== ADD) expectSameEntries(config as Config, JSON.parse(configBefore) as Config)
      else if (saved) expect(saved.Deployed).to.equal(false)

      // add stops before saving when a prerequisite fails: then the user runs the same add again.
      expectOk(scenario === ADD && !saved ? await scenario.run(s, []) : await s.deskrun(['up']))
      const again = await s.deskrun(['up', '--json'])
      expectOk(again)
      expect(JSON.parse(again.stdout).changed).to.deep.equal([])
      expect(await snapshot(s)).to.deep.equal(state)
      await s.expectNoLeaks()
    } finally {
      await s.fake.cleanup()
    }
  }

  /** Only how the command with the fault ends (the recovery is the same in process and as processes). */
  async strikeOnly(entry: Case): Promise<void> {
    const s = await sandbox({processes: this.options.processes})
    try {
      await this.strike(s, entry)
      await s.expectNoLeaks()
    } finally {
      await s.fake.cleanup()
    }
  }

  /** Runs the scenario with the fault: exit 1, a message that names the step, no stack trace. */
  private async strike(s: Sandbox, {scenario, tool, call, action}: Case) {
    await scenario.prepare(s)
    const configBefore = await readFile(s.configFile, 'utf8')
    // Calls are counted from the sandbox's first: those of `prepare` come before.
    const before = (await s.fake.calls(tool)).length
    s.fake.setFaults([{tool, call: before + call, action}])
    const failed = await scenario.run(s, action === 'hang' ? ['--timeout', this.options.hangTimeout] : [])
    s.fake.setFaults([])
    const struck = (await s.fake.calls()).filter((entry) => entry.fault)
    expect(struck.map((entry) => [entry.tool, entry.fault])).to.deep.equal([[tool, action]])
    const [fired] = struck
    const output = `exit ${failed.exitCode}\nstderr:\n${failed.stderr}`
    expect(failed.exitCode, output).to.equal(1)
    for (const part of expectedMessage(fired, action, this.options))
      expect(unwrap(failed.stderr), output).to.contain(part)
    expect(failed.stderr, output).not.to.match(/^\s*at .+:\d+:\d+\)?$/m)
    expect(failed.stderr, output).not.to.match(/TypeError|ReferenceError|fake \w+ crashed/)
    return {fired, configBefore}
  }

  private async cleanRun(scenario: Scenario): Promise<Baseline> {
    const s = await sandbox({processes: this.options.processes})
    try {
      await scenario.prepare(s)
      const before = await callsByTool(s)
      expectOk(await scenario.run(s, []))
      const all = await callsByTool(s)
      const calls = Object.fromEntries(
        Object.entries(all).map(([tool, list]) => [tool, list.slice(before[tool as FakeToolName].length)]),
      ) as Calls
      const state = await snapshot(s)
      const again = await s.deskrun(['up', '--json'])
      expectOk(again)
      expect(JSON.parse(again.stdout).changed).to.deep.equal([])
      await s.expectNoLeaks()
      return {state, calls}
    } finally {
      await s.fake.cleanup()
    }
  }
}
