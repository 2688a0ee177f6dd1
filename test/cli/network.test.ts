/** `--proxy`, `--no-proxy`, `--github-ca-file`: ARC's proxy and githubServerTLS values, with their objects. */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {CA_PEM as CA} from '../helpers/certificates.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'
const PASSWORD = 'Pr0xyPassw0rdNeverShown'
const PROXY = `http://builder:${PASSWORD}@proxy.example.com:3128`

interface Container {
  name: string
  env?: {name: string; value?: string}[]
  volumeMounts?: {name: string; mountPath: string; subPath?: string}[]
}

describe('--proxy and --github-ca-file', () => {
  let s: Sandbox
  let caFile: string
  useSandbox((created) => (s = created))
  beforeEach(async () => {
    caFile = path.join(s.fake.root, 'corp-ca.pem')
    await writeFile(caFile, `${CA}\n`)
  })

  const object = async (kind: string, name: string) =>
    (await s.fake.objects(CLUSTER, {kind, namespace: 'arc-runners'})).find((o) => o.metadata.name === name)

  it('reach the scale set as the chart takes them; the proxy password only in a Secret', async () => {
    const added = await s.add(
      'corp',
      '--mode',
      'dind',
      '--proxy',
      PROXY,
      '--no-proxy',
      '.example.com,10.0.0.0/8',
      '--github-ca-file',
      caFile,
    )
    expectOk(added)

    const ars = (await object('AutoscalingRunnerSet', 'corp')) as unknown as {spec: Record<string, unknown>}
    const endpoint = {url: 'http://proxy.example.com:3128', credentialSecretRef: 'corp-proxy-auth'}
    expect(ars.spec.proxy).to.deep.equal({
      http: endpoint,
      https: endpoint,
      noProxy: ['.example.com', '10.0.0.0/8'],
    })
    expect(ars.spec.githubServerTLS).to.deep.equal({
      certificateFrom: {configMapKeyRef: {name: 'corp-github-ca', key: 'ca.crt'}},
    })
    const secret = (await object('Secret', 'corp-proxy-auth')) as unknown as {data: Record<string, string>}
    expect(Buffer.from(secret.data.password, 'base64').toString()).to.equal(PASSWORD)
    expect(Buffer.from(secret.data.username, 'base64').toString()).to.equal('builder')
    const ca = (await object('ConfigMap', 'corp-github-ca')) as unknown as {data: Record<string, string>}
    expect(ca.data['ca.crt']).to.equal(`${CA}\n`)

    // The chart mounts the CA into the runner and points Node and the runner at it.
    const release = (await s.fake.releases(CLUSTER)).find((r) => r.name === 'corp')!
    const spec = release.podTemplate!.spec as {containers: Container[]; volumes: {name: string}[]}
    const runner = spec.containers.find((c) => c.name === 'runner')!
    expect(runner.volumeMounts).to.deep.include({
      name: 'github-server-tls-cert',
      mountPath: '/usr/local/share/ca-certificates/ca.crt',
      subPath: 'ca.crt',
    })
    expect(runner.env).to.deep.include({
      name: 'NODE_EXTRA_CA_CERTS',
      value: '/usr/local/share/ca-certificates/ca.crt',
    })
    expect(spec.volumes[0].name).to.equal('github-server-tls-cert')

    // The password stays out of every argv, child environment, Helm value and output.
    for (const call of await s.fake.calls()) {
      expect(call.argv.join(' ')).to.not.include(PASSWORD)
      expect(JSON.stringify(call.env)).to.not.include(PASSWORD)
    }
    expect(JSON.stringify(release.values)).to.not.include(PASSWORD)
    expect(`${added.stdout}${added.stderr}`).to.not.include(PASSWORD)

    const network = {
      proxy: 'http://***@proxy.example.com:3128',
      proxyFrom: 'installation',
      noProxy: ['.example.com', '10.0.0.0/8'],
      githubCA: true,
      githubCAFrom: 'installation',
    }
    const list = await s.deskrun(['list', '--json'])
    expect(JSON.parse(list.stdout).installations[0].network).to.deep.equal(network)
    const status = await s.deskrun(['status', '--json'])
    expect(JSON.parse(status.stdout).installations[0].network).to.deep.equal(network)
    expect(`${list.stdout}${status.stdout}`).to.not.include(PASSWORD)
    expect((await s.config()).installations.corp).to.deep.include({Proxy: PROXY, GitHubCA: CA})

    // A second up finds the Secret and the ConfigMap as they should be: nothing is applied again.
    const before = (await s.fake.calls()).length
    expectOk(await s.deskrun(['up']))
    const applies = (await s.fake.calls()).slice(before).filter((call) => call.argv.includes('apply'))
    expect(applies).to.deep.equal([])
    await s.expectNoLeaks()
  })

  it('without credentials in the URL: no Secret and no reference to one', async () => {
    expectOk(await s.add('plain-proxy', '--proxy', 'http://proxy.example.com:3128'))
    const ars = (await object('AutoscalingRunnerSet', 'plain-proxy')) as unknown as {
      spec: Record<string, unknown>
    }
    expect(ars.spec.proxy).to.deep.equal({
      http: {url: 'http://proxy.example.com:3128'},
      https: {url: 'http://proxy.example.com:3128'},
    })
    expect(await object('Secret', 'plain-proxy-proxy-auth')).to.equal(undefined)
  })
})
