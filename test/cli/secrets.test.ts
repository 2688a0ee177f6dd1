/** Credentials: every source works, the value reaches the cluster only on stdin, and nothing leaks. */
import {stat, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {PRIVATE_KEY, REPO, TOKEN, expectOk, type Sandbox, useSandbox} from './support.js'

describe('credentials', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const secretData = async (name: string) => {
    const [secret] = (await s.fake.objects('deskrun', {kind: 'Secret', namespace: 'arc-runners'})).filter(
      (object) => object.metadata.name === name,
    )
    const data = secret.data as Record<string, string>
    return Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
    )
  }

  const base = ['add', 'my-runner', '--repository', REPO]

  it('a token from a file becomes a Secret applied on stdin that the scale set names', async () => {
    expectOk(await s.add('my-runner'))
    expect(await secretData('my-runner-github-auth')).to.deep.equal({github_token: TOKEN})
    const apply = (await s.fake.calls('kubectl')).find(
      (call) => call.argv.includes('apply') && call.stdin?.includes('Secret'),
    )
    expect(apply?.argv).to.deep.equal(['--context', 'kind-deskrun', 'apply', '-f', '-'])
    const [release] = (await s.fake.releases('deskrun')).filter((r) => r.name === 'my-runner')
    expect(release.values?.githubConfigSecret).to.equal('my-runner-github-auth')
    expect(JSON.stringify(release.values)).not.to.contain(TOKEN)
  })

  it('reads the token from stdin with --auth-value -', async () => {
    expectOk(await s.deskrun([...base, '--auth-value', '-'], {input: `${TOKEN}\n`}))
    expect(await secretData('my-runner-github-auth')).to.deep.equal({github_token: TOKEN})
  })

  it('reads the token from DESKRUN_AUTH_VALUE', async () => {
    expectOk(await s.deskrun(base, {env: {DESKRUN_AUTH_VALUE: TOKEN}}))
    expect(await secretData('my-runner-github-auth')).to.deep.equal({github_token: TOKEN})
  })

  it('accepts the seed --auth-value TOKEN but warns, without echoing it', async () => {
    const result = await s.deskrun([...base, '--auth-value', TOKEN])
    expectOk(result)
    expect(result.stderr).to.match(/shell[\s›]+history/)
  })

  it('GitHub App: app id, installation id and private key from a file', async () => {
    const keyFile = path.join(s.fake.root, 'app.pem')
    await writeFile(keyFile, PRIVATE_KEY, {mode: 0o600})
    const result = await s.deskrun([
      ...base,
      '--auth-type',
      'github-app',
      '--app-id',
      '123456',
      '--installation-id',
      '7890123',
      '--private-key-file',
      keyFile,
    ])
    expectOk(result)
    const data = await secretData('my-runner-github-auth')
    expect(data).to.include({github_app_id: '123456', github_app_installation_id: '7890123'})
    expect(data.github_app_private_key.trim()).to.equal(PRIVATE_KEY.trim())
    expect(data).not.to.have.property('github_token')
  })

  it('keeps the config at 0600 in a 0700 folder', async () => {
    expectOk(await s.add('my-runner'))
    expect((await stat(s.configFile)).mode & 0o777).to.equal(0o600)
    expect((await stat(path.dirname(s.configFile))).mode & 0o777).to.equal(0o700)
  })

  it('a failing step names the step and the command, and says how to finish', async () => {
    s.fake.setFaults([{tool: 'helm', match: 'upgrade --install my-runner', action: 'fail'}])
    const result = await s.add('my-runner')
    expect(result.exitCode).to.equal(1)
    expect(result.stderr).to.contain('Could not deploy the scale set my-runner')
    expect(result.stderr).to.contain('helm upgrade --install my-runner')
    expect(result.stderr).to.contain('injected failure')
    expect(result.stderr).to.match(/run:[\s›]+deskrun up/)
  })

  it('DESKRUN_DEBUG shows every command with credentials masked', async () => {
    const result = await s.deskrun([...base, '--auth-value', TOKEN], {env: {DESKRUN_DEBUG: '1'}})
    expectOk(result)
    expect(result.stderr).to.contain('$ kubectl --context kind-deskrun apply -f -')
  })

  it('list and status --json never show a credential', async () => {
    expectOk(await s.add('my-runner'))
    for (const args of [['list', '--json'], ['status', '--json'], ['list'], ['status']])
      expectOk(await s.deskrun(args))
  })
})
