/**
 * Output that goes to a file or a pipe has no colour codes, also on CI (where oclif's colour library
 * would colour everything): `CI=true deskrun autocomplete bash > file` must be a clean text file. Only
 * a process shows it: the colour library decides once, when it loads.
 */
import {expect} from 'chai'

import {expectOk, removeControllerPod, sandbox, type Sandbox} from '../cli/support.js'

const ESC = '\u001B['

describe('colours', function () {
  this.timeout(60_000)
  let s: Sandbox

  before(async () => {
    s = await sandbox({processes: true})
  })
  after(() => s.fake.cleanup())

  it('CI=true deskrun autocomplete bash into a pipe: no colour codes', async () => {
    const result = await s.fake.run(['autocomplete', 'bash'], {
      extra: {CI: 'true', NO_COLOR: undefined, TERM: 'xterm-256color'},
    })
    expectOk(result)
    expect(result.stdout).to.contain('deskrun autocomplete script bash')
    expect(result.stdout).not.to.contain(ESC)
    expect(result.stderr).not.to.contain(ESC)
  })

  it('status colours what needs attention on a terminal (FORCE_COLOR stands for one), and a pipe gets plain text', async () => {
    expectOk(await s.add('web'))
    await removeControllerPod(s.fake)
    const piped = await s.fake.run(['status'], {
      extra: {CI: 'true', NO_COLOR: undefined, TERM: 'xterm-256color'},
    })
    expectOk(piped)
    expect(piped.stdout).to.contain('chart 0.14.2, not ready').and.not.contain(ESC)
    const coloured = await s.fake.run(['status'], {extra: {NO_COLOR: undefined, FORCE_COLOR: '1'}})
    expectOk(coloured)
    expect(coloured.stdout)
      .to.contain(`${ESC}31mnot ready${ESC}39m`)
      .and.contain(`Cluster deskrun: ${ESC}32mready${ESC}39m`)
  })

  it('FORCE_COLOR still asks for them', async () => {
    const result = await s.fake.run(['autocomplete', 'bash'], {
      extra: {CI: 'true', NO_COLOR: undefined, FORCE_COLOR: '1'},
    })
    expectOk(result)
    expect(result.stdout).to.contain(ESC)
  })
})
