import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {DeskrunError} from '../../../src/lib/domain/errors.js'
import {downloadVerified, progressText} from '../../../src/lib/adapters/provision/download.js'
import {sha256, startServer, type TestServer} from './server.js'

describe('provision: verified downloads', () => {
  const body = Buffer.alloc(300_000, 'deskrun')
  let server: TestServer
  let folder: string
  let file: string

  beforeEach(async () => {
    server = await startServer({'/file': {body}})
    folder = await mkdtemp(path.join(os.tmpdir(), 'deskrun-download-'))
    file = path.join(folder, 'file.download')
  })
  afterEach(async () => {
    await server.close()
    await rm(folder, {recursive: true, force: true})
  })

  const fetchTo = (route: string, sha = sha256(body), stallTimeoutMs = 5000, signal?: AbortSignal) =>
    downloadVerified(`${server.url}${route}`, file, {
      sha256: sha,
      label: 'kind v0.29.0',
      stallTimeoutMs,
      signal,
    })

  async function refused(promise: Promise<void>): Promise<DeskrunError> {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).to.be.instanceOf(DeskrunError)
    expect(await readdir(folder), 'nothing is left behind').to.deep.equal([])
    return error as DeskrunError
  }

  it('writes a file that matches its checksum, reporting progress', async () => {
    const progress: number[] = []
    await downloadVerified(`${server.url}/file`, file, {
      sha256: sha256(body),
      label: 'kind v0.29.0',
      onProgress: (received, total) => {
        expect(total).to.equal(body.length)
        progress.push(received)
      },
    })
    expect(await readFile(file)).to.deep.equal(body)
    expect(progress.at(-1)).to.equal(body.length)
  })

  it('refuses a file with another checksum', async () => {
    const error = await refused(fetchTo('/file', 'f'.repeat(64)))
    expect(error.code).to.equal('CHECKSUM_MISMATCH')
    expect(error.message)
      .to.contain('kind v0.29.0')
      .and.contain(`received ${sha256(body)}`)
  })

  it('refuses a 404', async () => {
    const error = await refused(fetchTo('/missing'))
    expect(error.code).to.equal('DOWNLOAD_FAILED')
    expect(error.message).to.contain('404')
  })

  it('refuses a body cut short', async () => {
    server.routes['/cut'] = {body, cutAfter: 100_000}
    const error = await refused(fetchTo('/cut'))
    expect(error.code).to.equal('DOWNLOAD_TRUNCATED')
    expect(error.message).to.contain('ended early').and.contain('/ 0.3 MB')
  })

  it('gives up on a server that stalls mid-body', async () => {
    server.routes['/stall'] = {body, stallAfter: 50_000}
    const error = await refused(fetchTo('/stall', sha256(body), 200))
    expect(error.code).to.equal('DOWNLOAD_STALLED')
    expect(error.message).to.contain('stalled').and.contain('0.1 / 0.3 MB received')
  })

  it('gives up on a server that never sends a byte of the body', async () => {
    server.routes['/silent'] = {body, stallAfter: 0}
    const error = await refused(fetchTo('/silent', sha256(body), 200))
    expect(error.code).to.equal('DOWNLOAD_STALLED')
  })

  it('stops when interrupted', async () => {
    server.routes['/stall'] = {body, stallAfter: 10}
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const error = await refused(fetchTo('/stall', sha256(body), 60_000, controller.signal))
    expect(error).to.include({code: 'INTERRUPTED', exit: 130})
  })

  it('shows progress in MB', () => {
    expect(progressText(12_345_678, 45_600_000)).to.equal('12.3 / 45.6 MB')
    expect(progressText(12_345_678)).to.equal('12.3 MB')
  })
})
