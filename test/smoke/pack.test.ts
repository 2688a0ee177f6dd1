/** The published package: `npm pack` gives a tarball that installs globally and runs as `deskrun`. */
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'
import {execa} from 'execa'

import {REPO_ROOT} from '../helpers/fake-tools.js'

describe('npm pack + global install', function () {
  this.timeout(5 * 60 * 1000)
  let dir: string
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'deskrun-pack-'))
  })
  after(() => rm(dir, {recursive: true, force: true}))

  it('installs from the tarball and runs', async () => {
    // dist/ and the manifest are built by `npm test` before the tests run.
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: REPO_ROOT,
    })
    const [{filename, files}] = JSON.parse(packed.stdout) as [{filename: string; files: {path: string}[]}]
    const paths = files.map((file) => file.path)
    expect(paths).to.include.members([
      'bin/run.js',
      'oclif.manifest.json',
      'dist/index.js',
      'dist/index.d.ts',
      'README.md',
    ])
    expect(paths.filter((file) => file.startsWith('test/') || file.startsWith('src/'))).to.deep.equal([])

    const prefix = path.join(dir, 'global')
    await execa('npm', [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      path.join(dir, filename),
    ])
    const bin = path.join(prefix, 'bin', 'deskrun')
    const env = {DESKRUN_HOME: path.join(dir, 'home')}
    const version = await execa(bin, ['--version'], {env})
    expect(version.stdout).to.match(/^deskrun\/\d+\.\d+\.\d+ /)
    const modes = JSON.parse((await execa(bin, ['modes', '--json'], {env})).stdout)
    expect(modes.modes.map((mode: {name: string}) => mode.name)).to.include.members([
      'kubernetes',
      'cached-privileged-kubernetes',
      'dind',
    ])
  })
})
