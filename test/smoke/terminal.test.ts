/**
 * What a person at a terminal sees: deskrun in a real pseudo-terminal (tmux, test/helpers/terminal.ts)
 * at the sizes people use, the keys they press, the screen they read. Runs the build (bin/run.js).
 */
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {REPO, sandbox, type Sandbox} from '../cli/support.js'
import {hasTmux, Terminal} from '../helpers/terminal.js'

describe('at a terminal', function () {
  if (!hasTmux) return
  this.timeout(120_000)
  let s: Sandbox
  let terminal: Terminal | undefined
  beforeEach(async () => {
    s = await sandbox({processes: true})
  })
  afterEach(async () => {
    await terminal?.close()
    terminal = undefined
    await s.fake.cleanup()
  })

  /** The sandbox's environment as a person's shell has it: a terminal, no CI. */
  const shellEnv = (omit: ('kind' | 'helm')[] = []) => s.fake.env({omit, extra: {CI: undefined}})

  it('Ctrl-C at the install question prints "Cancelled" and exits 130, installing nothing', async () => {
    const before = await readFile(s.configFile, 'utf8')
    const tokenFile = path.join(s.fake.root, 'token')
    terminal = await Terminal.deskrun(
      ['add', 'my-runner', '--repository', REPO, '--auth-value-file', tokenFile],
      {
        columns: 100,
        env: shellEnv(['kind']),
      },
    )
    await terminal.waitFor(/deskrun needs kind v[\d.]+\. Install it into .*\? \[Y\/n\]/)
    await terminal.keys('C-c')
    expect(await terminal.exitCode()).to.equal(130)
    const screen = await terminal.screen(true)
    expect(screen).to.match(/\[Y\/n\] *\n+Cancelled\.$/)
    expect(screen).not.to.match(/AbortError|ABORT_ERR|Error:/)
    expect(existsSync(path.join(s.fake.deskrunHome, 'bin', 'kind'))).to.equal(false)
    expect(await readFile(s.configFile, 'utf8')).to.equal(before)
    expect(await s.fake.clusters()).to.deep.equal([])
  })

  /** A duration as the steps show it: 0.3s, 12s, 1m3s. */
  const DURATION = String.raw`(\d+m)?\d+(\.\d)?s`

  it('add shows a duration after each finished step and the total at the end', async () => {
    const tokenFile = path.join(s.fake.root, 'token')
    terminal = await Terminal.deskrun(
      ['add', 'my-runner', '--repository', REPO, '--auth-value-file', tokenFile],
      {
        columns: 100,
        env: shellEnv(),
      },
    )
    expect(await terminal.exitCode()).to.equal(0)
    const screen = await terminal.screen(true)
    for (const step of [
      'Checked tools: .*',
      'Cluster deskrun: created',
      'ARC controller 0\\.14\\.2: installed',
    ])
      expect(screen).to.match(new RegExp(`^✔ ${step} \\[${DURATION}\\]$`, 'm'))
    expect(screen).to.match(
      new RegExp(`^my-runner is up \\(kubernetes\\), after ${DURATION}\\. Route jobs`, 'm'),
    )
  })

  it('doctor prints each check as soon as it and the ones above it are known', async () => {
    const gate = path.join(s.fake.root, 'gate')
    s.fake.setFaults([{tool: 'helm', match: 'version', action: 'hold', gate}])
    terminal = await Terminal.deskrun(['doctor'], {columns: 100, env: shellEnv()})
    // helm answers nothing yet: what comes before it is on the screen, helm and what follows are not.
    const early = await terminal.waitFor(/^✓ ok {4}kind /m)
    expect(early)
      .to.match(/^✓ ok {4}Config /m)
      .and.match(/^✓ ok {4}Docker /m)
    expect(early).not.to.match(/^. \w+ +(helm|kubectl) /m)
    await writeFile(gate, '')
    await terminal.exitCode()
    const screen = await terminal.screen(true)
    expect(screen)
      .to.match(/^✓ ok {4}helm /m)
      .and.match(/^✓ ok {4}kubectl /m)
    expect(screen.split('\n').at(-1)).to.match(/^All set/)
  })

  it('an unknown command asks "did you mean" the closest one; no runs nothing and exits 127', async () => {
    terminal = await Terminal.deskrun(['stauts'], {columns: 100, env: shellEnv()})
    await terminal.waitFor(/Did you mean status\?/)
    await terminal.type('n')
    await terminal.keys('Enter')
    expect(await terminal.exitCode()).to.equal(127)
    expect(await terminal.screen(true)).to.contain('stauts is not a deskrun command')
    expect(await s.fake.calls()).to.deep.equal([])
  })

  describe('tables at 100 and 60 columns', () => {
    // Longer than a row has room for at 60 columns, short enough for a line of its own.
    const LONG_REPO = 'https://github.com/some-organization/a-long-repository'
    beforeEach(() =>
      s.writeInstallations({
        'docker-runner': {
          ContainerMode: 'cached-privileged-kubernetes',
          MaxRunners: 1,
          CachePaths: [{Target: '/var/lib/docker'}, {Target: '/root/.cache/go-build'}],
          Repository: LONG_REPO,
          CPUs: '2',
          Memory: '4Gi',
        },
        web: {},
      }),
    )

    /** The screen after `deskrun ...args` ends in a terminal this wide. */
    async function shown(args: string[], columns: number): Promise<string> {
      terminal = await Terminal.deskrun(args, {columns, env: shellEnv()})
      expect(await terminal.exitCode()).to.equal(0)
      const screen = await terminal.screen(true)
      await terminal.close()
      terminal = undefined
      return screen
    }

    for (const columns of [100, 60]) {
      it(`list and modes at ${columns} columns: names, modes and URLs whole, no ruler past the edge`, async () => {
        const list = await shown(['list'], columns)
        // tmux shows a line the terminal wrapped as two: a name split by the edge would not be found whole.
        for (const whole of [
          'docker-runner',
          'cached-privileged-kubernetes',
          LONG_REPO,
          '1 to 5',
          '2 CPUs, 4Gi',
        ])
          expect(list, list).to.contain(whole)
        // At 100 columns the rows fit as a table; at 60 each installation is a block of lines.
        if (columns === 100)
          expect(list).to.match(/^ {2}name +mode +runs-on +runners +limits +deployed +caches$/m)
        else expect(list).to.match(/^ {2}mode +cached-privileged-kubernetes$/m)
        const modes = await shown(['modes'], columns)
        for (const whole of ['kubernetes', 'cached-privileged-kubernetes', 'dind'])
          expect(modes, modes).to.match(new RegExp(`^ +${whole} +yes +built-in`, 'm'))
        // The paragraph under the table is wrapped between words too.
        for (const whole of ['/var/lib/containerd,', '~/.local/share/docker', 'installation.'])
          expect(modes, modes).to.contain(whole)
        for (const screen of [list, modes])
          for (const line of screen.split('\n').filter((text) => text.includes('─')))
            expect(line.length, line).to.be.at.most(columns)
      })
    }
  })
})
