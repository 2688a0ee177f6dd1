/** `deskrun set`: change an installation in place (issue 13, "Changing an installation"). */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

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

  for (const [what, args] of [
    ['an unknown installation', ['set', 'nope', '--max-runners', '2']],
    ['nothing to change', ['set', 'my-runner', '--max-runners', '5']],
    ['an invalid value', ['set', 'my-runner', '--min-runners', '9', '--max-runners', '2']],
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
