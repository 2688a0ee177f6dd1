import {expect} from 'chai'

import {formatDuration, formatElapsed, goDuration, parseDuration} from '../../src/lib/domain/duration.js'

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

describe('goDuration', () => {
  for (const [ms, text] of [
    [600_000, '10m0s'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m0s'],
    [3_600_000, '1h0m0s'],
    [4000, '4s'],
    [1500, '1.5s'],
    [500, '500ms'],
  ] as const)
    it(`writes ${ms} ms as Go does: ${text}`, () => expect(goDuration(ms)).to.equal(text))
})

describe('formatElapsed', () => {
  for (const [ms, text] of [
    [-5000, '0s'],
    [400, '0s'],
    [40_000, '40s'],
    [12 * 60_000 + 30_000, '12m'],
    [3 * 3_600_000 + 5 * 60_000, '3h 5m'],
    [2 * 3_600_000, '2h'],
    [2 * 86_400_000 + 4 * 3_600_000 + 60_000, '2d 4h'],
  ] as const)
    it(`says ${text} for ${ms} ms`, () => expect(formatElapsed(ms)).to.equal(text))
})
