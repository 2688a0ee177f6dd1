/** `deskrun pause` and `deskrun resume`: no new runner while paused, running jobs finish, kept by `up`. */
import {readFile} from 'node:fs/promises'

import {expect} from 'chai'

import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'

describe('pause and resume', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const scaling = async (release: string) => {
    const found = (await s.fake.releases(CLUSTER)).find((r) => r.name === release)
    return {min: found?.values?.minRunners, max: found?.values?.maxRunners, revision: found?.revision}
  }
  const runners = async (scaleSet: string) =>
    (await s.fake.objects(CLUSTER, {kind: 'EphemeralRunner', namespace: 'arc-runners'})).filter(
      (o) => o.metadata.labels?.['actions.github.com/scale-set-name'] === scaleSet,
    )

  it('pause scales a set to 0 runners, keeps the runner with a job, and up and resume respect it', async () => {
    expectOk(await s.add('web', '--min-runners', '2', '--max-runners', '4'))
    expectOk(await s.add('other'))
    const [busy] = await runners('web')
    await s.fake.assignJob(CLUSTER, busy.metadata.name, {
      requestId: 7,
      repository: 'owner/repo',
      workflowRef: 'owner/repo/.github/workflows/ci.yml@refs/heads/main',
      runId: 42,
      name: 'build',
    })

    const paused = await s.deskrun(['pause', 'web', '--json'])
    expectOk(paused)
    expect(JSON.parse(paused.stdout))
      .to.include({applied: true})
      .and.to.deep.include({installations: ['web']})
    expect((await s.config()).installations.web.Paused).to.equal(true)
    expect(await scaling('web')).to.include({min: 0, max: 0})
    expect(
      (await runners('web')).map((o) => o.metadata.name),
      'the busy runner finishes its job',
    ).to.deep.equal([busy.metadata.name])
    expect(await scaling('other'), 'other installations are not touched').to.deep.equal({
      min: 1,
      max: 5,
      revision: 1,
    })

    const up = await s.deskrun(['up', '--json'])
    expectOk(up)
    expect(JSON.parse(up.stdout).changed, 'up keeps the pause').to.deep.equal([])
    expect(JSON.parse(up.stdout).paused).to.deep.equal(['web'])
    expect(await scaling('web')).to.include({min: 0, max: 0})

    const list = JSON.parse((await s.deskrun(['list', '--json'])).stdout)
    expect(list.installations.map((i: {name: string; paused: boolean}) => [i.name, i.paused])).to.deep.equal([
      ['other', false],
      ['web', true],
    ])
    const status = await s.deskrun(['status', 'web'])
    expectOk(status)
    expect(status.stdout).to.contain('web (kubernetes, paused')

    const resumed = await s.deskrun(['resume', '--json'])
    expectOk(resumed)
    expect(JSON.parse(resumed.stdout)).to.deep.include({installations: ['web'], unchanged: ['other']})
    expect((await s.config()).installations.web).not.to.have.property('Paused')
    expect(await scaling('web')).to.include({min: 2, max: 4})
    expect(await runners('web')).to.have.length(2)
  })

  it('without a cluster, pause only changes the config, and up deploys it paused', async () => {
    await s.writeInstallations({web: {}})
    const paused = await s.deskrun(['pause'])
    expectOk(paused)
    expect(paused.stdout).to.contain('No cluster yet')
    expect(await s.fake.calls('kind')).to.satisfy((calls: {argv: string[]}[]) =>
      calls.every((call) => call.argv[0] !== 'create'),
    )
    expect((await s.config()).installations.web.Paused).to.equal(true)
    const up = await s.deskrun(['up'])
    expectOk(up)
    expect(up.stdout).to.contain('Paused, so taking no new jobs: web. deskrun resume web takes jobs again.')
    expect(await scaling('web')).to.include({min: 0, max: 0})
    expect(await runners('web')).to.deep.equal([])
  })

  it('an unknown name changes nothing and calls no tool', async () => {
    expectOk(await s.add('web'))
    const before = await readFile(s.configFile, 'utf8')
    const calls = (await s.fake.calls()).length
    const result = await s.deskrun(['pause', 'web', 'nope'])
    expect(result.exitCode).to.equal(2)
    expect(result.stderr).to.contain('No installation named "nope"')
    expect(result.stderr).to.contain('Installations: web')
    expect(await readFile(s.configFile, 'utf8')).to.equal(before)
    expect(await s.fake.calls()).to.have.length(calls)
  })
})
