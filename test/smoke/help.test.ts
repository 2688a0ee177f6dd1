/** The installed entry point: bin/run.js starts the built CLI, which lists its commands and its version. */
import {expect} from 'chai'

import {FakeTools} from '../helpers/fake-tools.js'

describe('bin/run.js', function () {
  this.timeout(60_000)
  let fake: FakeTools
  before(async () => {
    fake = await FakeTools.create({processes: true})
  })
  after(() => fake.cleanup())

  it('--help lists the commands, those under cluster included, and calls no tool', async () => {
    const result = await fake.run(['--help'])
    expect(result.exitCode, result.stderr).to.equal(0)
    for (const command of ['add', 'up', 'cluster create', 'modes'])
      expect(result.stdout).to.match(new RegExp(`^  ${command} `, 'm'))
    expect(await fake.calls()).to.deep.equal([])
  })

  it('--version names deskrun and its version', async () => {
    const result = await fake.run(['--version'])
    expect(result.exitCode, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/^deskrun\/\d+\.\d+\.\d+ /)
  })
})
