/** Ctrl-C while deskrun waits for another one working on the cluster: only the wait stops. Through processes. */
import {existsSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, type Sandbox, useSandbox} from '../cli/support.js'

const CLUSTER = 'deskrun'
const WAITING = `Another deskrun process is working on cluster "${CLUSTER}"; waiting for it to finish`

describe('concurrent deskrun processes', function () {
  this.timeout(180_000)
  let s: Sandbox
  useSandbox((created) => (s = created), {processes: true})

  it('Ctrl-C while waiting for the cluster stops only the wait; the one working finishes', async () => {
    expectOk(await s.add('my-runner'))
    const config = await s.config()
    config.installations['my-runner'].MaxRunners = 3
    await writeFile(s.configFile, JSON.stringify(config, null, 2))
    // The first up upgrades my-runner, holding the cluster for as long as this test wants.
    const gate = path.join(s.fake.root, 'gate')
    s.fake.setFaults([{tool: 'helm', match: 'upgrade --install my-runner', action: 'hold', gate}])
    const first = s.start(['up', '--json'])
    while (!existsSync(`${gate}.held`)) await sleep(25)

    const second = s.start(['cluster', 'delete'])
    await second.printed(WAITING)
    second.kill('SIGINT')
    const interrupted = await second.result
    expect(interrupted.exitCode, interrupted.stderr).to.equal(130)
    expect(unwrap(interrupted.stderr)).to.contain(
      `Interrupted while waiting for another deskrun process working on cluster "${CLUSTER}"`,
    )

    await writeFile(gate, '')
    const upgraded = await first.result
    expectOk(upgraded)
    expect(JSON.parse(upgraded.stdout).changed).to.deep.equal(['scale set my-runner upgraded'])
    expect(await s.fake.clusters()).to.have.length(1)
    const verbs = (await s.fake.calls()).map((call) => `${call.tool} ${call.argv[0]}`)
    expect(verbs).not.to.include('kind delete')
  })
})
