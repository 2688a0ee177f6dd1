/** `deskrun status` shows what each runner does: the job from ARC's EphemeralRunner status, or idle. */
import {expect} from 'chai'

import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'
/** When the listener recorded the job: two hours ago, to the second (as the API server keeps it). */
const STARTED = new Date(Date.now() - 2 * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')

describe('status shows running jobs', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('names the repository, workflow and job of a busy runner, since when it runs, and the idle ones', async () => {
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
      at: STARTED,
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
        startedAt: STARTED,
      },
    ])
    const human = await s.deskrun(['status'])
    // Two hours ago, give or take the seconds the test took.
    expect(human.stdout).to.match(
      new RegExp(
        `runner ${busy}: Running, running build of owner/repo/\\.github/workflows/ci\\.yml@refs/heads/main, started (2h|1h 59m) ago`,
      ),
    )
    expect(human.stdout).to.contain(`runner ${idle}: Running, idle`)
  })
})
