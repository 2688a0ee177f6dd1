/**
 * Several deskrun processes at once, and processes killed in the middle of saving: every add lands in
 * the config and the cluster, the config always loads, and a lock left by a dead process is taken over.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {chmod, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {configProblems} from '../../src/lib/config/schema.js'
import {loadConfig} from '../../src/lib/config/store.js'
import {REPO_ROOT, unwrap} from '../helpers/fake-tools.js'
import {expectOk, sandbox, type Sandbox} from './support.js'

const CLUSTER = 'deskrun'
const WRITER = path.join(REPO_ROOT, 'test', 'fixtures', 'config', 'update-loop.ts')
const posixOnly = process.platform === 'win32' ? it.skip : it

/** A child that changes the config in a loop (or, with `hold`, sits on the lock) until it is killed. */
function writer(file: string, name: string, mode?: 'hold') {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, name, ...(mode ? [mode] : [])], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  )
  return {
    child,
    exited,
    /** Resolves once the child has printed `line` (it never does if the child fails first). */
    printed: (line: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.split('\n').includes(line)) resolve()
          else if (child.exitCode !== null) reject(new Error(`writer ${name} exited: ${stderr}`))
        }
        child.stdout.on('data', check)
        child.on('exit', check)
        check()
      }),
  }
}

async function kill(child: ChildProcess, exited: Promise<NodeJS.Signals | null>): Promise<void> {
  child.kill('SIGKILL')
  expect(await exited).to.equal('SIGKILL')
}

describe('concurrent deskrun processes', function () {
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

    const waiting = 'Another deskrun process is working on cluster "deskrun"; waiting for it to finish'
    // (Under --json the note is not shown, as no progress is.)
    const second = s.start(['up'])
    await second.printed(waiting)
    // Ctrl-C while waiting stops only the wait: the cluster is untouched.
    const third = s.start(['cluster', 'delete'])
    await third.printed(waiting)
    third.kill('SIGINT')
    const interrupted = await third.result
    expect(interrupted.exitCode, interrupted.stderr).to.equal(130)
    expect(unwrap(interrupted.stderr)).to.contain(
      'Interrupted while waiting for another deskrun process working on cluster "deskrun"',
    )

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

  it('processes SIGKILLed while saving leave a config that loads', async () => {
    const writers = Array.from({length: 12}, (_, index) => writer(s.configFile, `w-${index}`))
    // Once each has saved, they are killed a few milliseconds apart: some while they wait for the lock,
    // some holding it, some in the middle of writing the file.
    await Promise.all(writers.map(({printed}) => printed('saved 0')))
    await Promise.all(
      writers.map(async ({child, exited}, index) => {
        await sleep(index * 15)
        await kill(child, exited)
      }),
    )

    const text = await readFile(s.configFile, 'utf8')
    const data = JSON.parse(text)
    expect(configProblems(data)).to.deep.equal([])
    const saved = Object.keys((await loadConfig(s.configFile)).installations)
    expect(saved).to.have.length.within(1, 12)
    // Only the config, its lock and write-file-atomic's temporary files (config.json.<number>) remain;
    // deskrun reads none of the temporary ones.
    for (const entry of await readdir(s.fake.deskrunHome))
      expect(entry).to.match(/^config\.json(\.lock|\.\d+)?$/)
    const list = await s.deskrun(['list', '--json'])
    expectOk(list)
    expect(JSON.parse(list.stdout).installations.map((entry: {name: string}) => entry.name)).to.deep.equal(
      saved,
    )

    // The next command goes ahead (taking over a lock a killed writer held) and keeps every entry.
    expectOk(await s.add('after-the-kills'))
    const after = Object.keys((await s.config()).installations)
    expect(after.sort()).to.deep.equal([...saved, 'after-the-kills'].sort())
    expect(await readdir(s.fake.deskrunHome)).not.to.include('config.json.lock')
  })

  it('a lock left by a killed process is taken over by the next command', async () => {
    const holder = writer(s.configFile, 'holder', 'hold')
    await holder.printed('locked')
    await kill(holder.child, holder.exited)
    expect(await readdir(s.fake.deskrunHome)).to.include('config.json.lock')

    // It waits until the lock is stale (10 s without a refresh), then takes it over.
    expectOk(await s.add('my-runner'))
    expect((await s.config()).installations['my-runner'].Deployed).to.equal(true)
    expect(await readdir(s.fake.deskrunHome)).not.to.include('config.json.lock')
  })
})
