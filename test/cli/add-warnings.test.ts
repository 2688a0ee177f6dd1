/** What `add` deploys as asked but warns about: a scale set that never runs a job, a runs-on name two installations answer to. */
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, REPO, type Sandbox, useSandbox} from './support.js'

describe('deskrun add: warnings that do not refuse', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('--min-runners 0 --max-runners 0: deployed, with a warning that it never runs a job', async () => {
    const result = await s.add('parked', '--min-runners', '0', '--max-runners', '0')
    expectOk(result)
    expect(unwrap(result.stderr)).to.contain(
      'Warning: parked has --max-runners 0, so it never starts a runner: jobs with runs-on: parked wait',
    )
    expect((await s.fake.releases()).map((release) => release.name)).to.include('parked')
  })

  it("a --label that is another installation's runs-on name, also under --json (on stderr)", async () => {
    expectOk(await s.add('build', '--instances', '2'))
    const result = await s.add('gpu', '--label', 'build-2', '--json')
    expectOk(result)
    expect(JSON.parse(result.stdout).installation).to.equal('gpu')
    expect(unwrap(result.stderr)).to.contain(
      '--label build-2 of gpu is the runs-on name of installation build: jobs meant for build may run on gpu too.',
    )
    const plain = await s.add('other', '--label', 'shared')
    expectOk(plain)
    expect(plain.stderr).not.to.contain('runs-on name')
  })

  it("a token with none of GitHub's shapes: deployed, with a warning that does not repeat it", async () => {
    const token = 'glpat-NotAGitHubToken0123'
    const file = path.join(s.fake.root, 'gitlab-token')
    await writeFile(file, token)
    const result = await s.deskrun(['add', 'odd', '--repository', REPO, '--auth-value-file', file])
    expectOk(result)
    expect(unwrap(result.stderr)).to.contain('Warning: The token does not look like a GitHub token')
    expect(result.stdout + result.stderr).not.to.contain(token)
    expect((await s.config()).installations.odd.AuthValue).to.equal(token)
    const github = await s.add('usual')
    expectOk(github)
    expect(github.stderr).not.to.contain('GitHub token')
  })
})
