/**
 * deskrun's own folder (~/.deskrun or DESKRUN_HOME) when it is not what deskrun needs: not writable,
 * a file where a lock folder goes, or made by a provisioning that failed. Each says what is wrong and
 * how to fix it before any harm, and the folder is 0700 whoever makes it.
 */
import {rm, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {startServer} from '../unit/provision/server.js'
import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, REPO, type Sandbox, useSandbox} from './support.js'

describe("deskrun's own folder", () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('not writable: said before any tool check, with the folder and DESKRUN_HOME', async function () {
    // sysfs refuses every mkdir, even root's (these tests may run as root, whom permissions never stop).
    if (process.platform !== 'linux') this.skip()
    const home = '/sys/deskrun-test-home/.deskrun'
    for (const args of [
      ['add', 'my-runner', '--repository', REPO, '--auth-value-file', path.join(s.fake.root, 'token')],
      ['up'],
      ['cluster', 'create'],
    ]) {
      const result = await s.deskrun(args, {env: {DESKRUN_HOME: home}})
      const said = unwrap(result.stderr)
      expect(result.exitCode, said).to.equal(1)
      expect(said).to.contain(
        `deskrun keeps its config, locks and tools in ${home}, but cannot write there (EPERM).`,
      )
      expect(said).to.contain('DESKRUN_HOME')
      expect(said).not.to.match(/\n\s+at /)
      expect(await s.fake.calls(), args.join(' ')).to.deep.equal([])
    }
  })

  it('a file where the cluster lock folder goes: named at once, with how to move it away', async () => {
    const lock = path.join(s.fake.deskrunHome, 'cluster-deskrun.lock')
    await writeFile(lock, 'not a lock\n')
    const result = await s.add('my-runner')
    const said = unwrap(result.stderr)
    expect(result.exitCode, said).to.equal(1)
    expect(said).to.contain(`${lock} is a file, where deskrun makes a lock folder`)
    expect(said).to.contain(`mv ${lock} ${lock}.old`)
    expect(said).not.to.contain('ENOTDIR')
    await rm(lock)
    expectOk(await s.deskrun(['up']))
  })

  it('--yes provisioning that fails still leaves the new folder 0700', async function () {
    if (!['linux', 'darwin'].includes(process.platform) || !['x64', 'arm64'].includes(process.arch))
      this.skip()
    const server = await startServer() // every download: 404
    try {
      const home = path.join(s.fake.root, 'fresh', '.deskrun')
      const result = await s.fake.run(
        [
          'add',
          'my-runner',
          '--repository',
          REPO,
          '--auth-value-file',
          path.join(s.fake.root, 'token'),
          '--yes',
        ],
        {omit: ['kind'], extra: {DESKRUN_HOME: home, DESKRUN_TOOLS_BASE_URL: `${server.url}/mirror`}},
      )
      expect(result.exitCode, result.stderr).to.equal(1)
      expect(server.hits).to.have.length(1)
      expect((await stat(home)).mode & 0o777).to.equal(0o700)

      const doctorHome = path.join(s.fake.root, 'fresh-doctor', '.deskrun')
      const fix = await s.fake.run(['doctor', '--fix'], {
        omit: ['kind'],
        extra: {DESKRUN_HOME: doctorHome, DESKRUN_TOOLS_BASE_URL: `${server.url}/mirror`},
      })
      expect(fix.exitCode, fix.stderr).to.equal(1)
      expect((await stat(doctorHome)).mode & 0o777).to.equal(0o700)
    } finally {
      await server.close()
    }
  })
})
