/**
 * The CLI contract a user reads first: every command is listed and explains itself with examples. In
 * process; test/smoke/help.test.ts runs bin/run.js.
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {FakeTools, REPO_ROOT} from '../helpers/fake-tools.js'

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

  it('every command has a summary, a description or examples, and --help needs no tool', async () => {
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'oclif.manifest.json'), 'utf8'))
    for (const command of COMMANDS) {
      const entry = manifest.commands[command.replace(' ', ':')]
      expect(entry, command).to.exist
      expect(entry.summary, `${command} summary`).to.be.a('string').and.not.be.empty
      expect(entry.examples, `${command} examples`).to.be.an('array').that.is.not.empty
      const help = await fake.run([...command.split(' '), '--help'])
      expect(help.exitCode, command).to.equal(0)
      expect(help.stdout).to.contain('EXAMPLES')
    }
    expect(await fake.calls()).to.deep.equal([])
  })

  it('commands that return data accept --json', async () => {
    const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'oclif.manifest.json'), 'utf8'))
    for (const command of ['add', 'list', 'status', 'remove', 'up', 'modes', 'cluster:status'])
      expect(manifest.commands[command].flags, command).to.have.property('json')
  })
})
