/** `deskrun cache list` and `deskrun cache prune`: what the caches hold, and deleting only unused ones. */
import {existsSync} from 'node:fs'
import {mkdir, utimes, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {expectOk, type Sandbox, useSandbox} from './support.js'

describe('cache list and prune', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  /** A folder under the cache root holding one file of `bytes`, last changed `daysAgo`. */
  const folder = async (relative: string, bytes: number, daysAgo = 0) => {
    const dir = path.join(s.cacheRoot, relative)
    await mkdir(dir, {recursive: true})
    await writeFile(path.join(dir, 'data'), Buffer.alloc(bytes))
    const when = new Date(Date.now() - daysAgo * 86_400_000)
    for (const one of [path.join(dir, 'data'), dir, path.dirname(dir)]) await utimes(one, when, when)
    return dir
  }

  beforeEach(async () => {
    await s.writeInstallations({
      web: {CachePaths: [{Target: '/root/.cache'}]},
      quiet: {CachePaths: [{Target: '/root/.cache'}], Paused: true},
    })
  })

  it('cache list names each folder, its installation, size and last use, and the unused ones', async () => {
    await folder('web/cache-0', 3000, 2)
    await folder('old-runner/cache-0', 5000, 40)
    const result = await s.deskrun(['cache', 'list', '--json'])
    expectOk(result)
    const caches = JSON.parse(result.stdout).caches as Record<string, unknown>[]
    const web = caches.find((entry) => entry.installation === 'web')
    expect(web).to.deep.include({
      folder: path.join(s.cacheRoot, 'web/cache-0'),
      state: 'in use',
      target: '/root/.cache',
      exists: true,
      complete: true,
    })
    expect(web?.bytes).to.be.at.least(3000)
    expect(Date.parse(web?.lastUsed as string)).to.be.below(Date.now() - 86_400_000)
    expect(caches.find((entry) => entry.installation === 'quiet')).to.deep.include({
      state: 'paused',
      exists: false,
    })
    expect(caches.filter((entry) => entry.state === 'unused').map((entry) => entry.folder)).to.deep.equal([
      path.join(s.cacheRoot, 'old-runner'),
    ])
    const human = await s.deskrun(['cache', 'list'])
    expect(human.stdout).to.match(/old-runner\s+-\s+-\s+unused\s+[\d.]+ KiB/)
    expect(await s.fake.calls()).to.deep.equal([])
  })

  it('cache prune deletes only folders no installation uses, paused ones included, and says what it freed', async () => {
    const web = await folder('web/cache-0', 3000)
    const quiet = await folder('quiet/cache-0', 1000)
    const old = await folder('old-runner/cache-0', 5000)
    const dry = await s.deskrun(['cache', 'prune', '--dry-run', '--json'])
    expectOk(dry)
    expect(JSON.parse(dry.stdout).removed.map((entry: {folder: string}) => entry.folder)).to.deep.equal([
      path.dirname(old),
    ])
    expect(existsSync(old)).to.equal(true)

    const result = await s.deskrun(['cache', 'prune'])
    expectOk(result)
    expect(result.stdout).to.match(/Deleted .*old-runner \([\d.]+ KiB\)/)
    expect(result.stdout).to.match(/Freed [\d.]+ KiB/)
    expect(result.stdout).to.contain('quiet is paused')
    expect(existsSync(path.dirname(old))).to.equal(false)
    expect(existsSync(web) && existsSync(quiet)).to.equal(true)
  })

  it('--older-than and NAME narrow it down', async () => {
    const recent = await folder('recent/cache-0', 100, 3)
    const stale = await folder('stale-2/cache-0', 100, 45)
    const other = await folder('other/cache-0', 100, 45)
    const result = await s.deskrun(['cache', 'prune', '--older-than', '30d', '--json'])
    expectOk(result)
    const pruned = JSON.parse(result.stdout)
    expect(pruned.removed.map((entry: {folder: string}) => path.basename(entry.folder))).to.deep.equal([
      'other',
      'stale-2',
    ])
    expect(pruned.kept).to.deep.include({folder: path.dirname(recent), reason: 'used 3 days ago'})
    expect(existsSync(stale) || existsSync(other)).to.equal(false)

    const named = await s.deskrun(['cache', 'prune', 'recent'])
    expectOk(named)
    expect(existsSync(recent)).to.equal(false)
  })

  it('a bad --older-than is a usage error', async () => {
    const old = await folder('old-runner/cache-0', 10)
    const result = await s.deskrun(['cache', 'prune', '--older-than', 'a month'])
    expect(result.exitCode).to.equal(2)
    expect(result.stderr).to.contain('--older-than "a month" is not an age')
    expect(existsSync(old)).to.equal(true)
  })
})
