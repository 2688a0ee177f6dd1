import {expect} from 'chai'

import {MACHINE_CHECKS, runChecks} from '../../../src/lib/app/doctor/run.js'
import type {ToolVersion} from '../../../src/lib/adapters/tools/index.js'
import {CA_PEM} from '../../helpers/certificates.js'
import {context, FakeTools, healthyMachine, healthyWorld} from './fakes.js'

/** A promise and the function that settles it. */
function gate<T>(): {promise: Promise<T>; open: (value: T) => void} {
  let open!: (value: T) => void
  const promise = new Promise<T>((resolve) => (open = resolve))
  return {promise, open}
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('doctor: running the checks', () => {
  it('runs independent checks side by side, and waits where a check builds on another', async () => {
    const tools = new FakeTools(healthyWorld())
    const helm = gate<ToolVersion>()
    tools.helm.version = () => (tools.calls.push('helm version'), helm.promise)
    const heard: string[] = []
    const machine = healthyMachine()
    machine.hosts = {'proxy.example.com:3128': {ok: true, address: '192.0.2.10'}}
    const network = [{proxy: 'http://proxy.example.com:3128', githubCA: CA_PEM}]
    const running = runChecks(context(tools, machine, {network}), MACHINE_CHECKS, (check) =>
      heard.push(check.id),
    )
    for (let i = 0; i < 20; i++) await tick()

    // While helm answers nothing, the other tools were asked and the cluster looked at; the controller,
    // which needs helm, was not.
    expect(tools.calls).to.include.members([
      'docker version',
      'kind version',
      'kubectl version',
      'kind clusters',
    ])
    expect(tools.calls.filter((call) => call.startsWith('helm release'))).to.deep.equal([])
    // Results are told in deskrun's order: nothing after helm before helm.
    expect(heard).to.deep.equal(['docker', 'kind'])

    helm.open({version: '3.18.4', output: 'v3.18.4+gd80839c'})
    const checks = await running
    // No such checks with a native Docker Engine on Linux (data roots in shared folders) and deskrun's
    // own kind cluster (the user's rights on an existing cluster).
    const shown = MACHINE_CHECKS.filter((id) => id !== 'shared-data-root' && id !== 'permissions')
    expect(checks.map((check) => check.id)).to.deep.equal(shown)
    expect(heard).to.deep.equal(shown)
    expect(checks.every((check) => check.status === 'ok')).to.equal(true)
  })

  it('a check whose input was not chosen runs without it, as before', async () => {
    const tools = new FakeTools(healthyWorld())
    const checks = await runChecks(context(tools, healthyMachine()), ['cluster', 'docker', 'kind'])
    expect(checks.map((check) => `${check.id}:${check.status}`)).to.deep.equal([
      'docker:ok',
      'kind:ok',
      'cluster:warn',
    ])
    expect(checks[2].found).to.equal('not checked: needs kubectl to reach the cluster')
  })
})
