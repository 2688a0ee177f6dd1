/**
 * `deskrun defaults`: the proxy and GitHub CA of installations without their own. They reach the scale
 * sets through `up` (values differ), and the proxy password never shows outside the config and the Secret.
 */
import {readFile} from 'node:fs/promises'

import {expect} from 'chai'

import {CA_FILE, CA_PEM, EXPIRED_CA_FILE} from '../helpers/certificates.js'
import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'
const PASSWORD = 'Def4ultProxyPassw0rd'
const PROXY = `http://builder:${PASSWORD}@proxy.example.com:3128`
const SHOWN = 'http://***@proxy.example.com:3128'

describe('deskrun defaults', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const runnerSet = async (name: string) =>
    (await s.fake.objects(CLUSTER, {kind: 'AutoscalingRunnerSet', namespace: 'arc-runners'})).find(
      (object) => object.metadata.name === name,
    ) as unknown as {spec: Record<string, unknown>} | undefined
  const object = async (kind: string, name: string) =>
    (await s.fake.objects(CLUSTER, {kind, namespace: 'arc-runners'})).find((o) => o.metadata.name === name)
  const network = async () =>
    Object.fromEntries(
      (JSON.parse((await s.deskrun(['list', '--json'])).stdout).installations as any[]).map((one) => [
        one.name,
        one.network,
      ]),
    )

  it('shows none at first', async () => {
    const shown = await s.deskrun(['defaults'])
    expectOk(shown)
    expect(shown.stdout).to.include('proxy:      none').and.include('GitHub CA:  none')
    const json = JSON.parse((await s.deskrun(['defaults', '--json'])).stdout)
    expect(json).to.deep.equal({
      defaults: {githubCA: false},
      usedBy: {proxy: [], githubCA: []},
      changes: [],
      needsUp: [],
    })
  })

  it('reach every installation without its own through up; its own wins; cleared, they go again', async () => {
    expectOk(await s.add('web'))
    expectOk(await s.add('own', '--proxy', 'http://own-proxy.example.com:8080'))

    const set = await s.deskrun([
      'defaults',
      '--proxy',
      PROXY,
      '--no-proxy',
      '.example.com,10.0.0.0/8',
      '--github-ca-file',
      CA_FILE,
    ])
    expectOk(set)
    expect(set.stdout).to.include(`proxy: none → ${SHOWN}`).and.include('GitHub CA: none → set')
    expect(set.stdout).to.include('CN=deskrun test CA, until 2100-01-01 (used by own, web)')
    expect(set.stdout).to.include('Bring own, web up to date with: deskrun up')
    expect(`${set.stdout}${set.stderr}`).to.not.include(PASSWORD)
    const file = await s.config()
    expect(file).to.deep.include({proxy: PROXY, no_proxy: ['.example.com', '10.0.0.0/8'], github_ca: CA_PEM})
    expect(file.installations.web.Proxy).to.equal(undefined)
    expect(file.installations.web.Deployed).to.equal(false)

    expect(await network()).to.deep.equal({
      web: {
        proxy: SHOWN,
        proxyFrom: 'defaults',
        noProxy: ['.example.com', '10.0.0.0/8'],
        githubCA: true,
        githubCAFrom: 'defaults',
      },
      own: {
        proxy: 'http://own-proxy.example.com:8080',
        proxyFrom: 'installation',
        githubCA: true,
        githubCAFrom: 'defaults',
      },
    })

    // The plan: values differ for both (the CA), the proxy only for web; web gets the proxy's Secret.
    const planned = JSON.parse((await s.deskrun(['up', '--dry-run', '--json'])).stdout).plan
    expect(planned.actions.map((action: {description: string}) => action.description).sort()).to.deep.equal([
      'apply configmap/own-github-ca (not in the cluster)',
      'apply configmap/web-github-ca (not in the cluster)',
      'apply secret/web-proxy-auth (credentials not in the cluster)',
      'upgrade scale set own (githubServerTLS differs)',
      'upgrade scale set web (githubServerTLS differs; proxy differs)',
    ])

    expectOk(await s.deskrun(['up']))
    const endpoint = {url: 'http://proxy.example.com:3128', credentialSecretRef: 'web-proxy-auth'}
    expect((await runnerSet('web'))!.spec.proxy).to.deep.equal({
      http: endpoint,
      https: endpoint,
      noProxy: ['.example.com', '10.0.0.0/8'],
    })
    expect((await runnerSet('own'))!.spec.proxy).to.deep.equal({
      http: {url: 'http://own-proxy.example.com:8080'},
      https: {url: 'http://own-proxy.example.com:8080'},
    })
    const secret = (await object('Secret', 'web-proxy-auth')) as unknown as {
      data: Record<string, string>
      metadata: {annotations?: Record<string, string>}
    }
    expect(Buffer.from(secret.data.password, 'base64').toString()).to.equal(PASSWORD)
    expect(JSON.stringify(secret.metadata.annotations ?? {})).to.not.include(PASSWORD)
    expect((await s.config()).installations.web.Deployed).to.equal(true)
    const again = await s.deskrun(['up', '--json'])
    expect(JSON.parse(again.stdout).changed).to.deep.equal([])

    // Cleared: web loses its proxy and its Secret; own keeps its own.
    const cleared = await s.deskrun(['defaults', '--clear-proxy', '--json'])
    expectOk(cleared)
    expect(JSON.parse(cleared.stdout)).to.deep.include({
      changes: [`proxy: ${SHOWN} → none`, 'no-proxy: .example.com, 10.0.0.0/8 → none'],
      needsUp: ['web'],
    })
    expectOk(await s.deskrun(['up']))
    expect((await runnerSet('web'))!.spec.proxy).to.equal(undefined)
    expect(await object('Secret', 'web-proxy-auth')).to.equal(undefined)
    expect((await runnerSet('own'))!.spec.proxy).to.not.equal(undefined)

    // The password stayed out of every argv, child environment, Helm value and output.
    for (const call of await s.fake.calls()) {
      expect(call.argv.join(' ')).to.not.include(PASSWORD)
      expect(JSON.stringify(call.env)).to.not.include(PASSWORD)
      expect(call.stdin ?? '').to.not.include(PASSWORD)
    }
    for (const release of await s.fake.releases(CLUSTER))
      expect(JSON.stringify(release.values)).to.not.include(PASSWORD)
  })

  describe('bad input changes nothing', () => {
    for (const [name, args, message] of [
      [
        'a SOCKS proxy',
        ['--proxy', `socks5://me:${PASSWORD}@proxy:1080`],
        /must be an http:\/\/ or https:\/\/ URL/,
      ],
      ['--no-proxy without a proxy', ['--no-proxy', '.example.com'], /--no-proxy is given without --proxy/],
      [
        'an expired CA',
        ['--github-ca-file', EXPIRED_CA_FILE],
        /CN=deskrun expired test CA\) expired on 2001-01-01/,
      ],
      [
        'a CA file that is missing',
        ['--github-ca-file', '/nonexistent/ca.pem'],
        /cannot read \/nonexistent\/ca\.pem/,
      ],
      [
        'a proxy and --clear-proxy',
        ['--proxy', 'http://p.example.com:3128', '--clear-proxy'],
        /--proxy and --clear-proxy contradict each other; give one of them/,
      ],
      ['nothing to change', ['--clear-github-ca'], /Nothing to change/],
    ] as const)
      it(name, async () => {
        const before = await readFile(s.configFile, 'utf8')
        const result = await s.deskrun(['defaults', ...args])
        expect(result.exitCode, result.stderr).to.equal(2)
        expect(unwrap(result.stderr)).to.match(message)
        expect(`${result.stdout}${result.stderr}`).to.not.include(PASSWORD)
        expect(result.stderr).to.not.match(/\n\s+at .+\(.+:\d+:\d+\)/)
        expect(await readFile(s.configFile, 'utf8')).to.equal(before)
        expect(await s.fake.calls()).to.deep.equal([])
      })

    it('a bad default proxy written by hand: up names it as the defaults, and deskrun defaults fixes it', async () => {
      await s.writeInstallations({web: {}})
      const file = await s.config()
      const config = JSON.stringify({...file, proxy: 'ftp://proxy.example.com'})
      await import('node:fs/promises').then(({writeFile}) => writeFile(s.configFile, config))
      const up = await s.deskrun(['up'])
      expect(up.exitCode).to.not.equal(0)
      expect(up.stderr).to.include('In the defaults (deskrun defaults): --proxy ftp://proxy.example.com')
      expect(await readFile(s.configFile, 'utf8')).to.equal(config)
      expectOk(await s.deskrun(['defaults', '--clear-proxy']))
      expect(await s.config()).to.not.have.property('proxy')
    })
  })
})
