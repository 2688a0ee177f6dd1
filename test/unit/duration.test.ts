import {expect} from 'chai'

import {formatDuration, parseDuration} from '../../src/lib/duration.js'

describe('parseDuration', () => {
  for (const [input, ms] of [
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['10', 600_000],
    ['500ms', 500],
  ] as const)
    it(`reads ${input}`, () => expect(parseDuration(input)).to.equal(ms))

  for (const input of ['', '0', '0s', 'soon', '5 m', '-5m', '1d'])
    it(`rejects ${JSON.stringify(input)}`, () =>
      expect(() => parseDuration(input)).to.throw(/not a duration/))
})

describe('formatDuration', () => {
  for (const [ms, text] of [
    [600_000, '10m'],
    [90_000, '90s'],
    [4000, '4s'],
    [500, '500ms'],
  ] as const)
    it(`shows ${ms} ms as ${text}`, () => expect(formatDuration(ms)).to.equal(text))
})
