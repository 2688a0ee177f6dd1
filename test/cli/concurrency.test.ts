/**
 * Several deskruns at once, in process: every add lands in the config and the cluster, one creates the
 * cluster, and a second deskrun waits for the one working on the cluster. As processes, with Ctrl-C while
 * waiting (test/smoke/concurrency.test.ts), and with writers SIGKILLed while saving
 * (test/process/concurrency.test.ts).
 */
import {existsSync} from 'node:fs'
import {chmod, readdir, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {REPO_ROOT} from '../helpers/fake-tools.js'
import {expectOk, sandbox, type Sandbox} from './support.js'

const CLUSTER = 'deskrun'
const WAITING = 'Another deskrun process is working on cluster "deskrun"; waiting for it to finish'
const posixOnly = process.platform === 'win32' ? it.skip : it

describe('concurrent deskruns', function () {
  this.timeout(180_000)
  let s: Sandbox
  beforeEach(async () => {
    s = await sandbox()
  })
  afterEach(async () => {
    await s.expectNoLeaks()
    await s.fake.cleanup()
  })

  it('20 adds at once: all succeed, all are saved and deployed', async () => {
    const names = Array.from({length: 20}, (_, index) => `runner-${index + 1}`)
    const results = await Promise.all(names.map((name) => s.add(name)))
    for (const result of results) expectOk(result)

    const installations = (await s.config()).installations
    expect(Object.keys(installations).sort()).to.deep.equal([...names].sort())
    for (const name of names) expect(installations[name].Deployed, name).to.equal(true)
    const releases = await s.fake.releases(CLUSTER)
    expect(releases.map((release) => release.name).sort()).to.deep.equal(['arc', ...names].sort())
    for (const release of releases) expect(release.status, release.name).to.equal('deployed')
    const runnerSets = await s.fake.objects(CLUSTER, {kind: 'AutoscalingRunnerSet'})
    expect(runnerSets.map((object) => object.metadata.name).sort()).to.deep.equal([...names].sort())

    // They take turns on the cluster (one deskrun at a time per cluster): one creates it, the others find it.
    const creates = (await s.fake.calls('kind')).filter((call) =>
      call.argv.join(' ').startsWith('create cluster'),
    )
    expect(creates.map((call) => call.exit)).to.deep.equal([0])
    expect(await s.fake.clusters()).to.have.length(1)

    const again = await s.deskrun(['up', '--json'])
    expectOk(again)
    expect(JSON.parse(again.stdout).changed).to.deep.equal([])
  })

  posixOnly('losing the race to create the cluster or to install the controller counts as done', async () => {
    // Another deskrun creates the cluster, and installs the controller, just before this one does.
    const fakes = path.join(REPO_ROOT, 'test', 'fake-tools', 'bin')
    // Wrappers (node is the only program on the sandbox's PATH) that let the call succeed once
    // unseen, then give this deskrun the loser's answer: the real one again, or helm's refusal.
    const wrap = async (tool: string, pattern: string, loser: string | undefined) => {
      const file = path.join(s.fake.binDir, tool)
      await rm(file)
      await writeFile(
        file,
        [
          '#!/usr/bin/env node',
          "const {spawnSync} = require('node:child_process')",
          "const {readFileSync} = require('node:fs')",
          `const real = ${JSON.stringify(path.join(fakes, tool))}`,
          'const args = process.argv.slice(2)',
          `if (!args.join(' ').includes(${JSON.stringify(pattern)})) {`,
          "  process.exitCode = spawnSync(real, args, {stdio: 'inherit'}).status",
          '} else {',
          '  const input = readFileSync(0)',
          "  spawnSync(real, args, {input, stdio: ['pipe', 'ignore', 'ignore']})",
          loser === undefined
            ? "  process.exitCode = spawnSync(real, args, {input, stdio: ['pipe', 'inherit', 'inherit']}).status"
            : `  process.stderr.write(${JSON.stringify(`${loser}\n`)}); process.exitCode = 1`,
          '}',
          '',
        ].join('\n'),
      )
      await chmod(file, 0o755)
    }
    await wrap('kind', 'create cluster', undefined)
    await wrap(
      'helm',
      'upgrade --install arc ',
      'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress',
    )

    const result = await s.add('my-runner')
    expectOk(result)
    expect(result.stderr).to.contain('Cluster deskrun: exists (created by another deskrun meanwhile)')
    expect(result.stderr).to.contain('ARC controller 0.14.2: installed (by another deskrun meanwhile)')
    const creates = (await s.fake.calls('kind')).filter((call) => call.argv[0] === 'create')
    expect(creates.map((call) => call.exit)).to.deep.equal([0, 1])
    expect((await s.fake.releases(CLUSTER)).map((release) => release.name).sort()).to.deep.equal([
      'arc',
      'my-runner',
    ])
    expect((await s.config()).installations['my-runner'].Deployed).to.equal(true)
  })

  it('one deskrun at a time per cluster: a second one waits instead of rolling back the release in progress', async () => {
    expectOk(await s.add('my-runner'))
    const config = await s.config()
    config.installations['my-runner'].MaxRunners = 3
    await writeFile(s.configFile, JSON.stringify(config, null, 2))

    // The first up upgrades my-runner, and its helm call takes as long as this test wants. Meanwhile
    // the release is pending-upgrade, as it is while a real helm works on it.
    const gate = path.join(s.fake.root, 'gate')
    s.fake.setFaults([{tool: 'helm', match: 'upgrade --install my-runner', action: 'hold', gate}])
    const first = s.start(['up', '--json'])
    while (!existsSync(`${gate}.held`)) await sleep(25)
    await s.fake.setReleaseStatus(CLUSTER, 'arc-runners', 'my-runner', 'pending-upgrade')

    // (Under --json the note is not shown, as no progress is.)
    const second = s.start(['up'])
    await second.printed(WAITING)

    // helm finishes its upgrade.
    await s.fake.setReleaseStatus(CLUSTER, 'arc-runners', 'my-runner', 'deployed')
    await writeFile(gate, '')
    const [upgraded, after] = [await first.result, await second.result]
    expectOk(upgraded)
    expect(JSON.parse(upgraded.stdout).changed).to.deep.equal(['scale set my-runner upgraded'])
    expectOk(after)
    expect(after.stdout).to.equal('Everything is up to date; nothing changed.\n')

    const verbs = (await s.fake.calls()).map((call) => `${call.tool} ${call.argv[0]}`)
    expect(verbs).not.to.include.members(['helm rollback', 'helm uninstall', 'kind delete'])
    const [release] = (await s.fake.releases(CLUSTER)).filter((entry) => entry.name === 'my-runner')
    expect(release.status).to.equal('deployed')
    expect(release.values).to.deep.include({maxRunners: 3})
    expect(await readdir(s.fake.deskrunHome)).not.to.include('cluster-deskrun.lock')
  })
})
