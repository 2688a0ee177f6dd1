/**
 * list and modes piped (stdout is no terminal here): one tab-separated line per row, no heading and no
 * rulers, for grep and cut. How they fit a terminal is in test/smoke/terminal.test.ts and test/unit/table.test.ts.
 */
import {expect} from 'chai'

import {expectOk, REPO, type Sandbox, useSandbox} from './support.js'

describe('tables, piped', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('list: name, mode, runs-on, runners (min to max), limits, deployed, caches, repository', async () => {
    expectOk(await s.add('web', '--max-runners', '3', '--cpus', '500m'))
    expectOk(
      await s.add('single', '--min-runners', '2', '--max-runners', '2', '--cpus', '2', '--memory', '4Gi'),
    )
    expectOk(await s.add('multi', '--mode', 'dind', '--cache', '/var/lib/docker', '--instances', '2'))
    const list = await s.deskrun(['list'])
    expectOk(list)
    expect(
      list.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split('\t')),
    ).to.deep.equal([
      ['multi', 'dind', 'multi-1, multi-2', '1 each', '-', 'yes', '/var/lib/docker', REPO],
      ['single', 'kubernetes', 'single', '2', '2 CPUs, 4Gi', 'yes', '-', REPO],
      ['web', 'kubernetes', 'web', '1 to 3', '0.5 CPUs', 'yes', '-', REPO],
    ])
  })

  it('modes: mode, caches, source, summary; nothing else on stdout', async () => {
    const modes = await s.deskrun(['modes'])
    expectOk(modes)
    const rows = modes.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'))
    expect(rows.map((row) => row.slice(0, 3))).to.deep.equal([
      ['kubernetes', 'yes', 'built-in'],
      ['cached-privileged-kubernetes', 'yes', 'built-in'],
      ['dind', 'yes', 'built-in'],
    ])
    expect(rows.every((row) => row.length === 4 && row[3].length > 20)).to.equal(true)
    expect(modes.stdout).not.to.contain('─')
  })
})
