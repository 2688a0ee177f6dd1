/** `deskrun doctor` through the built CLI against the fake tools: what it finds, its exit code, --json. */
import {readdir, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import path from 'node:path'

import {expect} from 'chai'

import type {Check, DoctorReport} from '../../src/lib/app/doctor/types.js'
import {CA_PEM, EXPIRED_CA_PEM} from '../helpers/certificates.js'
import {startServer} from '../unit/provision/server.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

describe('deskrun doctor', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  async function doctor(args: string[] = [], env: Record<string, string> = {}) {
    const result = await s.deskrun(['doctor', '--json', ...args], {env})
    const report = JSON.parse(result.stdout) as DoctorReport
    const byId = Object.fromEntries(report.checks.map((check) => [check.id, check])) as Record<string, Check>
    return {result, report, byId}
  }

  it('on a machine with everything: the tools it uses and no cluster yet; exit 0', async () => {
    const {result, report, byId} = await doctor()
    expect(result.exitCode, result.stderr).to.equal(report.ok ? 0 : 1)
    for (const id of ['config', 'docker', 'kind', 'helm', 'kubectl', 'cluster', 'cache-mount', 'controller'])
      expect(byId[id].status, `${id}: ${byId[id].found}`).to.equal('ok')
    expect(byId.docker.found).to.match(/^Docker Engine 28\./)
    expect(byId.kind.found).to.equal(`v0.29.0 (PATH: ${path.join(s.fake.binDir, 'kind')})`)
    expect(byId.kind.tool).to.include({source: 'path', version: '0.29.0'})
    expect(byId.cluster.found).to.contain('not there yet')
  })

  it('after add: the cluster answers, mounts the cache root, and runs a matching controller', async () => {
    expectOk(await s.add('my-runner'))
    const {result, byId} = await doctor()
    for (const id of ['cluster', 'cache-mount', 'controller'])
      expect(byId[id].status, `${id}: ${byId[id].found}`).to.equal('ok')
    expect(byId['cache-mount'].found).to.contain(s.cacheRoot)
    expect(byId.controller.found).to.contain('0.14.2 deployed, 4 CRDs present')
    expect(result.exitCode).to.be.oneOf([0, 1])
  })

  it('a cluster made without the cache mount fails, with the recreate command; exit 1 under --json', async () => {
    await s.fake.tool('kind', ['create', 'cluster', '--name', 'deskrun'])
    const {result, report, byId} = await doctor()
    expect(byId['cache-mount'].status).to.equal('fail')
    expect(byId['cache-mount'].fix).to.contain('deskrun cluster delete && deskrun up')
    expect(report.ok).to.equal(false)
    expect(result.exitCode).to.equal(1)
  })

  it('Docker down: fails with how to start it, and checks nothing behind it', async () => {
    const {result, byId} = await doctor([], {FAKE_DOCKER_DOWN: '1'})
    expect(result.exitCode).to.equal(1)
    expect(byId.docker.status).to.equal('fail')
    expect(byId.docker.found).to.contain('not reachable')
    expect(byId.docker.fix).to.contain('Start Docker')
    expect(byId.cluster.found).to.equal('not checked: needs Docker and kind')
  })

  it('kind missing, piped: a tab-separated line per check with the fix, exit 1', async () => {
    const result = await s.fake.run(['doctor'], {omit: ['kind']})
    expect(result.exitCode).to.equal(1)
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'))
    expect(
      rows.every((row) => row.length === 4),
      result.stdout,
    ).to.equal(true)
    expect(rows.map(([, check]) => check)).to.include.members(['Config', 'Docker', 'kind', 'helm'])
    const [status, , found, fix] = rows.find(([, check]) => check === 'kind')!
    expect([status, found]).to.deep.equal(['fail', `not found in ${'~/.deskrun/bin'} or on PATH`])
    expect(fix).to.contain('deskrun doctor --fix')
    expect(result.stderr).to.contain('`deskrun doctor --fix` installs the missing tools.')
  })

  it('--fix refuses a mirror file whose checksum is wrong and leaves nothing in ~/.deskrun/bin', async function () {
    if (!['linux', 'darwin'].includes(process.platform) || !['x64', 'arm64'].includes(process.arch))
      this.skip()
    const server = await startServer()
    try {
      const platform = `${process.platform}-${process.arch === 'x64' ? 'amd64' : 'arm64'}`
      server.routes[`/mirror/kind/v0.29.0/kind-${platform}`] = {
        body: Buffer.from('#!/bin/sh\necho not kind\n'),
      }
      const result = await s.fake.run(['doctor', '--fix'], {
        omit: ['kind'],
        extra: {DESKRUN_TOOLS_BASE_URL: `${server.url}/mirror`},
      })
      expect(result.exitCode).to.equal(1)
      expect(result.stderr).to.contain('does not match the sha256 deskrun pins')
      expect(server.hits).to.deep.equal([`/mirror/kind/v0.29.0/kind-${platform}`])
      expect(await readdir(path.join(s.fake.deskrunHome, 'bin'))).to.deep.equal([])
    } finally {
      await server.close()
    }
  })

  it('checks the proxies and GitHub CAs of the defaults and of each installation, naming whose and the fix', async () => {
    // A local stand-in for the default proxy; the installation's own proxy has a name that never resolves.
    const proxy = createServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const {port} = proxy.address() as {port: number}
      await s.writeInstallations({
        web: {},
        corp: {Proxy: 'http://builder:Pr0xyPassw0rd@deskrun-proxy.invalid:3128', GitHubCA: EXPIRED_CA_PEM},
      })
      const config = await s.config()
      await writeFile(
        s.configFile,
        JSON.stringify({...config, proxy: `http://127.0.0.1:${port}`, github_ca: CA_PEM}),
      )
      const {result, byId} = await doctor()
      expect(result.exitCode).to.equal(1)
      expect(byId.proxy.status).to.equal('fail')
      // (Without a DNS server at hand, the resolver says EAI_AGAIN rather than ENOTFOUND.)
      expect(byId.proxy.found).to.match(
        new RegExp(
          `^the defaults: http://127\\.0\\.0\\.1:${port} accepts connections; ` +
            'corp: http://\\*\\*\\*@deskrun-proxy\\.invalid:3128: deskrun-proxy\\.invalid does not resolve \\((ENOTFOUND|EAI_AGAIN)\\)$',
        ),
      )
      expect(byId.proxy.fix).to.include('deskrun set corp --proxy URL (or --clear-proxy to use the defaults)')
      expect(byId['github-ca'].status).to.equal('fail')
      expect(byId['github-ca'].found).to.equal(
        'the defaults: CN=deskrun test CA, until 2100-01-01. ' +
          'corp: the certificate (CN=deskrun expired test CA) expired on 2001-01-01',
      )
      expect(`${result.stdout}${result.stderr}`).to.not.include('Pr0xyPassw0rd')
    } finally {
      await new Promise((resolve) => proxy.close(resolve))
    }
  })
})
