import {stripVTControlCharacters} from 'node:util'

import {expect} from 'chai'

import {table} from '../../src/lib/cli/table.js'

const rows = [
  {mode: 'kubernetes', caches: 'yes', summary: 'Each job runs in its own pod beside the runner.'},
  {mode: 'dind', caches: 'no', summary: 'Jobs get their own Docker daemon.'},
]

describe('table', () => {
  const saved = process.env.OCLIF_TABLE_COLUMN_OVERRIDE
  afterEach(() => {
    if (saved === undefined) delete process.env.OCLIF_TABLE_COLUMN_OVERRIDE
    else process.env.OCLIF_TABLE_COLUMN_OVERRIDE = saved
  })

  it('without a terminal width keeps each row on one line, under an underlined heading', () => {
    delete process.env.OCLIF_TABLE_COLUMN_OVERRIDE
    expect(table(rows, ['mode', 'caches', 'summary'])).to.equal(
      [
        '  mode         caches   summary',
        ` ${'─'.repeat(71)}`,
        '  kubernetes   yes      Each job runs in its own pod beside the runner.',
        '  dind         no       Jobs get their own Docker daemon.',
        '',
      ].join('\n'),
    )
  })

  it('fits a terminal width by wrapping the widest column at spaces', () => {
    process.env.OCLIF_TABLE_COLUMN_OVERRIDE = '40'
    const lines = table(rows, ['mode', 'caches', 'summary']).split('\n')
    expect(lines.slice(0, 5)).to.deep.equal([
      '  mode         caches   summary',
      ` ${'─'.repeat(38)}`,
      '  kubernetes   yes      Each job runs',
      '                        in its own pod',
      '                        beside the',
    ])
    for (const line of lines) expect(line.length).to.be.at.most(40)
  })

  it('aligns coloured cells by what shows, not by their escape codes', () => {
    delete process.env.OCLIF_TABLE_COLUMN_OVERRIDE
    const coloured = [
      {status: '\u001B[32m✔\u001B[39m', check: 'docker'},
      {status: '!', check: 'kind'},
    ]
    const lines = stripVTControlCharacters(table(coloured, ['status', 'check'])).split('\n')
    expect(lines.slice(2, 4)).to.deep.equal(['  ✔        docker', '  !        kind'])
  })
})
