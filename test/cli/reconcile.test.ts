/**
 * `up` as a reconciler (issue 11): the cluster is read in a fixed number of calls, the plan is shown
 * by --dry-run without changing anything, and scale sets are deployed side by side, a failing one
 * not stopping the others.
 */
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {TOKEN, expectOk, sandbox, type Sandbox} from './support.js'

const CLUSTER = 'deskrun'
const WRITES: Record<string, string[]> = {
  helm: ['upgrade', 'install', 'uninstall', 'rollback'],
  kubectl: ['apply', 'delete', 'create', 'patch'],
  kind: ['create', 'delete'],
  docker: ['start', 'stop', 'rm', 'run'],
}

/** A call that changes something: its verb (the first word after kubectl's --context) is a write. */
const isWrite = (call: {tool: string; argv: string[]}) => {
  const [verb] = call.tool === 'kubectl' ? call.argv.slice(2) : call.argv
  return WRITES[call.tool].includes(verb)
}

describe('up as a reconciler', () => {
  let s: Sandbox
  beforeEach(async () => {
    s = await sandbox()
  })
  afterEach(async () => {
    await s.expectNoLeaks()
    await s.fake.cleanup()
  })

  const ten = () =>
    Object.fromEntries(Array.from({length: 10}, (_, i) => [`r${i + 1}`, {Name: `r${i + 1}`, MaxRunners: 2}]))
  const callsSince = async (count: number) => (await s.fake.calls()).slice(count)
  const setMaxRunners = async (name: string, value: number) => {
    const config = await s.config()
    config.installations[name].MaxRunners = value
    await writeFile(s.configFile, JSON.stringify(config, null, 2))
  }

  it('a converged up of 10 installations reads the cluster in at most 4 tool calls and writes nothing', async () => {
    await s.writeInstallations(ten())
    expectOk(await s.deskrun(['up']))
    const before = (await s.fake.calls()).length
    const again = await s.deskrun(['up', '--json'])
    expectOk(again)
    expect(JSON.parse(again.stdout).changed).to.deep.equal([])
    const calls = await callsSince(before)
    expect(calls.length, calls.map((call) => `${call.tool} ${call.argv.join(' ')}`).join('\n')).to.be.at.most(
      4,
    )
    expect(calls.filter((call) => call.tool === 'helm')).to.deep.equal([])
  })

  it('a changed installation is upgraded alone, with the key that differs as its reason', async () => {
    await s.writeInstallations(ten())
    expectOk(await s.deskrun(['up']))
    await setMaxRunners('r3', 4)
    const before = (await s.fake.calls()).length
    const result = await s.deskrun(['up', '--json'])
    expectOk(result)
    expect(JSON.parse(result.stdout).changed).to.deep.equal(['scale set r3 upgraded'])
    const helm = (await callsSince(before)).filter((call) => call.tool === 'helm')
    expect(helm.map((call) => call.argv.slice(0, 3).join(' '))).to.deep.equal(['upgrade --install r3'])
  })

  describe('--dry-run', () => {
    it('prints the plan with reasons, exits 3, and changes nothing', async () => {
      await s.writeInstallations(ten())
      expectOk(await s.deskrun(['up']))
      await setMaxRunners('r3', 4)
      const config = await readFile(s.configFile, 'utf8')
      const before = (await s.fake.calls()).length
      const plan = await s.deskrun(['up', '--dry-run'])
      expect(plan.exitCode, plan.stderr).to.equal(3)
      expect(plan.stdout).to.contain('upgrade scale set r3 (maxRunners differs)')
      expect(plan.stdout.trim().split('\n')).to.have.length(2)
      expect(await readFile(s.configFile, 'utf8')).to.equal(config)
      expect(
        (await callsSince(before)).filter(
          (call) => WRITES[call.tool].includes(call.argv[0]) || call.argv.includes('apply'),
        ),
      ).to.deep.equal([])
      expect(
        await s.fake.releases(CLUSTER).then((rs) => rs.find((r) => r.name === 'r3')?.values?.maxRunners),
      ).to.equal(2)
    })

    it('exits 0 when there is nothing to do, and --json tells it', async () => {
      await s.writeInstallations({solo: {Name: 'solo'}})
      expectOk(await s.deskrun(['up']))
      const plan = await s.deskrun(['up', '--dry-run', '--json'])
      expectOk(plan)
      const result = JSON.parse(plan.stdout)
      expect(result.plan.changes).to.equal(false)
      expect(result.plan.actions).to.deep.equal([])
      expect(result.plan.unchanged).to.include.members([
        'cluster deskrun',
        'controller arc',
        'scale set solo',
        'credentials of solo',
      ])
    })

    it('before a cluster exists: the whole plan, no tool write, no cluster created', async () => {
      await s.writeInstallations({solo: {Name: 'solo'}})
      const plan = await s.deskrun(['up', '--dry-run', '--json'])
      expect(plan.exitCode, plan.stderr).to.equal(3)
      const {actions} = JSON.parse(plan.stdout).plan
      expect(actions.map((action: {description: string}) => action.description)).to.deep.equal([
        'create cluster deskrun (it does not exist)',
        'install controller arc (ARC 0.14.2)',
        'apply secret/solo-github-auth (credentials not in the cluster)',
        'install scale set solo (not in the cluster)',
      ])
      expect((await s.fake.calls()).filter(isWrite)).to.deep.equal([])
      expect(existsSync(s.cacheRoot)).to.equal(false)
    })

    it('says "credentials changed" for a new token, never the token', async () => {
      await s.writeInstallations({solo: {Name: 'solo'}})
      expectOk(await s.deskrun(['up']))
      const config = await s.config()
      config.installations.solo.AuthValue = 'ghp_AnotherTokenAlsoSecret0123456789abcdef'
      await writeFile(s.configFile, JSON.stringify(config, null, 2))
      const plan = await s.deskrun(['up', '--dry-run'])
      expect(plan.exitCode).to.equal(3)
      expect(plan.stdout).to.contain('apply secret/solo-github-auth (credentials changed)')
      expect(plan.stdout + plan.stderr)
        .not.to.contain('AnotherToken')
        .and.not.to.contain(TOKEN)
    })
  })

  it('--refresh finds a scale set whose AutoscalingRunnerSet was deleted by hand, and puts it back', async () => {
    await s.writeInstallations({solo: {Name: 'solo'}})
    expectOk(await s.deskrun(['up']))
    const kubectl = (...args: string[]) => s.fake.tool('kubectl', ['--context', 'kind-deskrun', ...args])
    expectOk(await kubectl('delete', 'autoscalingrunnersets', 'solo', '--namespace', 'arc-runners', '--wait'))
    const sets = async () =>
      (await s.fake.objects(CLUSTER, {kind: 'AutoscalingRunnerSet'})).map((set) => set.metadata.name)
    expect(await sets()).to.deep.equal([])
    // Helm's record still says deployed: that is all a plain up reads.
    expect((await s.deskrun(['up', '--dry-run'])).exitCode).to.equal(0)
    const plan = await s.deskrun(['up', '--dry-run', '--refresh'])
    expect(plan.exitCode).to.equal(3)
    expect(plan.stdout).to.contain('upgrade scale set solo (its AutoscalingRunnerSet is gone)')
    expectOk(await s.deskrun(['up', '--refresh']))
    expect(await sets()).to.deep.equal(['solo'])
  })

  it('a scale set that fails does not stop the others; the error names it; the next up finishes it', async () => {
    await s.writeInstallations({a: {Name: 'a'}, b: {Name: 'b'}, c: {Name: 'c'}})
    s.fake.setFaults([{tool: 'helm', match: 'upgrade --install b ', action: 'fail'}])
    const failed = await s.deskrun(['up'])
    s.fake.setFaults([])
    expect(failed.exitCode).to.equal(1)
    expect(failed.stderr).to.contain('Could not deploy the scale set b')
    const names = (await s.fake.releases(CLUSTER)).map((release) => release.name).sort()
    expect(names).to.deep.equal(['a', 'arc', 'c'])
    const config = await s.config()
    expect([
      config.installations.a.Deployed,
      config.installations.b.Deployed,
      config.installations.c.Deployed,
    ]).to.deep.equal([true, false, true])
    const again = await s.deskrun(['up', '--json'])
    expectOk(again)
    expect(JSON.parse(again.stdout).changed).to.deep.equal(['scale set b installed'])
  })

  it('two failing scale sets are reported together, with what to do', async () => {
    await s.writeInstallations({a: {Name: 'a'}, b: {Name: 'b'}, c: {Name: 'c'}})
    s.fake.setFaults([
      {tool: 'helm', match: 'upgrade --install a ', action: 'fail'},
      {tool: 'helm', match: 'upgrade --install c ', action: 'fail'},
    ])
    const failed = await s.deskrun(['up'])
    s.fake.setFaults([])
    expect(failed.exitCode).to.equal(1)
    expect(failed.stderr).to.contain('2 scale sets could not be deployed; the others were.')
    expect(failed.stderr).to.match(/✗ a: Could not deploy the scale set a/)
    expect(failed.stderr).to.match(/✗ c: Could not deploy the scale set c/)
    expect(failed.stderr).to.contain('run deskrun up again')
  })

  it('deploys scale sets side by side: one waits on helm while another is installed', async () => {
    await s.writeInstallations({a: {Name: 'a'}, b: {Name: 'b'}})
    const gate = path.join(s.fake.root, 'gate')
    s.fake.setFaults([{tool: 'helm', match: 'upgrade --install a ', action: 'hold', gate}])
    const running = s.start(['up', '--json'])
    while (!existsSync(`${gate}.held`)) await sleep(10)
    // While a's helm call is held, b's install completes.
    while (!(await s.fake.releases(CLUSTER)).some((release) => release.name === 'b')) await sleep(10)
    await writeFile(gate, '')
    const result = await running.result
    expectOk(result)
    expect(JSON.parse(result.stdout).changed).to.include.members([
      'scale set a installed',
      'scale set b installed',
    ])
  })

  it('--concurrency 1 deploys one scale set at a time', async () => {
    await s.writeInstallations({a: {Name: 'a'}, b: {Name: 'b'}})
    const gate = path.join(s.fake.root, 'gate')
    s.fake.setFaults([{tool: 'helm', match: 'upgrade --install a ', action: 'hold', gate}])
    const running = s.start(['up', '--json', '--concurrency', '1'])
    while (!existsSync(`${gate}.held`)) await sleep(10)
    await sleep(100)
    const started = (await s.fake.calls('helm')).filter(
      (call) => call.argv.slice(0, 3).join(' ') === 'upgrade --install b',
    )
    expect(started).to.deep.equal([])
    await writeFile(gate, '')
    expectOk(await running.result)
  })
})

