/** `deskrun logs`: runner, listener and controller logs through kubectl logs, as kubectl prints them. */
import {expect} from 'chai'

import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'

describe('logs', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const pods = async (namespace: string, selector: (labels: Record<string, string>) => boolean) =>
    (await s.fake.objects(CLUSTER, {kind: 'Pod', namespace}))
      .filter((pod) => selector(pod.metadata.labels ?? {}))
      .map((pod) => pod.metadata.name)
      .sort()
  const logsCall = async () =>
    (await s.fake.calls('kubectl')).map((call) => call.argv).filter((argv) => argv.includes('logs'))

  it("prints the last lines of each runner's log with its pod, and of one instance only", async () => {
    expectOk(await s.add('web', '--instances', '2'))
    const [first, second] = await pods(
      'arc-runners',
      (labels) => labels['app.kubernetes.io/component'] === 'runner',
    )
    const lines = Array.from({length: 150}, (_, i) => `line ${i + 1}`)
    await s.fake.writePodLog(CLUSTER, {namespace: 'arc-runners', name: first, container: 'runner'}, lines)
    await s.fake.writePodLog(CLUSTER, {namespace: 'arc-runners', name: second, container: 'runner'}, [
      'Listening for Jobs',
    ])

    const result = await s.deskrun(['logs', 'web'])
    expectOk(result)
    const out = result.stdout.trim().split('\n')
    expect(out).to.have.length(101)
    expect(out[0]).to.equal(`[pod/${first}/runner] line 51`)
    expect(out.at(-1)).to.equal(`[pod/${second}/runner] Listening for Jobs`)

    const one = await s.deskrun(['logs', 'web-2', '--tail', '-1'])
    expectOk(one)
    expect(one.stdout.trim()).to.equal(`[pod/${second}/runner] Listening for Jobs`)
    const [, argv] = await logsCall()
    expect(argv).to.include.members(['--container', 'runner', '--prefix', '--tail=-1'])
  })

  it('--listener and --controller read those pods; --follow streams without a time limit', async () => {
    expectOk(await s.add('web'))
    const [listener] = await pods(
      'arc-systems',
      (labels) => labels['actions.github.com/scale-set-name'] === 'web',
    )
    const [controller] = await pods(
      'arc-systems',
      (labels) => labels['app.kubernetes.io/component'] === 'controller-manager',
    )
    await s.fake.writePodLog(CLUSTER, {namespace: 'arc-systems', name: listener, container: 'listener'}, [
      'Getting next message',
    ])
    await s.fake.writePodLog(CLUSTER, {namespace: 'arc-systems', name: controller, container: 'manager'}, [
      'Reconciling',
    ])

    const heard = await s.deskrun(['logs', 'web', '--listener', '--follow'])
    expectOk(heard)
    expect(heard.stdout.trim()).to.equal(`[pod/${listener}/listener] Getting next message`)
    expect((await logsCall())[0]).to.include.members(['--follow', '--max-log-requests=40'])
    const managed = await s.deskrun(['logs', '--controller'])
    expectOk(managed)
    expect(managed.stdout.trim()).to.equal(`[pod/${controller}/manager] Reconciling`)
  })

  it("--job: every container of the pod a runner's job runs in (kubernetes modes), only this installation's", async () => {
    expectOk(await s.add('web', '--min-runners', '2'))
    expectOk(await s.add('other'))
    const job = {requestId: 7, repository: 'owner/repo', workflowRef: 'w', runId: 42, name: 'test'}
    const runnerOf = async (set: string) =>
      pods(
        'arc-runners',
        (labels) =>
          labels['actions.github.com/scale-set-name'] === set &&
          labels['app.kubernetes.io/component'] === 'runner',
      )
    const [busy, idle] = await runnerOf('web')
    const [elsewhere] = await runnerOf('other')
    // Before any job there is no job pod to read.
    const none = await s.deskrun(['logs', 'web', '--job'])
    expectOk(none)
    expect(none.stdout).to.equal('')
    expect(none.stderr).to.contain('No job pod of web is running')

    await s.fake.assignJob(CLUSTER, busy, {...job, services: [{name: 'postgres', image: 'postgres:16'}]})
    await s.fake.assignJob(CLUSTER, elsewhere, job)
    const workflow = `${busy}-workflow`
    await s.fake.writePodLog(CLUSTER, {namespace: 'arc-runners', name: workflow, container: 'postgres'}, [
      'database system is ready to accept connections',
    ])
    await s.fake.writePodLog(
      CLUSTER,
      {namespace: 'arc-runners', name: `${elsewhere}-workflow`, container: 'job'},
      ['not this one'],
    )
    const shown = await s.deskrun(['logs', 'web', '--job'])
    expectOk(shown)
    expect(shown.stdout.trim()).to.equal(
      `[pod/${workflow}/postgres] database system is ready to accept connections`,
    )
    // The selector names the runner pods of web; the idle one has no job pod.
    const argv = (await logsCall()).at(-1)!
    expect(argv).to.include.members([
      '--all-containers',
      '--prefix',
      '--selector',
      `runner-pod in (${[busy, idle].sort().join(',')})`,
    ])
    expect(argv).not.to.include('--container')
  })

  it('--job goes with neither --listener nor --controller', async () => {
    expectOk(await s.add('web'))
    const calls = (await s.fake.calls()).length
    const result = await s.deskrun(['logs', 'web', '--job', '--listener'])
    expect(result.exitCode).to.equal(2)
    expect(result.stderr).to.contain('--listener=true cannot also be provided when using --job')
    expect(await s.fake.calls()).to.have.length(calls)
  })

  it('says so when no runner runs (paused), and refuses an unknown name', async () => {
    expectOk(await s.add('web'))
    expectOk(await s.deskrun(['pause', 'web']))
    const quiet = await s.deskrun(['logs', 'web'])
    expectOk(quiet)
    expect(quiet.stdout).to.equal('')
    expect(quiet.stderr).to.contain('No runner pod of web is running')

    const calls = (await s.fake.calls()).length
    const unknown = await s.deskrun(['logs', 'nope'])
    expect(unknown.exitCode).to.equal(2)
    expect(unknown.stderr).to.contain('No installation or instance named "nope"')
    expect(await s.fake.calls()).to.have.length(calls)
  })
})
