import {mkdtemp, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {createCacheRoot} from '../../src/lib/cluster/cache-root.js'
import {DeskrunError} from '../../src/lib/errors.js'

describe('createCacheRoot', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deskrun-cache-root-'))
  })
  afterEach(() => rm(dir, {recursive: true, force: true}))

  it('makes the folder and its parents, mode 0700', async () => {
    const root = path.join(dir, 'a', 'b', 'cache')
    await createCacheRoot(root)
    expect((await stat(root)).mode & 0o777).to.equal(0o700)
    await createCacheRoot(root)
  })

  it('names the folder, the reason and cache_root when a file is in the way', async () => {
    const root = path.join(dir, 'cache')
    await writeFile(root, '')
    const error = await createCacheRoot(root).then(
      () => expect.fail('no error'),
      (error: unknown) => error,
    )
    expect(error).to.be.instanceOf(DeskrunError)
    expect(error).to.include({
      code: 'CACHE_ROOT_UNUSABLE',
      message: `Cannot create the cache root ${root}: it is a file, not a folder.`,
    })
    expect((error as DeskrunError).hint).to.contain('"cache_root"')
  })
})
