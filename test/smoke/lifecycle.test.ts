/**
 * One day of a user, through processes: bin/run.js against the fake executables, each tool call its own
 * process, as on a real machine. The same steps in detail run in process (test/cli/scenarios.test.ts).
 */
import {expect} from 'chai'

import {expectOk, type Sandbox, useSandbox} from '../cli/support.js'

const CLUSTER = 'deskrun'

describe('a lifecycle through processes', function () {
  this.timeout(180_000)
  let s: Sandbox
  useSandbox((created) => (s = created), {processes: true})

  it('add, list, status, cluster delete, up, up again, remove', async () => {
    const added = await s.add(
      'my-runner',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/var/lib/docker',
      '--max-runners',
      '1',
    )
    expectOk(added)
    expect(added.stdout).to.contain('runs-on: my-runner')
    const list = JSON.parse((await s.deskrun(['list', '--json'])).stdout)
    expect(list.installations[0]).to.deep.include({name: 'my-runner', deployed: true})
    const status = await s.deskrun(['status', 'my-runner'])
    expectOk(status)
    expect(status.stdout).to.match(/runners: 1 current, 0 pending, 1 running/)

    expectOk(await s.deskrun(['cluster', 'delete']))
    expect(await s.fake.clusters()).to.deep.equal([])
    const up = await s.deskrun(['up'])
    expectOk(up)
    expect((await s.fake.releases(CLUSTER)).map((release) => release.name).sort()).to.deep.equal([
      'arc',
      'my-runner',
    ])
    const again = await s.deskrun(['up', '--json'])
    expectOk(again)
    expect(JSON.parse(again.stdout).changed).to.deep.equal([])

    expectOk(await s.deskrun(['remove', 'my-runner']))
    expect((await s.fake.releases(CLUSTER)).map((release) => release.name)).to.deep.equal(['arc'])
    expect((await s.config()).installations).to.deep.equal({})
  })
})
