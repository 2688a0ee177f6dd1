import {createServer, type Server} from 'node:net'

import {expect} from 'chai'

import {reach} from '../../../src/lib/adapters/reach.js'
import {checkGitHubCAs, checkProxies} from '../../../src/lib/app/doctor/checks/network.js'
import type {NetworkSubject} from '../../../src/lib/app/doctor/context.js'
import {CA_PEM, EXPIRED_CA_PEM} from '../../helpers/certificates.js'
import {FakeTools, context, healthyMachine, healthyWorld, type Machine} from './fakes.js'

const PASSWORD = 'Pr0xyPassw0rd'

const on = (network: NetworkSubject[], machine: Machine = healthyMachine()) =>
  context(new FakeTools(healthyWorld()), machine, {network})

describe('doctor: proxy and GitHub CA', () => {
  describe('proxy', () => {
    it('is not shown when nothing uses one', async () => {
      expect(await checkProxies(on([{githubCA: CA_PEM}]))).to.equal(undefined)
    })

    it('asks each host once, and says who uses it without showing credentials', async () => {
      const machine = healthyMachine()
      machine.hosts = {'proxy.example.com:3128': {ok: true, address: '192.0.2.10'}}
      const asked: string[] = []
      const ctx = on(
        [
          {proxy: `http://me:${PASSWORD}@proxy.example.com:3128`},
          {installation: 'web', proxy: 'http://proxy.example.com:3128'},
        ],
        machine,
      )
      const reachOf = ctx.facts.reach
      ctx.facts.reach = (host, port, timeout) => (asked.push(`${host}:${port}`), reachOf(host, port, timeout))
      const check = (await checkProxies(ctx))!
      expect(check.status).to.equal('ok')
      expect(check.found).to.equal(
        'the defaults: http://***@proxy.example.com:3128 accepts connections; web: http://proxy.example.com:3128 accepts connections',
      )
      expect(asked).to.deep.equal(['proxy.example.com:3128'])
      expect(JSON.stringify(check)).to.not.include(PASSWORD)
    })

    it('fails for a name that does not resolve, a port that refuses and a malformed URL, each with its fix', async () => {
      const machine = healthyMachine()
      machine.hosts = {'10.0.0.1:80': {ok: false, stage: 'connect', reason: 'ECONNREFUSED'}}
      const check = (await checkProxies(
        on(
          [
            {proxy: 'http://proxy.invalid:3128'},
            {installation: 'web', proxy: 'http://10.0.0.1'},
            {installation: 'corp', proxy: `socks5://me:${PASSWORD}@proxy:1080`},
          ],
          machine,
        ),
      ))!
      expect(check.status).to.equal('fail')
      expect(check.found.split('; ')).to.deep.equal([
        'the defaults: http://proxy.invalid:3128: proxy.invalid does not resolve (ENOTFOUND)',
        'web: http://10.0.0.1: 10.0.0.1:80 does not accept a connection (ECONNREFUSED)',
        'corp: --proxy socks5://***@proxy:1080: the proxy must be an http:// or https:// URL, for example --proxy http://proxy.example.com:3128 (or http://USER:PASSWORD@proxy.example.com:3128).',
      ])
      expect(check.fix!.split('\n').slice(1)).to.deep.equal([
        'deskrun defaults --proxy URL (or --clear-proxy)',
        'deskrun set web --proxy URL (or --clear-proxy to use the defaults)',
        'deskrun set corp --proxy URL (or --clear-proxy to use the defaults)',
      ])
      expect(JSON.stringify(check)).to.not.include(PASSWORD)
    })
  })

  describe('GitHub CA', () => {
    it('names each certificate and its end of validity', async () => {
      const check = (await checkGitHubCAs(
        on([{githubCA: CA_PEM}, {installation: 'ghes', githubCA: CA_PEM}]),
      ))!
      expect(check.status).to.equal('ok')
      expect(check.found).to.equal(
        'the defaults: CN=deskrun test CA, until 2100-01-01. ghes: CN=deskrun test CA, until 2100-01-01',
      )
      expect(await checkGitHubCAs(on([{proxy: 'http://p:1'}]))).to.equal(undefined)
    })

    it('fails for an expired CA and one that does not parse; warns for an expired one beside a valid one', async () => {
      const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'
      const failed = (await checkGitHubCAs(
        on([{githubCA: EXPIRED_CA_PEM}, {installation: 'ghes', githubCA: broken}]),
      ))!
      expect(failed.status).to.equal('fail')
      expect(failed.found).to.equal(
        'the defaults: the certificate (CN=deskrun expired test CA) expired on 2001-01-01. ' +
          'ghes: the certificate is not a valid X.509 certificate (its PEM block does not parse)',
      )
      expect(failed.fix).to.include('deskrun defaults --github-ca-file FILE (or --clear-github-ca)')
      expect(failed.fix).to.include('deskrun set ghes --github-ca-file FILE')

      const mixed = (await checkGitHubCAs(on([{githubCA: `${CA_PEM}\n${EXPIRED_CA_PEM}`}])))!
      expect(mixed.status).to.equal('warn')
      expect(mixed.found).to.include('certificate 2 of 2 (CN=deskrun expired test CA) expired on 2001-01-01')
    })

    it("judges by the machine's clock", async () => {
      const machine = healthyMachine()
      machine.now = new Date('2100-06-01T00:00:00Z')
      expect((await checkGitHubCAs(on([{githubCA: CA_PEM}], machine)))!.found).to.include(
        'expired on 2100-01-01',
      )
    })
  })

  describe('reach (the real probe, on this machine only)', () => {
    let server: Server
    let port: number
    beforeEach(async () => {
      server = createServer((socket) => socket.destroy())
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      port = (server.address() as {port: number}).port
    })
    afterEach(() => new Promise((resolve) => server.close(resolve)))

    it('connects to a listening port, sends nothing, and says when one refuses or a name does not resolve', async () => {
      let received = ''
      server.on('connection', (socket) => socket.on('data', (data) => (received += String(data))))
      expect(await reach('127.0.0.1', port, 2000)).to.deep.equal({ok: true, address: '127.0.0.1'})
      expect(received).to.equal('')

      await new Promise((resolve) => server.close(resolve))
      expect(await reach('127.0.0.1', port, 2000)).to.deep.equal({
        ok: false,
        stage: 'connect',
        reason: 'ECONNREFUSED',
      })
      server = createServer()
      // RFC 6761: names under .invalid never resolve.
      const unresolved = await reach('deskrun-proxy.invalid', 3128, 2000)
      expect(unresolved).to.include({ok: false, stage: 'resolve'})
    })
  })
})
