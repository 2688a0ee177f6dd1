import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {emptyConfig} from '../../../src/lib/domain/config/convert.js'
import type {DeskrunConfig} from '../../../src/lib/domain/config/types.js'
import {realFacts} from '../../../src/lib/adapters/host-facts.js'
import {ensurePrerequisites, type EnsureOptions} from '../../../src/lib/app/doctor/ensure.js'
import {DeskrunError} from '../../../src/lib/domain/errors.js'
import {canPrompt} from '../../../src/lib/adapters/provision/consent.js'
import {OFFICIAL, testCatalog} from '../provision/fixtures.js'
import {startServer, type TestServer} from '../provision/server.js'
import {FakeTools, failed, fakeFacts, healthyMachine, healthyWorld, type Machine} from './fakes.js'

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
      adapters: new FakeTools(healthyWorld()),
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
    machine.disk = {path: emptyConfig().cacheRoot, type: '0xef53', freeBytes: 2e9}
    const warnings: [string, string?][] = []
    const checks = await ensurePrerequisites(
      setup({json: false, onWarning: (line, fix) => warnings.push([line, fix])}),
    )
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
    expect(warnings[0][0]).to.equal(`Cache root: ${emptyConfig().cacheRoot}: 2.0 GB free`)
    expect(warnings[0][1]).to.match(/^Caches grow with use/)
  })

  describe('host warnings (inotify, cgroup v1)', () => {
    const hostWarnings = async () => {
      const heard: [string, string?][] = []
      await ensurePrerequisites(setup({json: false, onWarning: (line, fix) => heard.push([line, fix])}))
      return heard
    }
    beforeEach(() => {
      machine.sysctl['fs.inotify.max_user_instances'] = 128
      machine.cgroup = 1
    })

    it('are one line each, pointing at deskrun doctor, with no fix to print', async () => {
      expect(await hostWarnings()).to.deep.equal([
        ["inotify limits below kind's recommendation; see deskrun doctor (once a day)", undefined],
        [
          'cgroup v1, which newer kind node images may not run on; see deskrun doctor (once a day)',
          undefined,
        ],
      ])
    })

    it('are shown once a day, and again at once when what was found changes', async () => {
      expect(await hostWarnings()).to.have.length(2)
      expect(await hostWarnings()).to.deep.equal([])
      machine.sysctl['fs.inotify.max_user_instances'] = 256
      expect((await hostWarnings()).map(([line]) => line.split(' ')[0])).to.deep.equal(['inotify'])
      // A day later (as remembered in the file) both come back.
      const file = path.join(home, 'shown-warnings.json')
      const shown = JSON.parse(await readFile(file, 'utf8'))
      for (const entry of Object.values<{at: number}>(shown)) entry.at -= 24 * 60 * 60 * 1000
      await writeFile(file, JSON.stringify(shown))
      expect(await hostWarnings()).to.have.length(2)
      expect(await hostWarnings()).to.deep.equal([])
    })

    it('are neither shown nor remembered under --json', async () => {
      await ensurePrerequisites(setup({json: true, onWarning: () => expect.fail('no warning under --json')}))
      expect(await hostWarnings()).to.have.length(2)
    })
  })

  it('runs only the checks of the tools the command uses', async () => {
    const adapters = new FakeTools(healthyWorld())
    const checks = await ensurePrerequisites(setup({tools: ['docker', 'kind'], adapters}))
    expect(checks.map((check) => check.id)).to.deep.equal([
      'docker',
      'kind',
      'cache-root',
      'inotify',
      'cgroup',
    ])
    // Side by side, so in either order.
    expect([...adapters.calls].sort()).to.deep.equal(['docker version', 'kind version'])
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

  it('stops a download at once on Ctrl-C (the signal), leaving nothing', async () => {
    delete machine.programs.kind
    server.routes['/official/kind-linux-amd64'] = {body: Buffer.alloc(1_000_000), stallAfter: 1000}
    const controller = new AbortController()
    const running = failure(
      ensurePrerequisites(setup({yes: true, signal: controller.signal, stallTimeoutMs: 20_000})),
    )
    while (server.hits.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    controller.abort()
    const error = await running
    expect(error.code).to.equal('INTERRUPTED')
    expect(error.exit).to.equal(130)
    expect(await readdir(path.join(home, 'bin'))).to.deep.equal([])
  })

  it('does not offer to install Docker, and says how to start it', async () => {
    const adapters = new FakeTools({
      ...healthyWorld(),
      docker: failed('Cannot connect to the Docker daemon. Is the docker daemon running?'),
    })
    const error = await failure(ensurePrerequisites(setup({adapters, yes: true})))
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

  describe('where the caches live', () => {
    /** A config whose one installation caches /var/lib/docker under `cacheRoot`. */
    const withCaches = (cacheRoot: string): DeskrunConfig => ({
      ...emptyConfig(),
      cacheRoot,
      installations: {
        'docker-runner': {
          name: 'docker-runner',
          repository: 'https://github.com/owner/repo',
          mode: 'cached-privileged-kubernetes',
          minRunners: 1,
          maxRunners: 1,
          instances: 1,
          caches: [{target: '/var/lib/docker'}],
          labels: [],
          auth: {type: 'pat', token: 'unused'},
          deployed: true,
        },
      },
    })
    const inMemory = () => {
      machine.disk = {path: '/tmp', type: 'tmpfs', freeBytes: 16e9}
    }

    /** Runs the checks as `add`/`up` do on a terminal, and returns the cache lifetime warnings. */
    async function lifetimeWarnings(config: DeskrunConfig, json = false): Promise<[string, string?][]> {
      const heard: [string, string?][] = []
      await ensurePrerequisites(
        setup({config, json, onWarning: (message, fix) => heard.push([message, fix])}),
      )
      return heard.filter(([message]) => message.startsWith('Cache lifetime'))
    }

    it('are checked only for a config with caches', async () => {
      inMemory()
      const without = await ensurePrerequisites(setup({json: false}))
      expect(without.map((check) => check.id)).not.to.include('cache-lifetime')
      const checks = await ensurePrerequisites(setup({config: withCaches('/tmp/cache'), json: false}))
      expect(checks.map((check) => check.id)).to.include('cache-lifetime')
    })

    it('warn once per cache root, with the fix as a line of its own', async () => {
      inMemory()
      const first = await lifetimeWarnings(withCaches('/tmp/cache'))
      expect(first).to.have.length(1)
      expect(first[0][0])
        .to.contain('/tmp/cache: it is on tmpfs')
        .and.contain('shown once for this cache root; deskrun doctor shows it again')
      expect(first[0][1]).to.match(/^node -e '[^\n]*' [^\n]+ && deskrun cluster delete && deskrun up$/)
      expect(await lifetimeWarnings(withCaches('/tmp/cache'))).to.deep.equal([])
      expect(await lifetimeWarnings(withCaches('/tmp/other'))).to.have.length(1)
      expect(JSON.parse(await readFile(path.join(home, 'shown-warnings.json'), 'utf8'))).to.have.keys(
        'cache-lifetime /tmp/cache',
        'cache-lifetime /tmp/other',
      )
    })

    it('warn again when something new is found there', async () => {
      inMemory()
      expect(await lifetimeWarnings(withCaches('/tmp/cache'))).to.have.length(1)
      machine.tmpfiles = [{path: '/usr/lib/tmpfiles.d/tmp.conf', text: 'q /tmp 1777 root root 10d\n'}]
      const again = await lifetimeWarnings(withCaches('/tmp/cache'))
      expect(again).to.have.length(1)
      expect(again[0][0]).to.contain('unused for 10d')
    })

    it('are neither shown nor remembered under --json', async () => {
      inMemory()
      expect(await lifetimeWarnings(withCaches('/tmp/cache'), true)).to.deep.equal([])
      expect(await readdir(home)).to.deep.equal([])
      expect(await lifetimeWarnings(withCaches('/tmp/cache'))).to.have.length(1)
    })
  })
})
