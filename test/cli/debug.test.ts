/**
 * DESKRUN_DEBUG=1 adds what helps report a problem (the commands deskrun runs, what they said, masked,
 * and how long they took), not oclif's debug mode, which prints every warning and error as a stack.
 */
import {chmod} from 'node:fs/promises'

import {expect} from 'chai'

import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

const DEBUG = {DESKRUN_DEBUG: '1'}
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m

describe('DESKRUN_DEBUG', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('warnings and errors stay as they are, without stacks; errors keep their hint', async () => {
    await chmod(s.configFile, 0o644)
    const list = await s.deskrun(['list'], {env: DEBUG})
    expectOk(list)
    expect(unwrap(list.stderr)).to.contain(`Warning: Tightened ${s.configFile} from 0644 to 0600`)
    expect(list.stderr).not.to.match(STACK_LINE)

    const missing = await s.deskrun(['remove', 'nope'], {env: DEBUG})
    expect(missing.exitCode).to.equal(2)
    expect(unwrap(missing.stderr)).to.contain('Error: No installation named "nope". Try this:')
    expect(missing.stderr).not.to.match(STACK_LINE)
  })

  it('shows each command deskrun runs, how it ended and after how long, also under --json', async () => {
    expectOk(await s.add('my-runner'))
    const status = await s.deskrun(['status', '--json'], {env: DEBUG})
    expectOk(status)
    expect(JSON.parse(status.stdout).installations[0].name).to.equal('my-runner')
    expect(status.stderr).to.contain('$ kind get clusters')
    expect(status.stderr).to.match(/^ {2}exit 0 after \d+\.\d\ds$/m)
    expect(status.stderr).not.to.match(STACK_LINE)
  })
})
