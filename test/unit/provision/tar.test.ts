import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'
import {execa} from 'execa'

import {extractMember} from '../../../src/lib/adapters/provision/tar.js'
import {tarGz} from './server.js'

describe('provision: taking a file out of a .tar.gz', () => {
  let folder: string
  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'deskrun-tar-'))
  })
  afterEach(() => rm(folder, {recursive: true, force: true}))

  let count = 0
  async function extract(archive: Buffer, member: string): Promise<Buffer> {
    const name = path.join(folder, `${++count}`)
    await writeFile(`${name}.tar.gz`, archive)
    await extractMember(`${name}.tar.gz`, member, name)
    return readFile(name)
  }

  it('finds a member after others, across gzip chunks, whatever its size', async () => {
    const big = Buffer.alloc(700_001, 'h')
    const archive = tarGz([
      {name: 'linux-amd64/LICENSE', body: Buffer.alloc(70_000, 'l')},
      {name: 'linux-amd64/helm', body: big},
      {name: 'linux-amd64/README.md', body: Buffer.from('readme')},
    ])
    expect((await extract(archive, 'linux-amd64/helm')).equals(big)).to.equal(true)
    expect((await extract(archive, './linux-amd64/README.md')).toString()).to.equal('readme')
  })

  it('reads names longer than 100 bytes from pax headers', async () => {
    const name = `${'deep/'.repeat(30)}helm`
    expect((await extract(tarGz([{name, body: Buffer.from('long')}]), name)).toString()).to.equal('long')
  })

  it('refuses an archive without the member', async () => {
    const error = await extract(tarGz([{name: 'other', body: Buffer.from('x')}]), 'linux-amd64/helm').catch(
      (reason: Error) => reason,
    )
    expect(error).to.be.instanceOf(Error)
    expect((error as Error).message).to.contain('has no linux-amd64/helm')
  })

  it('reads what the system tar writes', async function () {
    const probe = await execa('tar', ['--version'], {reject: false})
    if (probe.exitCode !== 0) this.skip()
    await mkdir(path.join(folder, 'src', 'linux-amd64'), {recursive: true})
    await writeFile(path.join(folder, 'src', 'linux-amd64', 'helm'), 'real tar')
    await execa('tar', [
      '-czf',
      path.join(folder, 'sys.tar.gz'),
      '-C',
      path.join(folder, 'src'),
      'linux-amd64',
    ])
    await extractMember(path.join(folder, 'sys.tar.gz'), 'linux-amd64/helm', path.join(folder, 'out'))
    expect(await readFile(path.join(folder, 'out'), 'utf8')).to.equal('real tar')
  })

  it('reads GNU long names (GNU tar)', async function () {
    const probe = await execa('tar', ['--version'], {reject: false})
    if (!/GNU tar/.test(probe.stdout)) this.skip()
    const dir = path.join(folder, 'gnu', `${'long-folder-name/'.repeat(8)}linux-amd64`)
    await mkdir(dir, {recursive: true})
    await writeFile(path.join(dir, 'helm'), 'gnu long name')
    const member = path.relative(path.join(folder, 'gnu'), path.join(dir, 'helm'))
    await execa('tar', [
      '--format=gnu',
      '-czf',
      path.join(folder, 'gnu.tar.gz'),
      '-C',
      path.join(folder, 'gnu'),
      member,
    ])
    await extractMember(path.join(folder, 'gnu.tar.gz'), member, path.join(folder, 'gnu-out'))
    expect(await readFile(path.join(folder, 'gnu-out'), 'utf8')).to.equal('gnu long name')
  })
})
