/**
 * Processes at once: 20 deskrun processes adding at once (test/cli/concurrency.test.ts does it in
 * process), and processes killed in the middle of saving the config: it always loads, and a lock left by
 * a dead process is taken over (after it has gone stale, STALE_LOCK_MS).
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {readdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {configProblems} from '../../src/lib/domain/config/problems.js'
import {loadConfig} from '../../src/lib/adapters/config-store.js'
import {REPO_ROOT} from '../helpers/fake-tools.js'
import {expectOk, type Sandbox, useSandbox} from '../cli/support.js'

const CLUSTER = 'deskrun'
const WRITER = path.join(REPO_ROOT, 'test', 'fixtures', 'config', 'update-loop.ts')

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
  this.timeout(300_000)
  let s: Sandbox
  useSandbox((created) => (s = created), {processes: true})

  it('20 adds at once: all succeed, all are saved and deployed, one creates the cluster', async () => {
    const names = Array.from({length: 20}, (_, index) => `runner-${index + 1}`)
    for (const result of await Promise.all(names.map((name) => s.add(name)))) expectOk(result)

    const installations = (await s.config()).installations
    expect(Object.keys(installations).sort()).to.deep.equal([...names].sort())
    for (const name of names) expect(installations[name].Deployed, name).to.equal(true)
    const releases = await s.fake.releases(CLUSTER)
    expect(releases.map((release) => release.name).sort()).to.deep.equal(['arc', ...names].sort())
    for (const release of releases) expect(release.status, release.name).to.equal('deployed')
    const creates = (await s.fake.calls('kind')).filter((call) =>
      call.argv.join(' ').startsWith('create cluster'),
    )
    expect(creates.map((call) => call.exit)).to.deep.equal([0])

    const again = await s.deskrun(['up', '--json'])
    expectOk(again)
    expect(JSON.parse(again.stdout).changed).to.deep.equal([])
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
    expect(await configProblems(data)).to.deep.equal([])
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
