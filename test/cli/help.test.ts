/**
 * The CLI contract a user reads first: every command is listed and explains itself with examples. In
 * process, from the source; test/smoke/help.test.ts checks the built manifest and bin/run.js.
 */
import {expect} from 'chai'

import {FakeTools} from '../helpers/fake-tools.js'

const COMMANDS = [
  'add',
  'list',
  'status',
  'remove',
  'up',
  'cluster create',
  'cluster delete',
  'cluster status',
  'modes',
  'pause',
  'resume',
  'snippet',
  'cache list',
  'cache prune',
  'logs',
]

describe('help', () => {
  let fake: FakeTools
  before(async () => {
    fake = await FakeTools.create()
  })
  after(() => fake.cleanup())

  it('deskrun --help lists every command, those under cluster included', async () => {
    const result = await fake.run(['--help'])
    expect(result.exitCode).to.equal(0)
    for (const command of COMMANDS) expect(result.stdout).to.match(new RegExp(`^  ${command} `, 'm'))
  })

  it('every command has a summary and examples, and --help needs no tool', async () => {
    for (const command of COMMANDS) {
      const help = await fake.run([...command.split(' '), '--help'])
      expect(help.exitCode, command).to.equal(0)
      expect(help.stdout.split('\n')[0], `${command} summary`).to.match(/^\w.+\.$/)
      expect(help.stdout, command).to.contain('EXAMPLES')
    }
    expect(await fake.calls()).to.deep.equal([])
  })

  it('templates in help are rendered: examples name the command, no ejs tag is left', async () => {
    const help = await fake.run(['add', '--help'])
    expect(help.stdout).to.match(/^\s+\$ deskrun add my-runner /m)
    expect(help.stdout).not.to.contain('<%')
  })

  it('commands that return data accept --json', async () => {
    for (const command of [
      'add',
      'list',
      'status',
      'remove',
      'up',
      'modes',
      'cluster status',
      'pause',
      'resume',
      'snippet',
      'cache list',
      'cache prune',
    ]) {
      const help = await fake.run([...command.split(' '), '--help'])
      expect(help.stdout, command).to.match(/^\s+--json\s/m)
    }
  })
})
