/**
 * Where the cache root lives, through the built CLI: a cache root in RAM is reported by doctor, and
 * `add`/`up` warn about it once, on stderr, with a fix line that is printed whole.
 */
import {randomUUID} from 'node:crypto'
import {readFile, rm, statfs, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {MIN_FREE_BYTES} from '../../src/lib/app/doctor/checks/system.js'
import type {DoctorReport} from '../../src/lib/app/doctor/types.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

/** /dev/shm is tmpfs on Linux hosts. deskrun creates the cache root there before the (fake) cluster; it goes after each test. */
const SHM = '/dev/shm'
const TMPFS_MAGIC = 0x01021994

describe('a cache root in RAM', () => {
  let s: Sandbox
  let cacheRoot: string
  useSandbox((created) => (s = created))

  beforeEach(async function () {
    // A real tmpfs is the only way to reach the real detection from the CLI; hosts without one skip.
    const shm = await statfs(SHM).catch(() => undefined)
    if (!shm || shm.type !== TMPFS_MAGIC || shm.bavail * shm.bsize < MIN_FREE_BYTES) this.skip()
    cacheRoot = path.join(SHM, `deskrun-test-${randomUUID()}`, 'cache')
    const config = await s.config()
    await writeFile(s.configFile, JSON.stringify({...config, cache_root: cacheRoot}), {mode: 0o600})
  })
  afterEach(async () => {
    if (cacheRoot) await rm(path.dirname(cacheRoot), {recursive: true, force: true})
  })

  const lifetime = (stderr: string) => stderr.split('\n').filter((line) => line.includes('Cache lifetime'))
  /** oclif wraps warnings to the terminal, continuing each with ` ›`. */
  const unwrap = (stderr: string) => stderr.replaceAll(/\s*\n ›\s+/g, ' ')

  it('add warns once per cache root, only with caches, with the fix on a line of its own', async () => {
    const plain = await s.add('plain')
    expectOk(plain)
    expect(lifetime(plain.stderr), 'no caches, no warning').to.deep.equal([])

    const cached = await s.add(
      'docker-runner',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/var/lib/docker',
      '--max-runners',
      '1',
    )
    expectOk(cached)
    expect(lifetime(cached.stderr)).to.have.length(1)
    expect(unwrap(cached.stderr)).to.contain('it is on tmpfs').and.contain('shown once for this cache root')
    const fix = cached.stderr.split('\n').find((line) => line.trimStart().startsWith('node -e '))
    expect(fix, cached.stderr).to.match(/^ {2}node -e '.+' .+ && deskrun cluster delete && deskrun up$/)
    expect(cached.stdout).not.to.contain('Cache lifetime')

    const again = await s.add('go-runner', '--mode', 'cached-privileged-kubernetes', '--cache', '/root/go')
    expectOk(again)
    expect(lifetime(again.stderr)).to.deep.equal([])
    const up = await s.deskrun(['up'])
    expectOk(up)
    expect(lifetime(up.stderr)).to.deep.equal([])
    const shown = JSON.parse(await readFile(path.join(s.fake.deskrunHome, 'shown-warnings.json'), 'utf8'))
    // Beside the host's own warnings (inotify, cgroup) where this machine has them.
    expect(Object.keys(shown).filter((key) => !key.startsWith('host '))).to.deep.equal([
      `cache-lifetime ${cacheRoot}`,
    ])
  })

  it('up --json keeps stdout JSON and keeps the warning for a run without --json', async () => {
    expectOk(
      await s.add(
        'docker-runner',
        '--mode',
        'dind',
        '--cache',
        '/var/lib/docker',
        '--max-runners',
        '1',
        '--json',
      ),
    )
    const json = await s.deskrun(['up', '--json'])
    expectOk(json)
    expect(JSON.parse(json.stdout)).to.have.property('installations')
    expect(lifetime(json.stderr)).to.deep.equal([])
    expect(lifetime((await s.deskrun(['up'])).stderr)).to.have.length(1)
  })

  it('doctor reports it every time', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await s.deskrun(['doctor', '--json'])
      const report = JSON.parse(result.stdout) as DoctorReport
      const check = report.checks.find((candidate) => candidate.id === 'cache-lifetime')
      expect(check?.status).to.equal('warn')
      expect(check?.found).to.contain(`${cacheRoot}: it is on tmpfs`)
      expect(check?.fix).to.contain('&& deskrun cluster delete && deskrun up')
    }
  })
})
