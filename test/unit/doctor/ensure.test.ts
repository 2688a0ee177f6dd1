import {mkdtemp, readdir, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {emptyConfig} from '../../../src/lib/config/convert.js'
import {realFacts} from '../../../src/lib/doctor/facts.js'
import {ensurePrerequisites, type EnsureOptions} from '../../../src/lib/doctor/ensure.js'
import {DeskrunError} from '../../../src/lib/errors.js'
import {canPrompt} from '../../../src/lib/provision/consent.js'
import {OFFICIAL, testCatalog} from '../provision/fixtures.js'
import {startServer, type TestServer} from '../provision/server.js'
import {FakeRunner, fakeFacts, healthyAnswers, healthyMachine, type Machine} from './fakes.js'

describe('ensurePrerequisites (before add, up and cluster create)', function () {
  if (process.platform === 'win32') return
  let server: TestServer
  let home: string
  let machine: Machine

  beforeEach(async () => {
    server = await startServer({...OFFICIAL})
    home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-ensure-'))
    machine = healthyMachine()
  })
  afterEach(async () => {
    await server.close()
    await rm(home, {recursive: true, force: true})
  })

  /** kind is found only where deskrun installs it, so a provisioned copy is really looked up. */
  function setup(extra: Partial<EnsureOptions> = {}): EnsureOptions {
    const env = {DESKRUN_HOME: home, PATH: '/nonexistent'}
    const facts = fakeFacts(machine)
    const real = realFacts(env)
    return {
      tools: ['docker', 'kind', 'helm', 'kubectl'],
      config: emptyConfig(),
      interactive: false,
      env,
      runner: new FakeRunner(healthyAnswers()),
      facts: {...facts, locate: async (program) => (await real.locate(program)) ?? facts.locate(program)},
      catalog: testCatalog(server.url),
      platform: 'linux-amd64',
      json: true,
      stallTimeoutMs: 300,
      ...extra,
    }
  }

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('expected a DeskrunError'),
      (error: unknown) => {
        expect(error).to.be.instanceOf(DeskrunError)
        return error as DeskrunError
      },
    )

  it('passes a ready machine and forwards warnings', async () => {
    machine.sysctl['fs.inotify.max_user_instances'] = 128
    const warnings: string[] = []
    const checks = await ensurePrerequisites(setup({onWarning: (line) => warnings.push(line)}))
    expect(checks.map((check) => check.id)).to.deep.equal([
      'docker',
      'kind',
      'helm',
      'kubectl',
      'cache-root',
      'inotify',
      'cgroup',
    ])
    expect(warnings).to.have.length(1)
    expect(warnings[0]).to.match(/^inotify limits: max_user_watches 524288, max_user_instances 128/)
  })

  it('runs only the checks of the tools the command uses', async () => {
    const runner = new FakeRunner(healthyAnswers())
    const checks = await ensurePrerequisites(setup({tools: ['docker', 'kind'], runner}))
    expect(checks.map((check) => check.id)).to.deep.equal([
      'docker',
      'kind',
      'cache-root',
      'inotify',
      'cgroup',
    ])
    expect(runner.calls).to.deep.equal(['docker version --format {{json .}}', 'kind version'])
  })

  it('without consent installs nothing and lists every problem with its fix', async () => {
    delete machine.programs.kind
    delete machine.programs.helm
    const error = await failure(ensurePrerequisites(setup()))
    expect(error.code).to.equal('PREREQUISITES')
    expect(error.message)
      .to.contain('2 prerequisites are not met')
      .and.contain('✗ kind: not found')
      .and.contain('✗ helm: not found')
    expect(error.hint).to.contain('kind: Run `deskrun doctor --fix` to install kind v0.29.0')
    expect(error.hint).to.contain('--yes')
    expect(server.hits).to.deep.equal([])
    expect(await readdir(home)).to.deep.equal([])
  })

  it('with --yes installs the missing tools, checks again and goes on', async () => {
    delete machine.programs.kind
    delete machine.programs.helm
    const checks = await ensurePrerequisites(setup({yes: true}))
    expect(checks.every((check) => check.status !== 'fail')).to.equal(true)
    expect(checks.find((check) => check.id === 'kind')?.tool?.source).to.equal('deskrun')
    expect((await readdir(path.join(home, 'bin'))).sort()).to.deep.equal(['helm', 'kind'])
  })

  it('asks on a terminal, and installs only on yes', async () => {
    delete machine.programs.kind
    const questions: string[] = []
    const no = await failure(
      ensurePrerequisites(setup({interactive: true, confirm: async (q) => (questions.push(q), false)})),
    )
    expect(no.message).to.contain('kind')
    expect(questions).to.deep.equal([
      `deskrun needs kind v0.29.0. Install it into ${path.join(home, 'bin')}?`,
    ])
    expect(server.hits).to.deep.equal([])

    await ensurePrerequisites(setup({interactive: true, confirm: async () => true}))
    expect(server.hits).to.deep.equal(['/official/kind-linux-amd64'])
  })

  it('never asks when the command may not (--json)', async () => {
    delete machine.programs.kind
    let asked = false
    await failure(ensurePrerequisites(setup({interactive: false, confirm: async () => (asked = true)})))
    expect(asked).to.equal(false)
  })

  it('stops on a failed download with its own message, leaving nothing', async () => {
    delete machine.programs.kind
    delete server.routes['/official/kind-linux-amd64']
    const error = await failure(ensurePrerequisites(setup({yes: true})))
    expect(error.code).to.equal('DOWNLOAD_FAILED')
    expect(await readdir(path.join(home, 'bin'))).to.deep.equal([])
  })

  it('does not offer to install Docker, and says how to start it', async () => {
    const runner = new FakeRunner({
      ...healthyAnswers(),
      'docker version --format {{json .}}': {
        exitCode: 1,
        stderr: 'Cannot connect to the Docker daemon. Is the docker daemon running?',
      },
    })
    const error = await failure(ensurePrerequisites(setup({runner, yes: true})))
    expect(error.message)
      .to.contain('a prerequisite is not met')
      .and.contain('✗ Docker: the Docker daemon is not reachable')
    expect(error.hint).to.contain('Docker: Start Docker').and.not.contain('--yes')
    expect(server.hits).to.deep.equal([])
  })

  it('prompts only with terminals on stdin and stderr and outside CI', () => {
    const tty = {stdin: {isTTY: true}, stderr: {isTTY: true}}
    expect(canPrompt({}, tty)).to.equal(true)
    expect(canPrompt({CI: 'true'}, tty)).to.equal(false)
    expect(canPrompt({}, {stdin: {isTTY: false}, stderr: {isTTY: true}})).to.equal(false)
    expect(canPrompt({}, {stdin: {isTTY: true}, stderr: {}})).to.equal(false)
  })
})