describe('an ARC upgrade', () => {
  let s: Sandbox
  beforeEach(async () => {
    s = await sandbox()
  })
  afterEach(async () => {
    await s.expectNoLeaks()
    await s.fake.cleanup()
  })

  const setChartVersion = async (version: string) => {
    const config = await s.config()
    config.chart_version = version
    await writeFile(s.configFile, JSON.stringify(config, null, 2))
  }
  const charts = async () =>
    Object.fromEntries((await s.fake.releases(CLUSTER)).map((release) => [release.name, release.chart]))
  const crdIds = async () =>
    (await s.fake.objects(CLUSTER, {kind: 'CustomResourceDefinition'})).map((crd) => crd.metadata.uid)
  const runner = async () => (await s.fake.objects(CLUSTER, {kind: 'EphemeralRunner'}))[0].metadata.name
  const job = {
    requestId: 7,
    repository: 'owner/repo',
    workflowRef: 'owner/repo/.github/workflows/ci.yml@refs/heads/main',
    runId: 42,
    name: 'build',
  }

  beforeEach(async () => {
    await setChartVersion('0.13.1')
    await s.writeInstallations({web: {Name: 'web'}, multi: {Name: 'multi', Instances: 2, MaxRunners: 1}})
    expectOk(await s.deskrun(['up']))
    expect(await charts()).to.deep.include({arc: 'gha-runner-scale-set-controller-0.13.1'})
    await setChartVersion('0.14.2')
  })

  it('uninstalls every scale set, then the controller and the CRDs, and installs all again at the new version', async () => {
    const crdsBefore = await crdIds()
    const plan = await s.deskrun(['up', '--dry-run'])
    expect(plan.exitCode).to.equal(3)
    expect(plan.stdout).to.contain('ARC 0.13.1 → 0.14.2: every scale set is uninstalled')
    const before = (await s.fake.calls()).length
    const result = await s.deskrun(['up', '--json'])
    expectOk(result)
    const writes = (await s.fake.calls())
      .slice(before)
      .filter(isWrite)
      .map((call) =>
        call.tool === 'helm'
          ? `helm ${call.argv.slice(0, call.argv[0] === 'upgrade' ? 3 : 2).join(' ')}`
          : `kubectl ${call.argv.slice(2, 4).join(' ')}`,
      )
    const sets = ['web', 'multi-1', 'multi-2']
    // Scale sets first (their finalizers need the controller), then the controller and the CRDs; the
    // controller before the scale sets again.
    expect(writes.slice(0, 3)).to.have.members(sets.map((name) => `helm uninstall ${name}`))
    expect(writes.slice(3, 6)).to.deep.equal([
      'helm uninstall arc',
      'kubectl delete customresourcedefinitions',
      'helm upgrade --install arc',
    ])
    expect(writes.slice(6)).to.have.members(sets.map((name) => `helm upgrade --install ${name}`))
    expect(Object.values(await charts())).to.satisfy((all: string[]) =>
      all.every((chart) => chart.endsWith('-0.14.2')),
    )
    expect(await crdIds())
      .to.have.length(4)
      .and.not.to.include.members(crdsBefore)
    const runnerSets = await s.fake.objects(CLUSTER, {kind: 'AutoscalingRunnerSet'})
    expect(runnerSets.map((set) => set.metadata.labels?.['app.kubernetes.io/version'])).to.deep.equal([
      '0.14.2',
      '0.14.2',
      '0.14.2',
    ])
    const again = await s.deskrun(['up', '--json'])
    expect(JSON.parse(again.stdout).changed).to.deep.equal([])
  })

  it('waits for a running job to finish before it takes anything down', async () => {
    const busy = await runner()
    await s.fake.assignJob(CLUSTER, busy, job)
    const before = (await s.fake.calls()).length
    const running = s.fake.start(['up'], {extra: {DESKRUN_POLL_MS: '20'}})
    while (
      !(await s.fake.calls())
        .slice(before)
        .some((call) => call.argv.includes('ephemeralrunners.actions.github.com'))
    )
      await sleep(10)
    await sleep(60)
    expect((await s.fake.calls()).slice(before).filter(isWrite)).to.deep.equal([])
    await s.fake.assignJob(CLUSTER, busy, null)
    expectOk(await running.result)
    expect((await charts()).arc).to.equal('gha-runner-scale-set-controller-0.14.2')
  })

  it('gives up at --timeout, naming the busy runner and --force; --force upgrades at once', async () => {
    const busy = await runner()
    await s.fake.assignJob(CLUSTER, busy, job)
    const waited = await s.deskrun(['up', '--timeout', '1s'], {env: {DESKRUN_POLL_MS: '20'}})
    expect(waited.exitCode).to.equal(1)
    expect(waited.stderr).to.contain(busy).and.to.contain('deskrun up --force')
    expect((await charts()).arc).to.equal('gha-runner-scale-set-controller-0.13.1')
    expectOk(await s.deskrun(['up', '--force']))
    expect((await charts()).arc).to.equal('gha-runner-scale-set-controller-0.14.2')
  })

  it('a failed runner that still names its job does not hold the upgrade', async () => {
    await s.fake.assignJob(CLUSTER, await runner(), job, 'Failed')
    expectOk(await s.deskrun(['up', '--timeout', '1s'], {env: {DESKRUN_POLL_MS: '20'}}))
    expect((await charts()).arc).to.equal('gha-runner-scale-set-controller-0.14.2')
  })

  it('add leaves the upgrade to up', async () => {
    const result = await s.add('late')
    expect(result.exitCode).to.equal(1)
    expect(result.stderr).to.contain('deskrun up')
    expect((await charts()).arc).to.equal('gha-runner-scale-set-controller-0.13.1')
  })
})
