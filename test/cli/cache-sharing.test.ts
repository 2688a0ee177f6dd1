/**
 * Caches stay apart on the real disk: `add` refuses a host folder that reaches into another
 * installation's (also through a symbolic link), and `remove --purge-cache` deletes nothing that
 * another installation still uses.
 */
import {existsSync} from 'node:fs'
import {mkdir, readFile, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

const PRIVILEGED = 'cached-privileged-kubernetes'

describe('caches stay apart', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('add refuses a host folder that is a symbolic link into another installation’s cache', async () => {
    await s.writeInstallations({owner: {ContainerMode: PRIVILEGED, CachePaths: [{Target: '/root/.cache'}]}})
    await mkdir(path.join(s.cacheRoot, 'owner', 'cache-0'), {recursive: true})
    await symlink(path.join(s.cacheRoot, 'owner', 'cache-0'), path.join(s.cacheRoot, 'link'))
    const config = await readFile(s.configFile, 'utf8')

    const result = await s.add('other', '--mode', PRIVILEGED, '--cache', `${s.cacheRoot}/link:/data`)
    expect(result.exitCode).to.equal(2)
    expect(unwrap(result.stderr))
      .to.contain(`where deskrun keeps the caches of owner`)
      .and.contain(`${s.cacheRoot}/link is really ${s.cacheRoot}/owner/cache-0`)
    expect(await s.fake.calls(), 'no tool called').to.deep.equal([])
    expect(await readFile(s.configFile, 'utf8'), 'config unchanged').to.equal(config)
  })

  it('remove --purge-cache keeps a folder another installation uses, says why, and deletes the rest', async () => {
    // Written by hand or by an older deskrun: squatter's folders lie inside owner's.
    await s.writeInstallations({
      owner: {ContainerMode: PRIVILEGED, CachePaths: [{Target: '/root/.cache'}]},
      squatter: {
        ContainerMode: PRIVILEGED,
        CachePaths: [{Target: '/data', Source: `${s.cacheRoot}/owner/data`}],
      },
      linked: {ContainerMode: PRIVILEGED, CachePaths: [{Target: '/data', Source: `${s.cacheRoot}/link`}]},
      alone: {ContainerMode: PRIVILEGED, CachePaths: [{Target: '/root/.cache'}]},
      solo: {ContainerMode: PRIVILEGED, CachePaths: [{Target: '/root/.cache'}]},
    })
    for (const folder of ['owner/cache-0', 'owner/data', 'alone/cache-0', 'solo/cache-0'])
      await mkdir(path.join(s.cacheRoot, folder), {recursive: true})
    await writeFile(path.join(s.cacheRoot, 'owner', 'data', 'live'), 'squatter data')
    await symlink(path.join(s.cacheRoot, 'alone', 'cache-0'), path.join(s.cacheRoot, 'link'))

    const owner = await s.deskrun(['remove', 'owner', '--purge-cache'])
    expectOk(owner)
    expect(existsSync(path.join(s.cacheRoot, 'owner', 'data', 'live')), 'squatter data kept').to.equal(true)
    expect(owner.stdout)
      .to.contain(`Kept these folders:\n  ${s.cacheRoot}/owner: it contains ${s.cacheRoot}/owner/data`)
      .and.contain('installation squatter')

    const alone = await s.deskrun(['remove', 'alone', '--purge-cache', '--json'])
    expectOk(alone)
    const result = JSON.parse(alone.stdout)
    expect(result.caches).to.deep.equal([])
    expect(result.cachesKept).to.have.length(1)
    expect(result.cachesKept[0].reason).to.contain(
      `${s.cacheRoot}/link is really ${s.cacheRoot}/alone/cache-0`,
    )
    expect(existsSync(path.join(s.cacheRoot, 'alone', 'cache-0'))).to.equal(true)

    const squatter = await s.deskrun(['remove', 'squatter', '--purge-cache'])
    expectOk(squatter)
    expect(squatter.stdout).to.contain(
      `${s.cacheRoot}/owner/data: you named it with --cache ${s.cacheRoot}/owner/data:/data`,
    )
    expect(existsSync(path.join(s.cacheRoot, 'owner', 'data', 'live'))).to.equal(true)

    const solo = await s.deskrun(['remove', 'solo', '--purge-cache'])
    expectOk(solo)
    expect(solo.stdout).to.contain(`Deleted its caches: ${s.cacheRoot}/solo`).and.not.contain('Kept')
    expect(existsSync(path.join(s.cacheRoot, 'solo'))).to.equal(false)
  })
})
