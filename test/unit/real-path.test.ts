import {mkdir, mkdtemp, realpath, rm, symlink} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {realFolder} from '../../src/lib/real-path.js'

describe('realFolder', () => {
  let root: string
  beforeEach(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'deskrun-real-')))
  })
  afterEach(() => rm(root, {recursive: true, force: true}))

  it('follows a symbolic link in the existing part and keeps the missing rest as written', async () => {
    await mkdir(path.join(root, 'owner', 'cache-0'), {recursive: true})
    await symlink(path.join(root, 'owner', 'cache-0'), path.join(root, 'link'))
    expect(realFolder(path.join(root, 'link', 'not', 'yet'))).to.equal(
      path.join(root, 'owner', 'cache-0', 'not', 'yet'),
    )
  })

  it('leaves a folder without links as it is, existing or not', async () => {
    await mkdir(path.join(root, 'plain'))
    expect(realFolder(path.join(root, 'plain'))).to.equal(path.join(root, 'plain'))
    expect(realFolder(path.join(root, 'missing', 'deeper'))).to.equal(path.join(root, 'missing', 'deeper'))
  })
})
