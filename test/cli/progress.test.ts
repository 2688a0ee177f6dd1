/**
 * The first seconds of a command: a step shows from the start while the prerequisite checks run, and
 * the checks that do not build on each other run side by side.
 */
import {existsSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {expect} from 'chai'

import {expectOk, REPO, type Sandbox, useSandbox} from './support.js'

describe('the first seconds', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  /** Holds the first call whose argv holds `match` until the returned function is called. */
  function hold(tool: 'docker' | 'helm', match: string) {
    const gate = path.join(s.fake.root, 'gate')
    s.fake.setFaults([{tool, match, action: 'hold', gate}])
    return {
      held: async () => {
        while (!existsSync(`${gate}.held`)) await sleep(10)
      },
      open: () => writeFile(gate, ''),
    }
  }

  /** Whether `running` has printed `text` on stderr by now. */
  const printedYet = (running: ReturnType<Sandbox['start']>, text: string) =>
    Promise.race([
      running.printed(text).then(() => true),
      new Promise<boolean>((resolve) => setImmediate(() => resolve(false))),
    ])

  it('add shows a step while the tool checks run, then what it found', async () => {
    const docker = hold('docker', 'version')
    const tokenFile = path.join(s.fake.root, 'token')
    const running = s.start(['add', 'my-runner', '--repository', REPO, '--auth-value-file', tokenFile])
    await docker.held()
    expect(await printedYet(running, 'Checking tools')).to.equal(true)
    await docker.open()
    const result = await running.result
    expectOk(result)
    expect(result.stderr).to.match(/Checked tools: Docker [\d.]+, kind [\d.]+, helm [\d.]+, kubectl [\d.]+/)
  })

  it('up shows the step too, before it reads the cluster', async () => {
    expectOk(await s.add('my-runner'))
    const docker = hold('docker', 'version')
    const running = s.start(['up'])
    await docker.held()
    expect(await printedYet(running, 'Checking tools')).to.equal(true)
    expect(await printedYet(running, 'reading')).to.equal(false)
    await docker.open()
    expectOk(await running.result)
  })

  it('status shows a step while it reads the cluster', async () => {
    expectOk(await s.add('my-runner'))
    const helm = hold('helm', 'list')
    const running = s.start(['status'])
    await helm.held()
    expect(await printedYet(running, 'Cluster kind-deskrun: reading')).to.equal(true)
    await helm.open()
    const result = await running.result
    expectOk(result)
    expect(result.stderr).to.contain('Cluster kind-deskrun: read')
  })

  it('doctor asks kubectl while helm still answers nothing (the checks run side by side)', async () => {
    const helm = hold('helm', 'version')
    const running = s.start(['doctor', '--json'])
    await helm.held()
    while (!(await s.fake.calls('kubectl')).some((call) => call.argv[0] === 'version')) await sleep(10)
    await helm.open()
    const result = await running.result
    expect(JSON.parse(result.stdout).checks.map((check: {id: string}) => check.id)).to.deep.equal([
      'config',
      'docker',
      'kind',
      'helm',
      'kubectl',
      'cluster',
      'cache-mount',
      'controller',
      'cache-root',
      'cache-lifetime',
      'inotify',
      'cgroup',
    ])
  })
})
