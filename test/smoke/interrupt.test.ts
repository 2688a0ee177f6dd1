/**
 * Ctrl-C (SIGINT) or SIGTERM while a step runs: deskrun stops the running tool, says what was done and
 * what was not, exits 130, and leaves a config that the next `deskrun up` finishes from. Through
 * processes: a signal reaches a process, and the hung fake must be a process that is gone afterwards.
 */
import {existsSync} from 'node:fs'
import {readdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {unwrap, type FakeCall} from '../helpers/fake-tools.js'
import {expectOk, REPO, sandbox, type Sandbox} from '../cli/support.js'

const CLUSTER = 'deskrun'
const linuxOnly = existsSync('/proc') ? it : it.skip

/** Starts deskrun, waits until calls.jsonl shows the call `until` picks, sends `signal`, and waits for the exit. */
async function interrupt(
  s: Sandbox,
  args: string[],
  until: (call: FakeCall) => boolean,
  signal: NodeJS.Signals,
) {
  const running = s.start(args)
  let exited = false
  void running.result.then(() => (exited = true))
  while (!exited && !(await s.fake.calls()).some(until)) await sleep(50)
  expect((await s.fake.calls()).some(until), 'the call to interrupt never started').to.equal(true)
  running.kill(signal)
  return running.result
}

/** Processes still running one of the sandbox's fake tools (the hung helm must have been stopped). */
async function fakeProcesses(s: Sandbox): Promise<string[]> {
  const found: string[] = []
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    if (commandLine.includes(s.fake.binDir)) found.push(commandLine.replaceAll('\0', ' '))
  }
  return found
}

/** As shells report a process killed by the signal: 128 + its number. */
const EXIT = {SIGINT: 130, SIGTERM: 143} as const

/**
 * Waits until the process waits for input: all its threads asleep and no CPU time spent for half a
 * second. Node catches SIGINT from its start, so the kernel cannot tell when deskrun's handler is in.
 */
async function untilIdle(pid: number, exited: () => boolean): Promise<void> {
  let last = ''
  let quiet = 0
  while (!exited() && quiet < 5) {
    await sleep(100)
    const tasks = await readdir(`/proc/${pid}/task`).catch(() => [])
    const stats = await Promise.all(
      tasks.map((task) => readFile(`/proc/${pid}/task/${task}/stat`, 'utf8').catch(() => '')),
    )
    // After "(comm)": state, then utime and stime at fields 14 and 15 of the line.
    const fields = stats.map((stat) => stat.slice(stat.lastIndexOf(')') + 2).split(' '))
    const asleep = fields.every((field) => field[0] === 'S')
    const cpu = fields.map((field) => `${field[11]}+${field[12]}`).join(',')
    quiet = asleep && cpu === last ? quiet + 1 : 0
    last = cpu
  }
}

const hangingScaleSet = (call: FakeCall) =>
  call.fault === 'hang' && call.argv.join(' ').includes('upgrade --install my-runner')

