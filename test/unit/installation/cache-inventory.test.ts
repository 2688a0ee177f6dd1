import {expect} from 'chai'

import {cacheInventory, prunePlan} from '../../../src/lib/domain/installation/cache-inventory.js'
import type {Installation} from '../../../src/lib/domain/installation/types.js'
import {parseAge} from '../../../src/lib/domain/duration.js'

const ROOT = '/home/me/.cache/deskrun'
const inst = (name: string, fields: Partial<Installation & {paused: boolean}> = {}): Installation => ({
  name,
  repository: 'https://github.com/o/r',
  mode: 'kubernetes',
  minRunners: 1,
  maxRunners: 1,
  instances: 1,
  caches: [{target: '/root/.cache'}],
  labels: [],
  auth: {type: 'pat', token: 't'},
  ...fields,
})

describe('cache inventory and prune plan', () => {
  const entries = cacheInventory(
    [
      inst('web', {instances: 2}),
      inst('quiet', {paused: true}),
      inst('own', {caches: [{target: '/c', source: `${ROOT}/shared/own`}]}),
    ],
    ROOT,
    ['web-1', 'web-2', 'quiet', 'shared', 'gone', 'gone-3', 'gone-again'],
  )

  it('gives each installation its folders and lists the top-level folders nobody uses', () => {
    expect(
      entries.map((entry) => [entry.folder.slice(ROOT.length + 1), entry.state, entry.instance ?? '-']),
    ).to.deep.equal([
      ['web-1/cache-0', 'in use', 'web-1'],
      ['web-2/cache-0', 'in use', 'web-2'],
      ['quiet/cache-0', 'paused', 'quiet'],
      ['shared/own', 'in use', 'own'],
      ['gone', 'unused', '-'],
      ['gone-3', 'unused', '-'],
      ['gone-again', 'unused', '-'],
    ])
  })

  it("leaves deskrun's own folders out: shell completion's and the compiled code's are no runner's cache", () => {
    const listed = cacheInventory([inst('web')], ROOT, ['autocomplete', 'code.v8', 'web', 'gone'])
    expect(listed.map((entry) => [entry.folder.slice(ROOT.length + 1), entry.state])).to.deep.equal([
      ['web/cache-0', 'in use'],
      ['gone', 'unused'],
    ])
  })

  it('removes only unused folders, of NAME or NAME-N, not used for --older-than', () => {
    const now = Date.parse('2026-06-01T00:00:00Z')
    const aged = entries.map((entry) => ({
      ...entry,
      lastUsedMs: entry.folder.endsWith('gone-3') ? now : now - 90 * 86_400_000,
    }))
    const plan = prunePlan(aged, {name: 'gone', olderThanMs: parseAge('30d'), now})
    expect(plan.remove.map((entry) => entry.folder)).to.deep.equal([`${ROOT}/gone`])
    expect(plan.keep.map(({entry, reason}) => [entry.folder, reason])).to.deep.equal([
      [`${ROOT}/gone-3`, 'used 0 days ago'],
    ])
    const all = prunePlan(aged, {now})
    expect(all.keep.map(({reason}) => reason.split(';')[0])).to.deep.equal([
      'web-1 uses it',
      'web-2 uses it',
      'quiet is paused, but a runner that had a job may still use it',
      'own uses it',
    ])
  })

  it('reads ages in hours, days and weeks', () => {
    expect([parseAge('12h'), parseAge('30d'), parseAge('2w'), parseAge('3')]).to.deep.equal([
      12 * 3_600_000,
      30 * 86_400_000,
      14 * 86_400_000,
      3 * 86_400_000,
    ])
    expect(() => parseAge('0d')).to.throw('is not an age')
  })
})
