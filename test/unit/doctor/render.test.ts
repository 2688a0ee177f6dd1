import {expect} from 'chai'

import {doctorRows, doctorSummary} from '../../../src/lib/cli/doctor-render.js'
import type {Check} from '../../../src/lib/app/doctor/types.js'

const checks: Check[] = [
  {id: 'docker', title: 'Docker', status: 'ok', found: 'Docker Engine 27.5.1'},
  {
    id: 'kind',
    title: 'kind',
    status: 'fail',
    found: 'not found',
    fix: 'deskrun doctor --fix',
    provisionable: true,
  },
  {id: 'inotify', title: 'inotify limits', status: 'warn', found: 'low', fix: 'sudo sysctl ...'},
]

describe('doctor: human output', () => {
  it('has one row per check with status, title, found and fix', () => {
    const rows = doctorRows(checks)
    expect(rows.map((row) => row.check)).to.deep.equal(['Docker', 'kind', 'inotify limits'])
    // Tests do not write to a terminal, so there is no colour.
    expect(rows.map((row) => row.status)).to.deep.equal(['✓ ok', '✗ fail', '! warn'])
    expect(rows[0].fix).to.equal('')
  })

  it('sums up, and mentions --fix when it would help', () => {
    expect(doctorSummary({checks, ok: false, installed: []})).to.equal(
      '1 failed, 1 warning. `deskrun doctor --fix` installs the missing tools.',
    )
    expect(doctorSummary({checks: [checks[0], checks[2]], ok: true, installed: ['kind v0.29.0']})).to.equal(
      'Installed kind v0.29.0. All set, with 1 warning.',
    )
  })
})
