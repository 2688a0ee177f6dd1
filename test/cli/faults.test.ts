/**
 * Issue 4, "nothing lost, nothing leaked": a kind, helm, kubectl or docker call that fails, hangs or
 * dies anywhere along `add` or `up` ends the command with a message that names the step (no stack
 * trace), and the next `deskrun up` (or, when `add` stopped before saving anything, the same `add`)
 * converges to exactly what a clean run leaves; a second `up` then changes nothing.
 *
 * The matrix: `fail` at every call of the clean run (15 along add, 19 along up). `hang` and `die` at a
 * spread of 5 calls each: cluster creation, the controller and a scale set install (helm upgrade),
 * kubectl (credentials, or the orphan listing) and a prerequisite check or a listing. Every call for
 * them too would be 48 more cases, about three more minutes on two cores; the spread covers every kind
 * of step.
 *
 * Each case is a fresh sandbox; a few cases run ahead of their `it` (see `Ahead`) so the file stays
 * within a few minutes. No assertion depends on timing: `hang` uses `--timeout 4s` only so that the
 * runner's timeout ends it.
 */
import {readFile, writeFile} from 'node:fs/promises'

import {expect} from 'chai'

import type {Fault, FakeCall, FakeToolName, RunResult} from '../helpers/fake-tools.js'
import {TOKEN, expectOk, sandbox, type Sandbox} from './support.js'

const CLUSTER = 'deskrun'
const MANAGED_BY = 'app.kubernetes.io/managed-by'
const HANG_TIMEOUT = '4s'
/** Cases in flight at once: two cores, and hung calls wait without working. */
const AHEAD = 3

type Action = Fault['action']
type Calls = Record<FakeToolName, FakeCall[]>

interface Scenario {
  title: string
  /** What the sandbox holds before the command (a config). */
  prepare(s: Sandbox): Promise<void>
  run(s: Sandbox, extra: string[]): Promise<RunResult>
  /** Calls per tool of a clean run: the matrix is built from them (the first test checks them). */
  calls: Record<FakeToolName, number>
  /** Where `hang` and `die` are tried: [tool, call number]. */
  spread: [FakeToolName, number][]
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
  // kubectl: version, apply credentials, apply the objects of each instance.
  calls: {docker: 1, kind: 3, helm: 7, kubectl: 4},
  spread: [
    ['helm', 1],
    ['kind', 3],
    ['helm', 3],
    ['kubectl', 2],
    ['helm', 7],
  ],
}

/** Two installations in the config and no cluster (as after `deskrun cluster delete`): up does everything. */
const UP: Scenario = {
  title: 'up from a config with two installations and no cluster',
  async prepare(s) {
    const installation = (name: string, fields: Record<string, unknown>) => ({
      Name: name,
      Repository: 'https://github.com/owner/repo',
      AuthType: 'pat',
      AuthValue: TOKEN,
      Deployed: false,
      ...fields,
    })
    const config = await s.config()
    config.installations = {
      solo: installation('solo', {ContainerMode: 'kubernetes', MinRunners: 1, MaxRunners: 3, Instances: 1}),
      cached: installation('cached', {
        ContainerMode: 'cached-privileged-kubernetes',
        MinRunners: 0,
        MaxRunners: 2,
        Instances: 1,
        CachePaths: [{Target: '/var/lib/docker'}],
      }),
    }
    await writeFile(s.configFile, JSON.stringify(config, null, 2))
  },
  run: (s, extra) => s.deskrun(['up', ...extra]),
  // kind: version, get clusters, create. helm: version, list controller, upgrade arc, list scale sets
  // twice (orphans, then the ones to uninstall), then (list, upgrade) per scale set. kubectl: version,
  // get configmaps and secrets (orphans), credentials of each installation, objects of cached.
  calls: {docker: 1, kind: 3, helm: 9, kubectl: 6},
  spread: [
    ['kind', 3],
    ['helm', 3],
    ['kubectl', 3],
    ['kubectl', 5],
    ['helm', 9],
  ],
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

/** oclif wraps the error at the terminal width behind " ›   ": one line again. */
const flat = (text: string) => text.replaceAll(/\s*›\s*/g, ' ').replaceAll(/\s+/g, ' ')

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
    if (args[0] === 'get') return `list ${args[1]}`
    if (args[0] === 'apply') {
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
      ? `did not finish within ${HANG_TIMEOUT}`
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

/** Starts cases ahead of their `it` (a few at a time), so that mocha's serial tests overlap. */
class Ahead {
  private readonly started = new Map<number, Promise<void>>()
  constructor(private readonly jobs: (() => Promise<void>)[]) {}

  run(index: number): Promise<void> {
    for (let next = index; next < Math.min(index + AHEAD, this.jobs.length); next++) {
      if (this.started.has(next)) continue
      const job = this.jobs[next]()
      job.catch(() => {}) // reported by its own `it`
      this.started.set(next, job)
    }
    return this.started.get(index)!
  }
}

for (const scenario of [ADD, UP]) {
  describe(`faults along ${scenario.title}`, function () {
    this.timeout(180_000)
    let clean: Promise<Baseline> | undefined
    /** Run once, by the first test that needs it. */
    const baseline = () => (clean ??= cleanRun(scenario))

    it('a clean run: records the calls of each tool and the state it leaves', async () => {
      const {calls, state} = await baseline()
      const counts = Object.fromEntries(Object.entries(calls).map(([tool, calls]) => [tool, calls.length]))
      expect(counts, 'calls per tool (update `calls` and `spread` above)').to.deep.equal(scenario.calls)
      expect(state.releases).to.have.length(3)
      for (const call of Object.values(calls).flat()) stepOf(call)
    })

    const cases: {tool: FakeToolName; call: number; action: Action}[] = []
    for (const [tool, count] of Object.entries(scenario.calls) as [FakeToolName, number][])
      for (let call = 1; call <= count; call++) cases.push({tool, call, action: 'fail'})
    for (const action of ['hang', 'die'] as const)
      for (const [tool, call] of scenario.spread) cases.push({tool, call, action})

    const ahead = new Ahead(
      cases.map(({tool, call, action}) => async () => {
        const {state, calls} = await baseline()
        const target = calls[tool][call - 1]
        const s = await sandbox()
        try {
          await scenario.prepare(s)
          const configBefore = await readFile(s.configFile, 'utf8')
          s.fake.setFaults([{tool, call, action}])
          const failed = await scenario.run(s, action === 'hang' ? ['--timeout', HANG_TIMEOUT] : [])
          s.fake.setFaults([])
          const output = `exit ${failed.exitCode}\nstderr:\n${failed.stderr}`
          expect(failed.exitCode, output).to.equal(1)
          for (const part of expectedMessage(target, action))
            expect(flat(failed.stderr), output).to.contain(part)
          expect(failed.stderr, output).not.to.match(/^\s*at .+:\d+:\d+\)?$/m)
          expect(failed.stderr, output).not.to.match(/TypeError|ReferenceError|fake \w+ crashed/)
          const fired = (await s.fake.calls()).filter((entry) => entry.fault)
          expect(fired.map((entry) => [entry.tool, entry.fault])).to.deep.equal([[tool, action]])
          expect(fired[0].argv).to.deep.equal(target.argv)

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
      }),
    )
    for (const [index, {tool, call, action}] of cases.entries()) {
      it(`${action} at ${tool} call ${call}`, () => ahead.run(index))
    }
  })
}
