/** Credentials: every source works, the value reaches the cluster only on stdin, and nothing leaks. */
import {chmod, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {unwrap} from '../helpers/fake-tools.js'
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
  const base64 = (text: string) => Buffer.from(text).toString('base64')
  const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
  const deskrunOwned = {'app.kubernetes.io/managed-by': 'deskrun'}
  const secretLabels = {...deskrunOwned, 'deskrun.io/installation': 'my-runner'}

  it('a token from a file becomes a Secret applied on stdin that the scale set names', async () => {
    expectOk(await s.add('my-runner'))
    expect(await secretData('my-runner-github-auth')).to.deep.equal({github_token: TOKEN})
    const apply = (await s.fake.calls('kubectl')).find(
      (call) => call.argv.includes('apply') && call.stdin?.includes('Secret'),
    )
    expect(apply?.argv).to.deep.equal([
      '--context',
      'kind-deskrun',
      'apply',
      '--server-side',
      '--field-manager=deskrun',
      '--force-conflicts',
      '-f',
      '-',
    ])
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

  it('a command that reads a config others can read tightens it first, and says so', async () => {
    expectOk(await s.add('my-runner'))
    await chmod(s.configFile, 0o644)
    const list = await s.deskrun(['list'])
    expectOk(list)
    expect(unwrap(list.stderr)).to.contain(`Tightened ${s.configFile} from 0644 to 0600`)
    expect((await stat(s.configFile)).mode & 0o777).to.equal(0o600)
  })

  it('the repair of the file and of its folder is said under --json too (on stderr)', async () => {
    expectOk(await s.add('my-runner'))
    await chmod(s.configFile, 0o644)
    await chmod(path.dirname(s.configFile), 0o755)
    const list = await s.deskrun(['list', '--json'])
    expectOk(list)
    expect(JSON.parse(list.stdout).installations).to.have.length(1)
    const said = unwrap(list.stderr)
    expect(said).to.contain(`Tightened ${path.dirname(s.configFile)} from 0755 to 0700`)
    expect(said).to.contain(`Tightened ${s.configFile} from 0644 to 0600`)
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
    expect(result.stderr).to.contain('$ kubectl --context kind-deskrun apply --server-side')
  })

  it('the Secret holds the token only in data, and a second up finds the credentials unchanged', async () => {
    expectOk(await s.add('my-runner'))
    const [secret] = await s.fake.objects('deskrun', {kind: 'Secret', namespace: 'arc-runners'})
    const {data, ...rest} = secret
    expect(data).to.deep.equal({github_token: base64(TOKEN)})
    expect(rest).not.to.have.property('stringData')
    expect(JSON.stringify(rest)).not.to.contain(TOKEN).and.not.to.contain(base64(TOKEN))

    const up = JSON.parse((await s.deskrun(['up', '--json'])).stdout)
    expect(up.unchanged).to.include('credentials of my-runner')
    expect(up.changed).to.deep.equal([])
  })

  it('up removes the copy of the token that an older deskrun left in the last-applied annotation', async () => {
    expectOk(await s.add('my-runner'))
    // What the deskrun before server-side apply did: kubectl's client-side apply of stringData.
    const old = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'arc-runners', labels: deskrunOwned}},
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {name: 'my-runner-github-auth', namespace: 'arc-runners', labels: secretLabels},
          type: 'Opaque',
          stringData: {github_token: TOKEN},
        },
      ],
    }
    const kubectl = (...args: string[]) => s.fake.tool('kubectl', ['--context', 'kind-deskrun', ...args])
    expectOk(await kubectl('delete', 'secret', 'my-runner-github-auth', '--namespace', 'arc-runners'))
    expectOk(
      await s.fake.tool('kubectl', ['--context', 'kind-deskrun', 'apply', '-f', '-'], {
        input: JSON.stringify(old),
      }),
    )
    const copies = async () =>
      (await s.fake.objects('deskrun')).filter((object) =>
        [TOKEN, base64(TOKEN)].some((copy) =>
          JSON.stringify(object.metadata.annotations ?? {}).includes(copy),
        ),
      )
    expect(await copies()).to.have.length(1)

    const up = JSON.parse((await s.deskrun(['up', '--json'])).stdout)
    expect(up.changed).to.include('credentials of my-runner')
    expect(await copies()).to.deep.equal([])
    const objects = await s.fake.objects('deskrun', {namespace: 'arc-runners'})
    for (const object of [...objects, ...(await s.fake.objects('deskrun', {kind: 'Namespace'}))])
      expect(object.metadata.annotations ?? {}).not.to.have.property(LAST_APPLIED)
    expect(await secretData('my-runner-github-auth')).to.deep.equal({github_token: TOKEN})
    expect(JSON.parse((await s.deskrun(['up', '--json'])).stdout).changed).to.deep.equal([])
  })

  it('hands no credential to kind, helm, kubectl or docker through their environment', async () => {
    const others = {
      GITHUB_TOKEN: 'ghp_OtherTokenFromTheShell0123456789abcd',
      GH_TOKEN: 'gho_Another0123456789abcdefABCDEF',
    }
    expectOk(await s.deskrun(base, {env: {DESKRUN_AUTH_VALUE: TOKEN, ...others}}))
    expectOk(await s.deskrun(['up'], {env: {DESKRUN_AUTH_VALUE: TOKEN, ...others}}))
    const calls = await s.fake.calls()
    expect(new Set(calls.map((call) => call.tool))).to.deep.equal(
      new Set(['docker', 'kind', 'helm', 'kubectl']),
    )
    for (const call of calls) {
      expect(call.env).to.include.keys('PATH', 'HOME')
      expect(call.env).not.to.have.any.keys('DESKRUN_AUTH_VALUE', ...Object.keys(others))
      for (const value of [TOKEN, ...Object.values(others)])
        expect(JSON.stringify(call.env)).not.to.contain(value)
    }
  })

  it('list and status --json never show a credential', async () => {
    expectOk(await s.add('my-runner'))
    for (const args of [['list', '--json'], ['status', '--json'], ['list'], ['status']])
      expectOk(await s.deskrun(args))
  })
})
