/**
 * Issue 4, "nothing lost, nothing leaked": a kind, helm, kubectl or docker call that fails, hangs or
 * dies anywhere along `add` or `up` ends the command with a message that names the step (no stack
 * trace), and the next `deskrun up` (or, when `add` stopped before saving anything, the same `add`)
 * converges to exactly what a clean run leaves; a second `up` then changes nothing.
 *
 * The matrix is complete: `fail`, `hang` and `die` at every call of the clean run, 19 calls along add
 * and 23 along up, so 126 cases (plus the two clean runs they are built from). Each case is a fresh
 * sandbox.
 *
 * Cases run ahead of their `it`, a few at a time (see `Ahead`): nearly all of a case's time is spent in
 * child processes, and a hung call waits without using the CPU, so overlapping cases keeps two cores
 * busy. The file is then bound by the CPU its processes need (about 4 s per case: three deskrun runs and
 * some 45 fake tool calls), not by waiting. No assertion depends on timing: `hang` uses `--timeout 4s`
 * only so that the runner's timeout ends it; a shorter one would save nothing (the wait overlaps other
 * cases) and would leave less margin for the calls before it on a loaded machine.
 */
import {readFile} from 'node:fs/promises'

import {expect} from 'chai'

import {unwrap, type Fault, type FakeCall, type FakeToolName, type RunResult} from '../helpers/fake-tools.js'
import {expectOk, sandbox, type Sandbox} from './support.js'

const CLUSTER = 'deskrun'
const MANAGED_BY = 'app.kubernetes.io/managed-by'
const HANG_TIMEOUT = '4s'
/** A tool handed the timeout itself (`--wait`) gets a quarter more before deskrun kills it. */
const HANG_KILL_OWN_TIMEOUT = '5s'
/**
 * Cases in flight at once. A case keeps about one core busy (deskrun waits while its tool runs), except
 * for a hung call's wait; the actions alternate, so about one case in three is waiting. 3 to 6 took the
 * same time on two cores: the cores are the limit.
 */
const AHEAD = 4
/**
 * How far past the `it` that runs cases may start: far enough that a slow case (a hang) does not hold
 * the next ones back, near enough that `--grep` for one case runs only a few others.
 */
const LOOKAHEAD = 2 * AHEAD

type Action = Fault['action']
type Calls = Record<FakeToolName, FakeCall[]>

interface Scenario {
  title: string
  /** What the sandbox holds before the command (a config). */
  prepare(s: Sandbox): Promise<void>
  run(s: Sandbox, extra: string[]): Promise<RunResult>
  /** Calls per tool of a clean run: the matrix is built from them (the first test checks them). */
  calls: Record<FakeToolName, number>
}

const ADD: Scenario = {
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
  // kind: version, get clusters, create. helm: version, list, upgrade arc, (list, upgrade) x 2.
  // kubectl: version, (get, apply) the credentials, the server's version, then (get, apply) the objects
  // of each instance.
  calls: {docker: 1, kind: 3, helm: 7, kubectl: 8},
}

