/**
 * The fakes' executables (test/fake-tools/bin): the front end of the in-process core that the other tests
 * use. Each call is a process reading its stdin, printing, exiting with its code, or hanging, dying or
 * holding as a fault says; processes at once share the world under its lock. test/process/fake-tools.test.ts
 * runs all of the fakes' own tests this way.
 */
import {existsSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {FakeTools} from '../helpers/fake-tools.js'

const KIND_CONFIG = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n'

describe('fake executables', function () {
  this.timeout(120_000)
  let fakes: FakeTools
  beforeEach(async () => {
    fakes = await FakeTools.create({processes: true})
  })
  afterEach(() => fakes.cleanup())

  it("read stdin when argv says so, print, and exit with the real tool's code", async () => {
    const created = await fakes.tool('kind', ['create', 'cluster', '--name', 'deskrun', '--config', '-'], {
      input: KIND_CONFIG,
    })
    expect(created.exitCode, created.stderr).to.equal(0)
    expect(created.stderr).to.contain('Creating cluster "deskrun" ...')
    expect((await fakes.calls('kind'))[0]).to.include({stdin: KIND_CONFIG, exit: 0})
    const unknown = await fakes.tool('kind', ['frobnicate'])
    expect([unknown.exitCode, unknown.stderr]).to.deep.equal([
      1,
      'ERROR: unknown command "frobnicate" for "kind"\n',
    ])
    const missing = await fakes.tool('kind', ['get', 'clusters'], {extra: {FAKE_TOOLS_STATE: undefined}})
    expect(missing.exitCode).to.equal(2)
    expect(missing.stderr).to.contain('FAKE_TOOLS_STATE is not set')
  })

  it('fail, hang (until killed) and die (SIGKILL after half the output) as processes', async () => {
    const failed = await fakes.tool('kind', ['get', 'clusters'], {
      faults: [{tool: 'kind', call: 1, action: 'fail'}],
    })
    expect([failed.exitCode, failed.stderr]).to.deep.equal([1, 'Error: injected failure\n'])
    const hung = await fakes.tool('kind', ['get', 'clusters'], {
      faults: [{tool: 'kind', call: 2, action: 'hang'}],
      timeoutMs: 1500,
    })
    expect(hung.timedOut).to.equal(true)
    const died = await fakes.tool('kind', ['create', 'cluster', '--name', 'deskrun'], {
      faults: [{tool: 'kind', call: 3, action: 'die'}],
    })
    expect(died.signal).to.equal('SIGKILL')
    expect(died.stderr).to.contain('Creating cluster "deskrun" ...')
    expect(await fakes.clusters()).to.deep.equal([])
    expect((await fakes.calls('kind')).map((call) => [call.exit, call.fault])).to.deep.equal([
      [1, 'fail'],
      [null, 'hang'],
      [null, 'die'],
    ])
  })

  it('hold waits for the gate, then runs the call', async () => {
    const gate = path.join(fakes.root, 'gate')
    const held = fakes.tool('kind', ['create', 'cluster', '--name', 'deskrun'], {
      faults: [{tool: 'kind', match: 'create', action: 'hold', gate}],
    })
    while (!existsSync(`${gate}.held`)) await sleep(25)
    expect(await fakes.clusters()).to.deep.equal([])
    await writeFile(gate, '')
    expect((await held).exitCode).to.equal(0)
    expect((await fakes.clusters()).map((cluster) => cluster.name)).to.deep.equal(['deskrun'])
  })

  it('processes at once keep every change (the world is locked)', async () => {
    expect((await fakes.tool('kind', ['create', 'cluster', '--name', 'deskrun'])).exitCode).to.equal(0)
    const names = Array.from({length: 6}, (_, i) => `ns-${i}`)
    const results = await Promise.all(
      names.map((name) => fakes.tool('kubectl', ['--context', 'kind-deskrun', 'create', 'namespace', name])),
    )
    expect(results.map((result) => result.exitCode)).to.deep.equal(names.map(() => 0))
    const namespaces = (await fakes.objects('deskrun', {kind: 'Namespace'})).map((ns) => ns.metadata.name)
    expect(namespaces).to.include.members(names)
  })
})
