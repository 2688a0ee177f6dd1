/** `deskrun list` says whether a credential is set and where it came from, never what it is. */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {expectOk, PRIVATE_KEY, REPO, TOKEN, type Sandbox, useSandbox} from './support.js'

describe('credential source', function () {
  this.timeout(120_000)
  let s: Sandbox
  useSandbox((created) => (s = created))

  const listed = async () => {
    const result = await s.deskrun(['list', '--json'])
    expectOk(result)
    const {installations} = JSON.parse(result.stdout) as {
      installations: {name: string; auth: Record<string, unknown>}[]
    }
    return Object.fromEntries(installations.map((entry) => [entry.name, entry.auth]))
  }

  it('records file, stdin, env and flag in the config, and list shows only type, set and source', async () => {
    const keyFile = path.join(s.fake.root, 'app.pem')
    await writeFile(keyFile, PRIVATE_KEY, {mode: 0o600})
    const add = (name: string, ...flags: string[]) => ['add', name, '--repository', REPO, ...flags]
    expectOk(await s.add('from-file'))
    expectOk(await s.deskrun(add('from-stdin', '--auth-value', '-'), {input: TOKEN}))
    expectOk(await s.deskrun(add('from-env'), {env: {DESKRUN_AUTH_VALUE: TOKEN}}))
    // The discouraged way (run outside s.deskrun: the leak check would see the token on its own command
    // line); it warns, and the value never shows.
    const flag = await s.fake.run(add('from-flag', '--auth-value', TOKEN))
    expectOk(flag)
    expect(flag.stderr.replaceAll(/\s*›\s*/g, ' ')).to.contain('visible in your shell history')
    expect(flag.stdout + flag.stderr).not.to.contain(TOKEN)
    const appFlags = ['--auth-type', 'github-app', '--app-id', '123', '--installation-id', '456']
    expectOk(await s.deskrun(add('app', ...appFlags, '--private-key-file', keyFile)))

    const installations = (await s.config()).installations
    expect(installations['from-file'].AuthSource).to.equal('file')
    expect(installations['from-stdin'].AuthSource).to.equal('stdin')
    expect(installations['from-env'].AuthSource).to.equal('env')
    expect(installations['from-flag'].AuthSource).to.equal('flag')
    expect(installations.app.AuthSource).to.equal('file')

    const result = await s.deskrun(['list', '--json'])
    expect(result.stdout).not.to.contain(TOKEN)
    expect(result.stdout).not.to.contain('PRIVATE KEY')
    expect(await listed()).to.deep.equal({
      app: {type: 'github-app', set: true, source: 'file'},
      'from-env': {type: 'pat', set: true, source: 'env'},
      'from-file': {type: 'pat', set: true, source: 'file'},
      'from-flag': {type: 'pat', set: true, source: 'flag'},
      'from-stdin': {type: 'pat', set: true, source: 'stdin'},
    })

    // up rewrites the config and keeps where each credential came from.
    expectOk(await s.deskrun(['up']))
    expect((await s.config()).installations['from-stdin'].AuthSource).to.equal('stdin')
  })

  it('a config without AuthSource (by hand, or from the original deskrun) shows source "config"', async () => {
    await s.writeInstallations({old: {Name: 'old'}, empty: {AuthValue: ''}})
    expect(await listed()).to.deep.equal({
      old: {type: 'pat', set: true, source: 'config'},
      empty: {type: 'pat', set: false, source: 'config'},
    })
  })

  it('an AuthSource deskrun does not know is reported, without the value', async () => {
    await s.writeInstallations({odd: {AuthSource: 'keychain'}})
    const result = await s.deskrun(['list', '--json'])
    expect(result.exitCode).to.equal(1)
    expect(JSON.parse(result.stdout).error.message).to.contain(
      'installations.odd.AuthSource must be where the credential was read from: file, stdin, env, flag',
    )
    expect(result.stdout).not.to.contain('keychain')
  })
})
