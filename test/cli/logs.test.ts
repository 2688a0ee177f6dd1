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
