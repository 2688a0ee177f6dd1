/** `deskrun set`: change an installation in place (issue 13, "Changing an installation"). */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {CA_FILE, CA_PEM, EXPIRED_CA_FILE} from '../helpers/certificates.js'
import {TOKEN, expectOk, sandbox, type Sandbox} from './support.js'

const CLUSTER = 'deskrun'

describe('deskrun set', () => {
  let s: Sandbox
  beforeEach(async () => {
    s = await sandbox()
    expectOk(await s.add('my-runner'))
  })
  afterEach(async () => {
    await s.expectNoLeaks()
    await s.fake.cleanup()
  })
  const release = async (name: string) => (await s.fake.releases(CLUSTER)).find((one) => one.name === name)
  const writes = async (since: number) =>
    (await s.fake.calls())
      .slice(since)
      .filter((call) =>
        ['upgrade', 'uninstall', 'apply', 'delete', 'create'].includes(
          call.argv[call.tool === 'kubectl' ? 2 : 0],
        ),
      )

  it('says what changes, saves it, and upgrades only that scale set', async () => {
    const before = (await s.fake.calls()).length
    const result = await s.deskrun(['set', 'my-runner', '--max-runners', '3'])
    expectOk(result)
    expect(result.stdout).to.contain('max runners: 5 → 3')
    expect((await s.config()).installations['my-runner']).to.include({MaxRunners: 3, Deployed: true})
    expect((await release('my-runner'))?.values).to.deep.include({maxRunners: 3})
    expect(
      (await writes(before)).map((call) => `${call.tool} ${call.argv.slice(0, 3).join(' ')}`),
    ).to.deep.equal(['helm upgrade --install my-runner'])
  })

  it('--dry-run says what would change and changes nothing', async () => {
    const config = await readFile(s.configFile, 'utf8')
    const before = (await s.fake.calls()).length
    const result = await s.deskrun(['set', 'my-runner', '--instances', '2', '--dry-run'])
    expectOk(result)
    expect(result.stdout).to.contain('instances: 1 → 2')
    expect(await readFile(s.configFile, 'utf8')).to.equal(config)
    expect(await s.fake.calls()).to.have.length(before)
  })

  it('more instances replace the single scale set', async () => {
    expectOk(await s.deskrun(['set', 'my-runner', '--instances', '2']))
    const names = (await s.fake.releases(CLUSTER)).map((one) => one.name).sort()
    expect(names).to.deep.equal(['arc', 'my-runner-1', 'my-runner-2'])
  })

  it('a new credential is stored and said to have changed, never shown', async () => {
    const file = path.join(s.fake.root, 'new-token')
    const token = 'ghp_AnotherTestTokenDoNotLeak0123456789ab'
    await writeFile(file, `${token}\n`, {mode: 0o600})
    const result = await s.deskrun(['set', 'my-runner', '--auth-value-file', file])
    expectOk(result)
    expect(result.stdout).to.contain('credentials changed')
    expect(result.stdout + result.stderr)
      .not.to.contain(token)
      .and.not.to.contain(TOKEN)
    expect((await s.config()).installations['my-runner'].AuthValue).to.equal(token)
  })

  it('its own proxy and CA, and back to the defaults; the password never shown', async () => {
    const password = 'S3tProxyPassw0rd'
    expectOk(await s.deskrun(['defaults', '--proxy', 'http://default-proxy.example.com:3128']))
    const own = await s.deskrun([
      'set',
      'my-runner',
      '--proxy',
      `http://me:${password}@own-proxy.example.com:8080`,
      '--github-ca-file',
      CA_FILE,
    ])
    expectOk(own)
    expect(own.stdout)
      .to.contain('proxy: default → http://***@own-proxy.example.com:8080')
      .and.contain('GitHub CA: default → set')
    expect((await s.config()).installations['my-runner']).to.include({GitHubCA: CA_PEM})
    const endpoint = {url: 'http://own-proxy.example.com:8080', credentialSecretRef: 'my-runner-proxy-auth'}
    expect((await release('my-runner'))?.values?.proxy).to.deep.equal({http: endpoint, https: endpoint})

    const back = await s.deskrun(['set', 'my-runner', '--clear-proxy'])
    expectOk(back)
    expect(back.stdout).to.contain('proxy: http://***@own-proxy.example.com:8080 → default')
    expect((await s.config()).installations['my-runner']).to.not.have.property('Proxy')
    expect((await release('my-runner'))?.values?.proxy).to.deep.equal({
      http: {url: 'http://default-proxy.example.com:3128'},
      https: {url: 'http://default-proxy.example.com:3128'},
    })
    const listed = JSON.parse((await s.deskrun(['list', '--json'])).stdout).installations[0].network
    expect(listed).to.deep.include({proxyFrom: 'defaults', githubCAFrom: 'installation'})
    for (const call of await s.fake.calls()) expect(call.argv.join(' ')).to.not.include(password)
    expect(`${own.stdout}${own.stderr}${back.stdout}${back.stderr}`).to.not.include(password)
  })

  for (const [what, args] of [
    ['an unknown installation', ['set', 'nope', '--max-runners', '2']],
    ['a proxy that is no URL', ['set', 'my-runner', '--proxy', 'proxy.example.com:3128']],
    ['an expired CA', ['set', 'my-runner', '--github-ca-file', EXPIRED_CA_FILE]],
    ['--clear-github-ca without a CA of its own', ['set', 'my-runner', '--clear-github-ca']],
    ['nothing to change', ['set', 'my-runner', '--max-runners', '5']],
    ['an invalid value', ['set', 'my-runner', '--min-runners', '9', '--max-runners', '2']],
    ['runners per instance', ['set', 'my-runner', '--instances', '2', '--max-runners', '3']],
  ] as const)
    it(`refuses ${what}: exit 2, nothing changed`, async () => {
      const config = await readFile(s.configFile, 'utf8')
      const before = (await s.fake.calls()).length
      const result = await s.deskrun([...args])
      expect(result.exitCode, result.stderr).to.equal(2)
      expect(await readFile(s.configFile, 'utf8')).to.equal(config)
      expect(await s.fake.calls()).to.have.length(before)
    })
})
