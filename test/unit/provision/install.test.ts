import {mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {emptyConfig} from '../../../src/lib/config/convert.js'
import {checkTool} from '../../../src/lib/doctor/checks/tools.js'
import {createContext} from '../../../src/lib/doctor/run.js'
import {DeskrunError} from '../../../src/lib/errors.js'
import {installTool, provisionTools, progressReporter} from '../../../src/lib/provision/install.js'
import {ToolRunner} from '../../../src/lib/tools/runner.js'
import {HELM_BINARY, KIND_BINARY, OFFICIAL, testCatalog} from './fixtures.js'
import {sha256, startServer, tarGz, type TestServer} from './server.js'

describe('provision: installing pinned tools', function () {
  if (process.platform === 'win32') return
  let server: TestServer
  let home: string
  let binDir: string

  beforeEach(async () => {
    server = await startServer({...OFFICIAL})
    home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-provision-'))
    binDir = path.join(home, 'bin')
  })
  afterEach(async () => {
    await server.close()
    await rm(home, {recursive: true, force: true})
  })

  const options = (extra: object = {}) => ({
    binDir,
    catalog: testCatalog(server.url),
    platform: 'linux-amd64',
    stallTimeoutMs: 300,
    ...extra,
  })

  async function refused(promise: Promise<unknown>, leftOver: string[] = []): Promise<DeskrunError> {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).to.be.instanceOf(DeskrunError)
    expect((await readdir(binDir).catch(() => [])).sort(), 'nothing half-installed').to.deep.equal(leftOver)
    return error as DeskrunError
  }

  it('installs a verified binary, executable, and deskrun then uses it before PATH', async () => {
    const installed = await installTool('kind', options())
    expect(installed).to.deep.equal({tool: 'kind', version: 'v0.29.0', path: path.join(binDir, 'kind')})
    expect(await readFile(installed.path)).to.deep.equal(KIND_BINARY)
    expect((await stat(installed.path)).mode & 0o777).to.equal(0o755)
    expect(await readdir(binDir)).to.deep.equal(['kind'])

    // The same lookup and the same runner that every deskrun command uses.
    const env = {DESKRUN_HOME: home, PATH: '/usr/bin:/bin'}
    const ctx = createContext(emptyConfig(), {env})
    const check = await checkTool(ctx, 'kind')
    expect(check.status).to.equal('ok')
    expect(check.tool).to.include({source: 'deskrun', path: installed.path, version: '0.29.0'})
    const result = await new ToolRunner({env}).run('kind', ['version'])
    expect(result.stdout).to.equal('kind v0.29.0 go1.24.2 linux/amd64')
  })

  it('takes helm out of its verified archive', async () => {
    const installed = await installTool('helm', options())
    expect(await readFile(installed.path)).to.deep.equal(HELM_BINARY)
    expect(await readdir(binDir)).to.deep.equal(['helm'])
  })

  it('downloads from a mirror laid out as <base>/<tool>/<version>/<file>', async () => {
    server.routes['/mirror/kind/v0.29.0/kind-linux-amd64'] = {body: KIND_BINARY}
    server.routes['/mirror/kubectl/v1.33.7/bin/linux/amd64/kubectl'] = OFFICIAL['/official/kubectl']
    await installTool('kind', options({baseUrl: `${server.url}/mirror/`}))
    await installTool('kubectl', options({baseUrl: `${server.url}/mirror`}))
    expect(server.hits).to.deep.equal([
      '/mirror/kind/v0.29.0/kind-linux-amd64',
      '/mirror/kubectl/v1.33.7/bin/linux/amd64/kubectl',
    ])
  })

  it('explains the mirror layout when the mirror lacks a file', async () => {
    const error = await refused(installTool('kind', options({baseUrl: `${server.url}/mirror`})))
    expect(error.message).to.contain('404').and.contain('/mirror/kind/v0.29.0/kind-linux-amd64')
    expect(error.hint).to.contain('DESKRUN_TOOLS_BASE_URL').and.contain('<base>/<tool>/<version>/<file>')
  })

  it('refuses a bad checksum, a 404, a truncated body and a stalled server, leaving nothing', async () => {
    const catalog = testCatalog(server.url)
    catalog.kind.artifacts['linux-amd64']!.sha256 = '0'.repeat(64)
    expect((await refused(installTool('kind', options({catalog})))).code).to.equal('CHECKSUM_MISMATCH')

    delete server.routes['/official/kind-linux-amd64']
    expect((await refused(installTool('kind', options()))).code).to.equal('DOWNLOAD_FAILED')

    server.routes['/official/kind-linux-amd64'] = {body: KIND_BINARY, cutAfter: 10}
    expect((await refused(installTool('kind', options()))).code).to.equal('DOWNLOAD_TRUNCATED')

    server.routes['/official/kind-linux-amd64'] = {body: KIND_BINARY, stallAfter: 10}
    expect((await refused(installTool('kind', options()))).code).to.equal('DOWNLOAD_STALLED')
  })

  it('keeps a working copy when its replacement fails to verify', async () => {
    await mkdir(binDir)
    await writeFile(path.join(binDir, 'kind'), 'old kind', {mode: 0o755})
    const catalog = testCatalog(server.url)
    catalog.kind.artifacts['linux-amd64']!.sha256 = '0'.repeat(64)
    await refused(installTool('kind', options({catalog})), ['kind'])
    expect(await readFile(path.join(binDir, 'kind'), 'utf8')).to.equal('old kind')
  })

  it('refuses an archive without the binary', async () => {
    const catalog = testCatalog(server.url)
    const archive = tarGz([{name: 'linux-amd64/README.md', body: Buffer.from('no helm here')}])
    server.routes['/official/helm-v3.18.4-linux-amd64.tar.gz'] = {body: archive}
    catalog.helm.artifacts['linux-amd64']!.sha256 = sha256(archive)
    const error = await refused(installTool('helm', options({catalog})))
    expect(error.message).to.contain('has no linux-amd64/helm')
  })

  it('says it cannot install where it has no verified download, and points at the docs', async () => {
    const error = await refused(installTool('kind', options({platform: 'windows-amd64'})))
    expect(error.code).to.equal('NO_PINNED_DOWNLOAD')
    expect(error.message).to.contain('windows-amd64')
    expect(error.hint).to.contain('kind.sigs.k8s.io')
    expect(server.hits).to.deep.equal([])
  })

  it('installs several tools in one progress list', async () => {
    const installed = await provisionTools(['kind', 'helm', 'kubectl'], {...options(), json: true})
    expect(installed.map((tool) => `${tool.tool} ${tool.version}`)).to.deep.equal([
      'kind v0.29.0',
      'helm v3.18.4',
      'kubectl v1.33.7',
    ])
    expect((await readdir(binDir)).sort()).to.deep.equal(['helm', 'kind', 'kubectl'])
  })

  it('reports progress often on a live display and every tenth in a log', () => {
    const live = progressReporter(true)
    expect([live(100_000, 1e6), live(100_001, 1e6), live(200_000, 1e6)]).to.deep.equal([
      '0.1 / 1.0 MB',
      undefined,
      '0.2 / 1.0 MB',
    ])
    const log = progressReporter(false)
    expect([log(10, 1e6), log(50_000, 1e6), log(100_000, 1e6), log(1e6, 1e6)]).to.deep.equal([
      '0.0 / 1.0 MB',
      undefined,
      '0.1 / 1.0 MB',
      '1.0 / 1.0 MB',
    ])
  })
})
