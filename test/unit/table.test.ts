import {stripVTControlCharacters} from 'node:util'

import {expect} from 'chai'

import {table, type Column} from '../../src/lib/cli/table.js'

type Key = 'name' | 'mode' | 'runs-on' | 'runners' | 'caches' | 'repository'
const rows: Record<Key, string>[] = [
  {
    name: 'docker-runner',
    mode: 'cached-privileged-kubernetes',
    'runs-on': 'docker-runner',
    runners: '1',
    caches: '/var/lib/docker, /root/.cache/go-build, /root/go/pkg/mod',
    repository: 'https://github.com/some-organization/a-repository-with-a-long-name',
  },
  {
    name: 'web',
    mode: 'kubernetes',
    'runs-on': 'web',
    runners: '1 to 5',
    caches: '-',
    repository: 'https://github.com/owner/repo',
  },
]
const columns: Column<Key>[] = [
  {key: 'name'},
  {key: 'mode'},
  {key: 'runs-on'},
  {key: 'runners'},
  {key: 'caches', shorten: true},
  {key: 'repository', below: true},
]

/** The words of a rendering: every value's words must be among them, whole. */
const words = (text: string) =>
  stripVTControlCharacters(text)
    .split(/[\s,]+/)
    .filter(Boolean)
const keyWords = rows.flatMap((row) => [row.name, row.mode, row['runs-on'], row.repository])

describe('table', () => {
  it('piped: one tab-separated line per row, no heading, no ruler', () => {
    expect(table(rows, columns, undefined).split('\n')).to.deep.equal([
      'docker-runner\tcached-privileged-kubernetes\tdocker-runner\t1\t/var/lib/docker, /root/.cache/go-build, /root/go/pkg/mod\thttps://github.com/some-organization/a-repository-with-a-long-name',
      'web\tkubernetes\tweb\t1 to 5\t-\thttps://github.com/owner/repo',
    ])
  })

  it('wide enough: one line per row under an underlined heading', () => {
    const lines = table(rows, columns, 300).split('\n')
    expect(lines[0]).to.equal(
      '  name           mode                          runs-on        runners  caches                                                    repository',
    )
    expect(lines[1]).to.equal(` ${'─'.repeat(lines[2].length - 1)}`)
    expect(lines[3]).to.equal(
      '  web            kubernetes                    web            1 to 5   -                                                         https://github.com/owner/repo',
    )
  })

  it('100 columns: the URL goes under its row, the caches are cut after a whole word, the names stay whole', () => {
    const text = table(rows, columns, 100)
    expect(text.split('\n')).to.deep.equal([
      '  name           mode                          runs-on        runners  caches',
      ` ${'─'.repeat(99)}`,
      '  docker-runner  cached-privileged-kubernetes  docker-runner  1        /var/lib/docker, …',
      '    https://github.com/some-organization/a-repository-with-a-long-name',
      '  web            kubernetes                    web            1 to 5   -',
      '    https://github.com/owner/repo',
    ])
  })

  it('60 columns: each row a block of heading and value lines; nothing cut, no word split', () => {
    const text = table(rows, columns, 60)
    expect(text.split('\n\n')).to.have.length(2)
    expect(text.split('\n').slice(0, 8)).to.deep.equal([
      '  name        docker-runner',
      '  mode        cached-privileged-kubernetes',
      '  runs-on     docker-runner',
      '  runners     1',
      '  caches      /var/lib/docker, /root/.cache/go-build,',
      '              /root/go/pkg/mod',
      // Too long to stand beside its heading, the URL starts on a line of its own, whole.
      '  repository',
      '    https://github.com/some-organization/a-repository-with-a-long-name',
    ])
    expect(words(text)).to.include.members([...keyWords, ...words(rows[0].caches)])
    expect(text).not.to.contain('…')
    // Only a word longer than the line it has goes past the edge (the terminal then shows it on the next row).
    for (const line of text.split('\n'))
      if (line.length > 60) expect(line.trim().split(' '), line).to.have.length(1)
  })

  it('aligns coloured cells by what shows, not by their escape codes', () => {
    const coloured = [
      {status: '\u001B[32m✔\u001B[39m', check: 'docker'},
      {status: '!', check: 'kind'},
    ]
    const lines = stripVTControlCharacters(table(coloured, ['status', 'check'], 80)).split('\n')
    expect(lines.slice(2, 4)).to.deep.equal(['  ✔       docker', '  !       kind'])
  })
})
