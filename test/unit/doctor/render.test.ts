import {expect} from 'chai'

import {doctorLine, doctorSummary} from '../../../src/lib/cli/doctor-render.js'
import type {Check} from '../../../src/lib/app/doctor/types.js'

const FIX =
  "printf '%s\\n' fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512 | sudo tee /etc/sysctl.d/99-kind.conf && sudo sysctl -p /etc/sysctl.d/99-kind.conf"

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
  {
    id: 'inotify',
    title: 'inotify limits',
    status: 'warn',
    found:
      'max_user_watches 192536, max_user_instances 128 (kind recommends 524288 and 512; pods may fail with "too many open files").',
    fix: FIX,
  },
]

/** Every word of `text`, as the lines show it: none may be cut in two. */
const words = (text: string) => text.split(/\s+/).filter(Boolean)

describe('doctor: human output', () => {
  it('on a terminal 100 wide: a row per check, what was found wrapped between words, the fix whole below', () => {
    expect(doctorLine(checks[0], 100)).to.equal('✓ ok    Docker            Docker Engine 27.5.1')
    expect(doctorLine(checks[1], 100)).to.equal(
      '✗ fail  kind              not found\n        fix: deskrun doctor --fix',
    )
    const lines = doctorLine(checks[2], 100).split('\n')
    expect(lines).to.deep.equal([
      '! warn  inotify limits    max_user_watches 192536, max_user_instances 128 (kind recommends 524288',
      '                          and 512; pods may fail with "too many open files").',
      `        fix: ${FIX}`,
    ])
  })

  it('on a terminal 60 wide: no line longer than 60 but the fix, and no word split', () => {
    const text = doctorLine(checks[2], 60)
    const lines = text.split('\n')
    expect(lines.slice(0, -1).every((line) => line.length <= 60)).to.equal(true)
    expect(lines.at(-1)).to.equal(`        fix: ${FIX}`)
    expect(words(text)).to.include.members(words(checks[2].found))
  })

  it('a word longer than its column (a path) takes the text under the row, where it fits whole', () => {
    const check: Check = {
      id: 'kind',
      title: 'kind',
      status: 'ok',
      found: 'v0.29.0 (PATH: /home/someone/.local/share/bin/kind)',
    }
    expect(doctorLine(check, 60).split('\n')).to.deep.equal([
      '✓ ok    kind',
      '        v0.29.0 (PATH: /home/someone/.local/share/bin/kind)',
    ])
  })

  it('narrower than a row fits: what was found goes under the check', () => {
    expect(doctorLine(checks[0], 40).split('\n')).to.deep.equal([
      '✓ ok    Docker',
      '        Docker Engine 27.5.1',
    ])
  })

  it('piped: one tab-separated line per check (status, check, found, fix), no rulers', () => {
    expect(checks.map((check) => doctorLine(check, undefined))).to.deep.equal([
      'ok\tDocker\tDocker Engine 27.5.1\t',
      'fail\tkind\tnot found\tdeskrun doctor --fix',
      `warn\tinotify limits\t${checks[2].found}\t${FIX}`,
    ])
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
