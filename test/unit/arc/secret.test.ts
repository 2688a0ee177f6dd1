import {expect} from 'chai'
import {Secret} from 'kubernetes-models/v1'

import {authSecret, normalisePrivateKey} from '../../../src/lib/arc/secret.js'
import {authSecretName} from '../../../src/lib/installation/naming.js'
import {DeskrunError} from '../../../src/lib/errors.js'
import {deskrunLabels, type KubeObject} from '../../../src/lib/kube.js'
import {installation} from '../modes/fixtures.js'

const KEY_BODY = 'MIIEowIBAAKCAQEA1234\nabcdEFGH5678'
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${KEY_BODY}\n-----END RSA PRIVATE KEY-----\n`
const labels = deskrunLabels('my-runner')
const base64 = (text: string) => Buffer.from(text).toString('base64')
/** The Secret's data as the values it holds. */
const decoded = (secret: KubeObject) =>
  Object.fromEntries(
    Object.entries(secret.data as Record<string, string>).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString(),
    ]),
  )

function appInstallation(privateKey: string) {
  return installation({auth: {type: 'github-app', appId: '12345', installationId: '67890', privateKey}})
}

describe('authSecretName', () => {
  it('derives a valid DNS name from the installation', () => {
    expect(authSecretName('my-runner')).to.equal('my-runner-github-auth')
    expect(authSecretName('My_Runner')).to.equal('my-runner-github-auth')
    for (const name of ['my-runner', 'My_Runner', '-x-', 'a'.repeat(300)]) {
      const secretName = authSecretName(name)
      expect(secretName).to.match(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)
      expect(secretName.length).to.be.at.most(253)
    }
  })
})

describe('authSecret', () => {
  it('holds only github_token for a PAT, base64 in data (stringData is write-only)', () => {
    const secret = authSecret(installation(), 'arc-runners', labels)
    expect(secret).to.deep.include({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      data: {github_token: base64('ghp_secret')},
    })
    expect(secret).not.to.have.property('stringData')
    expect(secret.metadata).to.deep.equal({name: 'my-runner-github-auth', namespace: 'arc-runners', labels})
    expect(() => new Secret(secret as never).validate()).to.not.throw()
  })

  it('holds only the three app keys, ids as strings, for a GitHub App', () => {
    const secret = authSecret(appInstallation(PEM), 'arc-runners', labels)
    expect(decoded(secret)).to.deep.equal({
      github_app_id: '12345',
      github_app_installation_id: '67890',
      github_app_private_key: PEM,
    })
    expect(secret).not.to.have.property('stringData')
    expect(() => new Secret(secret as never).validate()).to.not.throw()
  })

  it('gives the private key real newlines: literal \\n, CRLF and stray whitespace are normalised', () => {
    const literal = PEM.trimEnd().replaceAll('\n', '\\n')
    const crlf = `  ${PEM.replaceAll('\n', '\r\n')}\r\n`
    for (const variant of [literal, crlf, PEM.trimEnd()]) {
      const key = decoded(authSecret(appInstallation(variant), 'arc-runners', labels)).github_app_private_key
      expect(key).to.equal(PEM)
      expect(key).to.not.match(/\\n|\r/)
    }
    expect(normalisePrivateKey('a\\r\\nb')).to.equal('a\nb\n')
  })

  it('refuses a private key that is not PEM, without echoing it', () => {
    expect(() => authSecret(appInstallation('not-a-key-SECRET'), 'arc-runners', labels))
      .to.throw(DeskrunError, /not a PEM private key/)
      .with.property('message')
      .that.does.not.contain('SECRET')
  })

  it('refuses empty or malformed credentials', () => {
    expect(() =>
      authSecret(installation({auth: {type: 'pat', token: '  '}}), 'arc-runners', labels),
    ).to.throw(DeskrunError, /token is empty/)
    const badId = installation({
      auth: {type: 'github-app', appId: '1', installationId: 'abc', privateKey: PEM},
    })
    expect(() => authSecret(badId, 'arc-runners', labels)).to.throw(
      DeskrunError,
      /installation id must be a number/,
    )
  })
})