/** Two installations in the config and no cluster (as after `deskrun cluster delete`): up does everything. */
const UP: Scenario = {
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
  run: (s, extra) => s.deskrun(['up', ...extra]),
  // kind: version, get clusters, create. helm: version, list controller, upgrade arc, list scale sets
  // twice (orphans, then the ones to uninstall), then (list, upgrade) per scale set. kubectl: version,
  // get configmaps and secrets (orphans), (get, apply) the credentials of each installation, the
  // server's version, then (get, apply) the objects of cached.
  calls: {docker: 1, kind: 3, helm: 9, kubectl: 10},
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

async function callsByTool(s: Sandbox): Promise<Calls> {
  const calls = await s.fake.calls()
  const of = (tool: FakeToolName) => calls.filter((call) => call.tool === tool)
  return {docker: of('docker'), kind: of('kind'), helm: of('helm'), kubectl: of('kubectl')}
}

/** The words deskrun uses for the step that made this call (see src/lib/tools). */
function stepOf(call: FakeCall): string {
  const [verb, ...rest] = call.argv
  const words = call.argv.join(' ')
  if (verb === 'version') return `ask ${call.tool} for its version`
  if (call.tool === 'kind' && words.startsWith('get clusters')) return 'list kind clusters'
  if (call.tool === 'kind' && words.startsWith('create cluster'))
    return `create the kind cluster "${CLUSTER}"`
  if (call.tool === 'helm') {
    const namespace = call.argv[call.argv.indexOf('--namespace') + 1]
    if (verb === 'list') return `list Helm releases in ${namespace}`
    if (verb === 'upgrade' && rest[1] === 'arc') return 'install the ARC controller'
    if (verb === 'upgrade') return `deploy the scale set ${rest[1]}`
  }
  if (call.tool === 'kubectl') {
    const args = call.argv.slice(2)
    // An apply reads the objects first (`get -f -`), to tell what it changed.
    if (args[0] === 'get' && args[1] !== '-f') return `list ${args[1]}`
    if (args[0] === 'version') return 'read the Kubernetes version of the cluster'
    if (args[0] === 'apply' || args[0] === 'get') {
      const items = (JSON.parse(call.stdin ?? '{}') as {items: {kind: string; metadata: any}[]}).items
      const secret = items.find((item) => item.kind === 'Secret')
      return secret
        ? `store the credentials of ${secret.metadata.labels['deskrun.io/installation']}`
        : `create the objects of ${items[0].metadata.labels['deskrun.io/instance']}`
    }
  }
  throw new Error(`faults.test.ts does not know the step of: ${call.tool} ${words}`)
}

/** What the message of a fault at this call must say. */
function expectedMessage(call: FakeCall, action: Action): string[] {
  const how =
    action === 'hang'
      ? `did not finish within ${call.argv.includes('--wait') ? HANG_KILL_OWN_TIMEOUT : HANG_TIMEOUT}`
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

interface Baseline {
  state: Snapshot
  calls: Calls
}

async function cleanRun(scenario: Scenario): Promise<Baseline> {
  const s = await sandbox()
  try {
    await scenario.prepare(s)
    expectOk(await scenario.run(s, []))
    const calls = await callsByTool(s)
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

const baselines = new Map<Scenario, Promise<Baseline>>()

/** The clean run of a scenario: run once, by the first test or case that needs it. */
function baseline(scenario: Scenario): Promise<Baseline> {
  let clean = baselines.get(scenario)
  if (!clean) {
    clean = cleanRun(scenario)
    clean.catch(() => {}) // reported by the clean run's own `it`
    baselines.set(scenario, clean)
  }
  return clean
}

interface Case {
  scenario: Scenario
  tool: FakeToolName
  call: number
  action: Action
}

/** Each call of the clean run with each action in turn, so that the hang cases are spread out. */
function casesOf(scenario: Scenario): Case[] {
  return (Object.entries(scenario.calls) as [FakeToolName, number][]).flatMap(([tool, count]) =>
    Array.from({length: count}, (_, index) =>
      (['fail', 'hang', 'die'] as const).map((action) => ({scenario, tool, call: index + 1, action})),
    ).flat(),
  )
}

async function faultCase({scenario, tool, call, action}: Case): Promise<void> {
  const clean = baseline(scenario) // needed only once the fault has struck: it runs meanwhile
  const s = await sandbox()
  try {
    await scenario.prepare(s)
    const configBefore = await readFile(s.configFile, 'utf8')
    s.fake.setFaults([{tool, call, action}])
    const failed = await scenario.run(s, action === 'hang' ? ['--timeout', HANG_TIMEOUT] : [])
    s.fake.setFaults([])
    const {state, calls} = await clean
    const target = calls[tool][call - 1]
    if (!target) throw new Error(`the clean run made no call ${call} of ${tool}: see its test`)
    const output = `exit ${failed.exitCode}\nstderr:\n${failed.stderr}`
    expect(failed.exitCode, output).to.equal(1)
    for (const part of expectedMessage(target, action)) expect(unwrap(failed.stderr), output).to.contain(part)
    expect(failed.stderr, output).not.to.match(/^\s*at .+:\d+:\d+\)?$/m)
    expect(failed.stderr, output).not.to.match(/TypeError|ReferenceError|fake \w+ crashed/)
    const fired = (await s.fake.calls()).filter((entry) => entry.fault)
    expect(fired.map((entry) => [entry.tool, entry.fault])).to.deep.equal([[tool, action]])
    // The same call as in the clean run, but for the limit `--timeout` hands the tool (4s for a hang).
    const limitless = (argv: string[]) =>
      argv.map((arg, i) => (['--timeout', '--wait'].includes(argv[i - 1]) && /^\d/.test(arg) ? 'LIMIT' : arg))
    expect(limitless(fired[0].argv)).to.deep.equal(limitless(target.argv))

    // Nothing lost: the config still loads; what add saved is marked not deployed.
    const config = await s.config()
    const saved = config.installations.multi
    if (scenario === UP) expect(await readFile(s.configFile, 'utf8')).to.equal(configBefore)
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

/**
 * Starts cases ahead of their `it`, so that mocha's serial tests overlap: in order, at most AHEAD at a
 * time and at most LOOKAHEAD past the `it` that runs. A slot is refilled as soon as any case ends, so a
 * slow case at the head does not hold the next ones back; one queue serves both scenarios, so the second
 * one's first cases run while the first one's last ones finish.
 */
class Ahead {
  private readonly outcomes: Promise<void>[]
  private readonly starts: (() => void)[] = []
  /** The first case not started yet. */
  private next = 0
  /** The case whose `it` runs. */
  private head = 0
  private running = 0

  constructor(jobs: (() => Promise<void>)[]) {
    this.outcomes = jobs.map((job, index) => {
      const outcome = new Promise<void>((start) => (this.starts[index] = start)).then(job).finally(() => {
        this.running--
        this.fill()
      })
      outcome.catch(() => {}) // reported by its own `it`
      return outcome
    })
  }

  /** The outcome of case `index`; it starts now, or as soon as a slot is free. */
  run(index: number): Promise<void> {
    this.head = index
    this.next = Math.max(this.next, index) // cases whose `it` did not run (--grep) are not started
    this.fill()
    return this.outcomes[index]
  }

  private fill(): void {
    const end = Math.min(this.head + LOOKAHEAD, this.starts.length)
    while (this.running < AHEAD && this.next < end) {
      this.running++
      this.starts[this.next++]()
    }
  }
}

const cases = [ADD, UP].flatMap(casesOf)
const ahead = new Ahead(cases.map((entry) => () => faultCase(entry)))

for (const scenario of [ADD, UP]) {
  describe(`faults along ${scenario.title}`, function () {
    this.timeout(180_000)

    it('a clean run: records the calls of each tool and the state it leaves', async () => {
      const {calls, state} = await baseline(scenario)
      const counts = Object.fromEntries(Object.entries(calls).map(([tool, calls]) => [tool, calls.length]))
      expect(counts, 'calls per tool (update `calls` above)').to.deep.equal(scenario.calls)
      expect(state.releases).to.have.length(3)
      for (const call of Object.values(calls).flat()) stepOf(call)
    })

    for (const [index, {tool, call, action}] of cases.entries())
      if (cases[index].scenario === scenario) it(`${action} at ${tool} call ${call}`, () => ahead.run(index))
  })
}
