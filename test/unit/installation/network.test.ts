import {expect} from 'chai'

import {networkObjects, networkValues} from '../../../src/lib/domain/arc/network.js'
import {
  caProblem,
  displayProxy,
  effectiveNetwork,
  inheritedNetworkProblems,
  networkProblems,
  networkSummary,
  parseNoProxy,
  proxyProblem,
  splitProxy,
} from '../../../src/lib/domain/installation/network.js'

const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----'
const PASSWORD = 'p@ss:w/rd'
const WITH_CREDENTIALS = `http://me:${encodeURIComponent(PASSWORD)}@proxy.example.com:3128`

describe('--proxy, --no-proxy, --github-ca-file', () => {
  it('takes http(s) proxy URLs and refuses others without repeating credentials', () => {
    expect(proxyProblem('http://proxy.example.com:3128')).to.equal(undefined)
    expect(proxyProblem('https://proxy.example.com')).to.equal(undefined)
    expect(proxyProblem(WITH_CREDENTIALS)).to.equal(undefined)
    for (const [url, message] of [
      ['socks5://me:secret@proxy:1080', /must be an http:\/\/ or https:\/\/ URL/],
      ['http://me:secret@proxy:3128/path', /scheme, host and port only/],
      ['proxy.example.com:3128', /must be an http:\/\/ or https:\/\/ URL/],
      ['http://', /is not a URL/],
    ] as const) {
      const problem = proxyProblem(url)
      expect(problem).to.match(message)
      expect(problem).to.not.include('secret')
    }
  })

  it('splits the credentials off the URL, decoded', () => {
    expect(splitProxy(WITH_CREDENTIALS)).to.deep.equal({
      url: 'http://proxy.example.com:3128',
      credentials: {username: 'me', password: PASSWORD},
    })
    expect(splitProxy('https://proxy.example.com/')).to.deep.equal({url: 'https://proxy.example.com'})
    expect(displayProxy(WITH_CREDENTIALS)).to.equal('http://***@proxy.example.com:3128')
  })

  it('reads --no-proxy lists and refuses it without --proxy', () => {
    expect(parseNoProxy(['.example.com, 10.0.0.0/8', 'localhost'])).to.deep.equal([
      '.example.com',
      '10.0.0.0/8',
      'localhost',
    ])
    expect(networkProblems({noProxy: ['a']})).to.deep.equal([
      '--no-proxy is given without --proxy; add --proxy URL or drop --no-proxy.',
    ])
    expect(networkProblems({proxy: 'http://p:1', noProxy: ['']})[0]).to.match(/--no-proxy ""/)
  })

  it('takes PEM certificate bundles only', () => {
    expect(caProblem(CA)).to.equal(undefined)
    expect(caProblem(`${CA}\n${CA}\n`)).to.equal(undefined)
    expect(caProblem('hello')).to.match(/not a PEM certificate bundle/)
    expect(caProblem(`${CA}\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----`)).to.match(
      /holds a private key/,
    )
  })

  it("gives the chart's proxy and githubServerTLS values, credentials by Secret reference only", () => {
    const values = networkValues({proxy: WITH_CREDENTIALS, noProxy: ['.example.com'], githubCA: CA}, 'web-1')
    const endpoint = {url: 'http://proxy.example.com:3128', credentialSecretRef: 'web-1-proxy-auth'}
    expect(values).to.deep.equal({
      proxy: {http: endpoint, https: endpoint, noProxy: ['.example.com']},
      githubServerTLS: {
        certificateFrom: {configMapKeyRef: {name: 'web-1-github-ca', key: 'ca.crt'}},
        runnerMountPath: '/usr/local/share/ca-certificates/',
      },
    })
    expect(JSON.stringify(values)).to.not.include('me:')
    expect(networkValues({proxy: 'http://proxy:3128'}, 'web')).to.deep.equal({
      proxy: {http: {url: 'http://proxy:3128'}, https: {url: 'http://proxy:3128'}},
    })
    expect(networkValues({}, 'web')).to.deep.equal({})
  })

  it('makes the credentials Secret (username, password) and the CA ConfigMap', () => {
    const labels = {'app.kubernetes.io/managed-by': 'deskrun'}
    const [secret, configMap] = networkObjects(
      {proxy: WITH_CREDENTIALS, githubCA: CA},
      'web',
      'arc-runners',
      labels,
    )
    expect(secret.metadata).to.deep.equal({name: 'web-proxy-auth', namespace: 'arc-runners', labels})
    const data = secret.data as Record<string, string>
    expect(Buffer.from(data.username, 'base64').toString()).to.equal('me')
    expect(Buffer.from(data.password, 'base64').toString()).to.equal(PASSWORD)
    expect(configMap).to.deep.include({kind: 'ConfigMap', data: {'ca.crt': `${CA}\n`}})
    expect(networkObjects({proxy: 'http://proxy:3128'}, 'web', 'arc-runners', labels)).to.deep.equal([])
  })

  describe('defaults (deskrun defaults)', () => {
    const defaults = {proxy: WITH_CREDENTIALS, noProxy: ['.example.com'], githubCA: CA}

    it('apply where the installation sets none; its own proxy comes with its own no-proxy list', () => {
      expect(effectiveNetwork({}, defaults)).to.deep.equal({
        ...defaults,
        proxyFrom: 'defaults',
        githubCAFrom: 'defaults',
      })
      expect(effectiveNetwork({proxy: 'http://own:3128'}, defaults)).to.deep.equal({
        proxy: 'http://own:3128',
        proxyFrom: 'installation',
        githubCA: CA,
        githubCAFrom: 'defaults',
      })
      expect(effectiveNetwork({githubCA: 'own CA'}, {proxy: 'http://p:1'})).to.deep.equal({
        proxy: 'http://p:1',
        proxyFrom: 'defaults',
        githubCA: 'own CA',
        githubCAFrom: 'installation',
      })
      expect(effectiveNetwork({}, {noProxy: ['.example.com']})).to.deep.equal({})
      expect(effectiveNetwork({})).to.deep.equal({})
    })

    it('are summed up for list and status with where each setting comes from, credentials as ***', () => {
      expect(networkSummary({}, defaults)).to.deep.equal({
        proxy: 'http://***@proxy.example.com:3128',
        proxyFrom: 'defaults',
        noProxy: ['.example.com'],
        githubCA: true,
        githubCAFrom: 'defaults',
      })
      expect(networkSummary({})).to.deep.equal({githubCA: false})
    })

    it('are checked where an installation uses them, and named as the defaults', () => {
      const bad = {proxy: 'socks5://me:secret@proxy:1080', githubCA: 'hello'}
      const problems = inheritedNetworkProblems({}, bad)
      expect(problems).to.have.length(2)
      for (const problem of problems) expect(problem).to.match(/^In the defaults \(deskrun defaults\): /)
      expect(problems.join()).to.not.include('secret')
      expect(inheritedNetworkProblems({proxy: 'http://own:3128', githubCA: CA}, bad)).to.deep.equal([])
    })
  })
})
