/**
 * `deskrun service install|uninstall|status` against the fake systemctl (systemd's user manager) and, with
 * the platform taken for macOS, the fake launchctl. The fakes read and write the unit files where the
 * real managers do, under the sandbox's HOME.
 */
import {existsSync} from 'node:fs'
import {mkdir, readFile, realpath, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {ALL_FAKE_TOOLS, REPO_ROOT, unwrap} from '../helpers/fake-tools.js'
import {expectNoSecret, expectOk, type Sandbox, TOKEN, useSandbox} from './support.js'

describe('deskrun service (systemd user unit)', () => {
  let s: Sandbox
  useSandbox((created) => (s = created), {tools: [...ALL_FAKE_TOOLS, 'systemctl']})

  /** A logged-in user's session: XDG_RUNTIME_DIR with the user manager's socket in it. */
  async function session(): Promise<Record<string, string>> {
    const runtime = path.join(s.fake.root, 'run-user')
    await mkdir(path.join(runtime, 'systemd'), {recursive: true})
    await writeFile(path.join(runtime, 'systemd', 'private'), '')
    return {XDG_RUNTIME_DIR: runtime}
  }
  const unitFile = () => path.join(s.fake.homeDir, '.config', 'systemd', 'user', 'deskrun.service')
  const wantsLink = () =>
    path.join(s.fake.homeDir, '.config', 'systemd', 'user', 'default.target.wants', 'deskrun.service')
  const systemctl = async () => (await s.fake.calls('systemctl')).map((call) => call.argv.join(' '))

  it('install writes the unit (this node, this deskrun, the PATH of now, the log), reloads, enables and starts it', async () => {
    const env = {
      ...(await session()),
      DESKRUN_HOME: path.join(s.fake.root, 'Desk Run'),
      PATH: `${s.fake.env().PATH}:/opt/My Tools/bin`,
      // A credential in the environment never reaches the unit (up reads the config's).
      DESKRUN_AUTH_VALUE: TOKEN,
    }
    const result = await s.deskrun(['service', 'install'], {env})
    expectOk(result)
    const log = path.join(s.fake.root, 'Desk Run', 'logs', 'service.log')
    expect(result.stdout).to.contain(`Installed the systemd user unit ${unitFile()}.`).and.contain(log)
    const unit = await readFile(unitFile(), 'utf8')
    expectNoSecret(unit)
    const cli = await realpath(path.join(REPO_ROOT, 'bin', 'run.js'))
    expect(unit).to.contain(`\nExecStart="${process.execPath}" "${cli}" "up"\n`)
    expect(unit).to.contain(`\nEnvironment="PATH=${env.PATH}"\n`)
    expect(unit).to.contain(`\nEnvironment="DESKRUN_HOME=${env.DESKRUN_HOME}"\n`)
    expect(unit).to.contain(`\nStandardOutput=append:${log}\n`)
    expect(existsSync(path.dirname(log)), 'the log folder is there for systemd to open the log in').to.equal(
      true,
    )
    expect(await systemctl()).to.deep.equal([
      '--user is-active deskrun.service',
      '--user daemon-reload',
      '--user enable deskrun.service',
      '--user restart --no-block deskrun.service',
    ])
    expect(existsSync(wantsLink()), 'enabled: started at login').to.equal(true)

    // The fake runs no command: up is still running (a oneshot activating), then it has run.
    await writeFile(log, 'Cluster deskrun: ready\nAll installations are up.\n')
    const status = await s.deskrun(['service', 'status', '--json'], {env})
    expectOk(status)
    expect(JSON.parse(status.stdout)).to.deep.equal({
      installed: true,
      manager: 'systemd',
      file: unitFile(),
      current: true,
      atLogin: true,
      state: 'activating',
      log: {file: log, lines: ['Cluster deskrun: ready', 'All installations are up.']},
    })
    await s.fake.setUnitState('deskrun.service', 'failed')
    const human = await s.deskrun(['service', 'status', '--lines', '1'], {env})
    expectOk(human)
    expect(human.stdout).to.equal(
      [
        `deskrun service: systemd user unit ${unitFile()}`,
        '  at login: yes',
        '  state: failed',
        `  log ${log}, last lines:`,
        '    All installations are up.',
        '',
      ].join('\n'),
    )
  })

  it('status says when the unit runs another PATH than the shell has now; install again replaces it', async () => {
    const env = await session()
    expectOk(await s.deskrun(['service', 'install'], {env}))
    const moved = {...env, PATH: `/opt/new/bin:${s.fake.env().PATH}`}
    const status = await s.deskrun(['service', 'status'], {env: moved})
    expect(status.stdout).to.contain('It runs another node, deskrun or PATH than this one')
    const again = await s.deskrun(['service', 'install'], {env: moved})
    expectOk(again)
    expect(again.stdout).to.contain('Replaced the systemd user unit')
    expect(await readFile(unitFile(), 'utf8')).to.contain('"PATH=/opt/new/bin:')
    expect(
      JSON.parse((await s.deskrun(['service', 'status', '--json'], {env: moved})).stdout).current,
    ).to.equal(true)
  })

  it('uninstall stops, disables and removes the unit and its log; a second time there is nothing to remove', async () => {
    const env = await session()
    expectOk(await s.deskrun(['service', 'install'], {env}))
    const log = path.join(s.fake.deskrunHome, 'logs', 'service.log')
    await writeFile(log, 'up\n')
    const before = (await systemctl()).length
    const removed = await s.deskrun(['service', 'uninstall'], {env})
    expectOk(removed)
    expect(removed.stdout).to.contain(`Removed ${unitFile()} and ${log}.`)
    expect((await systemctl()).slice(before)).to.deep.equal([
      '--user disable --now deskrun.service',
      '--user daemon-reload',
      '--user reset-failed deskrun.service',
    ])
    for (const gone of [unitFile(), wantsLink(), log]) expect(existsSync(gone), gone).to.equal(false)
    const status = JSON.parse((await s.deskrun(['service', 'status', '--json'], {env})).stdout)
    expect(status).to.include({installed: false, atLogin: false, state: 'inactive'})

    const again = await s.deskrun(['service', 'uninstall'], {env})
    expectOk(again)
    expect(again.stdout).to.contain('No systemd user unit of deskrun was installed; nothing to remove.')
  })

  it('without a systemd user manager (no session bus: su, a container, WSL without systemd) install says so and writes nothing', async () => {
    const result = await s.deskrun(['service', 'install'])
    expect(result.exitCode).to.equal(1)
    expect(unwrap(result.stderr))
      .to.contain("deskrun service needs systemd's user manager, and there is none to talk to here")
      .and.contain('$DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined')
      .and.contain('WSL')
    expect(existsSync(unitFile())).to.equal(false)
    expect(existsSync(path.join(s.fake.deskrunHome, 'logs'))).to.equal(false)
    expect(await systemctl()).to.deep.equal(['--user is-active deskrun.service'])

    // With the variable but no manager behind it (WSL without systemd): the same.
    const runtime = path.join(s.fake.root, 'run-empty')
    await mkdir(runtime)
    const empty = await s.deskrun(['service', 'install'], {env: {XDG_RUNTIME_DIR: runtime}})
    expect(empty.exitCode).to.equal(1)
    expect(unwrap(empty.stderr)).to.contain('user scope bus via local transport: No such file or directory')
    expect(existsSync(unitFile())).to.equal(false)

    const status = await s.deskrun(['service', 'status'])
    expectOk(status)
    expect(status.stdout).to.contain('not installed').and.contain('no systemd user manager')
  })

  it('where systemd is not PID 1 (WSL without systemd, a container), where systemctl still reads unit files, the same', async () => {
    await s.fake.setSystemdBooted(false)
    const env = await session()
    const result = await s.deskrun(['service', 'install'], {env})
    expect(result.exitCode).to.equal(1)
    expect(unwrap(result.stderr)).to.contain("deskrun service needs systemd's user manager")
    expect(existsSync(unitFile())).to.equal(false)
    expect(existsSync(path.join(s.fake.deskrunHome, 'logs'))).to.equal(false)

    // A unit left from before (a home folder copied over): uninstall removes it and its link all the same.
    await s.fake.setSystemdBooted(true)
    expectOk(await s.deskrun(['service', 'install'], {env}))
    await s.fake.setSystemdBooted(false)
    const removed = await s.deskrun(['service', 'uninstall'], {env})
    expectOk(removed)
    expect(removed.stdout)
      .to.contain(`Removed ${unitFile()}`)
      .and.contain('The service manager could not be asked')
    for (const gone of [unitFile(), wantsLink()]) expect(existsSync(gone), gone).to.equal(false)
  })

  it('without systemctl at all: the same message', async () => {
    const result = await s.fake.run(['service', 'install'], {omit: ['systemctl']})
    expect(result.exitCode).to.equal(1)
    expect(unwrap(result.stderr)).to.contain('systemctl is not installed: this machine does not run systemd.')
    expect(existsSync(unitFile())).to.equal(false)
  })

  it('bad input changes nothing and calls nothing', async () => {
    const env = await session()
    for (const args of [
      ['service', 'status', '--lines', 'many'],
      ['service', 'status', '--lines', '-1'],
      ['service', 'uninstall', '--purge'],
    ]) {
      const result = await s.deskrun(args, {env})
      expect(result.exitCode, args.join(' ')).to.equal(2)
    }
    // A word after a command of a topic reads as another command (oclif): not found, exit 127.
    const extra = await s.deskrun(['service', 'install', 'now'], {env})
    expect(extra.exitCode).to.equal(127)
    expect(unwrap(extra.stderr)).to.contain('service install now is not a deskrun command')
    expect(existsSync(unitFile())).to.equal(false)
    expect(await s.fake.calls()).to.deep.equal([])
  })
})

describe('deskrun service (launchd agent, the platform taken for macOS)', () => {
  let s: Sandbox
  useSandbox((created) => (s = created), {tools: [...ALL_FAKE_TOOLS, 'launchctl']})
  const real = Object.getOwnPropertyDescriptor(process, 'platform')!
  beforeEach(() => Object.defineProperty(process, 'platform', {...real, value: 'darwin'}))
  afterEach(() => Object.defineProperty(process, 'platform', real))

  const plist = () => path.join(s.fake.homeDir, 'Library', 'LaunchAgents', 'dev.deskrun.up.plist')
  const launchctl = async () => (await s.fake.calls('launchctl')).map((call) => call.argv.join(' '))
  const uid = process.getuid!()

  it('install loads the agent (unloading an older one first), status asks launchd, uninstall unloads and removes it', async () => {
    const result = await s.deskrun(['service', 'install'])
    expectOk(result)
    expect(result.stdout).to.contain(`Installed the launchd agent ${plist()}.`)
    const text = await readFile(plist(), 'utf8')
    expect(text).to.contain(`<string>${process.execPath}</string>`)
    expect(text).to.contain('<key>RunAtLoad</key>')
    expect(await launchctl()).to.deep.equal([
      `bootout gui/${uid}/dev.deskrun.up`,
      `bootstrap gui/${uid} ${plist()}`,
    ])

    await s.fake.setLaunchdJob('dev.deskrun.up', {state: 'not running', lastExitCode: 1})
    const status = JSON.parse((await s.deskrun(['service', 'status', '--json'])).stdout)
    expect(status).to.deep.include({
      installed: true,
      manager: 'launchd',
      current: true,
      atLogin: true,
      state: 'not running',
      lastExitCode: 1,
    })
    expect((await s.deskrun(['service', 'status'])).stdout).to.contain(
      '  state: not running, last exit code 1',
    )

    // Installing again replaces the loaded agent: launchd refuses to load a label twice.
    expectOk(await s.deskrun(['service', 'install']))
    const removed = await s.deskrun(['service', 'uninstall'])
    expectOk(removed)
    expect(existsSync(plist())).to.equal(false)
    expect((await launchctl()).slice(-1)).to.deep.equal([`bootout gui/${uid}/dev.deskrun.up`])
    const after = JSON.parse((await s.deskrun(['service', 'status', '--json'])).stdout)
    expect(after).to.include({installed: false, atLogin: false, state: 'not loaded'})
    expectOk(await s.deskrun(['service', 'uninstall']))
  })
})
