/** `deskrun status` shows what each runner does: the job from ARC's EphemeralRunner status, or idle. */
import {expect} from 'chai'

import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'

describe('status shows running jobs', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('names the repository, workflow and job of a busy runner, and the idle ones', async () => {
    expectOk(await s.add('web', '--min-runners', '2'))
    const runners = (await s.fake.objects(CLUSTER, {kind: 'EphemeralRunner', namespace: 'arc-runners'})).map(
      (o) => o.metadata.name,
    )
    const [busy, idle] = runners
    await s.fake.assignJob(CLUSTER, busy, {
      requestId: 7,
      repository: 'owner/repo',
      workflowRef: 'owner/repo/.github/workflows/ci.yml@refs/heads/main',
      runId: 42,
      name: 'build',
    })
    const json = await s.deskrun(['status', '--json'])
    expectOk(json)
    const [scaleSet] = JSON.parse(json.stdout).installations[0].scaleSets
    expect(scaleSet.jobs).to.deep.equal([
      {
        runner: busy,
        repository: 'owner/repo',
        workflow: 'owner/repo/.github/workflows/ci.yml@refs/heads/main',
        job: 'build',
        runId: 42,
      },
    ])
    const human = await s.deskrun(['status'])
    expect(human.stdout).to.contain(
      `runner ${busy}: Running, running build of owner/repo/.github/workflows/ci.yml@refs/heads/main`,
    )
    expect(human.stdout).to.contain(`runner ${idle}: Running, idle`)
  })
})