describe('interrupts', function () {
  this.timeout(120_000)
  let s: Sandbox
  let tokenFile: string
  beforeEach(async () => {
    s = await sandbox({processes: true})
    tokenFile = path.join(s.fake.root, 'token')
    s.fake.setFaults([{tool: 'helm', match: 'upgrade --install my-runner', action: 'hang'}])
  })
  afterEach(async () => {
    await s.expectNoLeaks()
    await s.fake.cleanup()
  })

  const add = ['add', 'my-runner', '--repository', REPO, '--auth-value-file']

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    linuxOnly(
      `${signal} during the scale set install: stops helm, reports, exits ${EXIT[signal]}${signal === 'SIGINT' ? '; up finishes' : ''}`,
      async () => {
        const result = await interrupt(s, [...add, tokenFile], hangingScaleSet, signal)
        const output = `stderr:\n${result.stderr}`
        expect(result.exitCode, output).to.equal(EXIT[signal])
        expect(result.stderr).to.contain(`Received ${signal}`)
        const summary = result.stderr.slice(result.stderr.indexOf('Interrupted. Done:'))
        expect(summary, output).to.match(
          /^Interrupted\. Done:\n {2}✔ Cluster deskrun: created\n {2}✔ ARC controller 0\.14\.2: installed\n {2}✔ Applied secret\/my-runner-github-auth\nNot done:\n {2}✖ Scale set my-runner: install \(not in the cluster\) \(interrupted\)\n/,
        )
        expect(unwrap(result.stderr)).to.contain(
          'Interrupted while running: helm upgrade --install my-runner',
        )
        expect(result.stderr).not.to.match(/^\s*at .+:\d+:\d+\)?$/m)
        expect(await fakeProcesses(s)).to.deep.equal([])
        // Both signals leave the same: what comes next is checked once.
        if (signal === 'SIGTERM') return

        // The config loads, with the installation kept and marked not deployed.
        expect((await s.config()).installations['my-runner'].Deployed).to.equal(false)
        const list = await s.deskrun(['list', '--json'])
        expectOk(list)
        expect(JSON.parse(list.stdout).installations[0]).to.include({name: 'my-runner', deployed: false})

        s.fake.setFaults([])
        expectOk(await s.deskrun(['up']))
        const release = (await s.fake.releases(CLUSTER)).find((candidate) => candidate.name === 'my-runner')
        expect(release?.status).to.equal('deployed')
        expect((await s.config()).installations['my-runner'].Deployed).to.equal(true)
        const again = await s.deskrun(['up', '--json'])
        expect(JSON.parse(again.stdout).changed).to.deep.equal([])
      },
    )
  }

  it('under --json the error says what was done and what was not', async () => {
    const result = await interrupt(s, [...add, tokenFile, '--json'], hangingScaleSet, 'SIGINT')
    expect(result.exitCode).to.equal(130)
    const {error} = JSON.parse(result.stdout)
    expect(error).to.include({code: 'INTERRUPTED', exit: 130})
    expect(error.done).to.deep.equal([
      'Cluster deskrun: created',
      'ARC controller 0.14.2: installed',
      'Applied secret/my-runner-github-auth',
    ])
    expect(error.notDone).to.deep.equal(['Scale set my-runner: install (not in the cluster)'])
  })

  linuxOnly('Ctrl-C while --auth-value - waits for stdin: stops at once, changes nothing', async () => {
    const before = await readFile(s.configFile, 'utf8')
    const running = s.fake.start(['add', 'my-runner', '--repository', REPO, '--auth-value', '-'], {
      openStdin: true,
    })
    let exited = false
    void running.result.then(() => (exited = true))
    await untilIdle(running.pid!, () => exited)
    running.kill('SIGINT')
    const result = await running.result
    expect(result.exitCode, result.stderr).to.equal(130)
    expect(unwrap(result.stderr)).to.contain('Interrupted while reading the credential from stdin')
    expect(result.stderr).not.to.match(/^\s*at .+:\d+:\d+\)?$/m)
    expect(await readFile(s.configFile, 'utf8')).to.equal(before)
    expect(await s.fake.calls()).to.deep.equal([])
  })

  it('a hung prerequisite check is stopped too, and nothing is saved', async () => {
    s.fake.setFaults([{tool: 'helm', match: 'version', action: 'hang'}])
    const before = await readFile(s.configFile, 'utf8')
    const result = await interrupt(
      s,
      [...add, tokenFile],
      (call) => call.fault === 'hang' && call.argv[0] === 'version',
      'SIGINT',
    )
    expect(result.exitCode, result.stderr).to.equal(130)
    // The checks run side by side: the interruption is reported by whichever of them it reached first.
    expect(unwrap(result.stderr)).to.match(/Interrupted while running: (helm|kind|kubectl|docker) version/)
    expect(await readFile(s.configFile, 'utf8')).to.equal(before)
    expect(await s.fake.clusters()).to.deep.equal([])
  })
})
