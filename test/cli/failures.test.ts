/** Failures on the way: what deskrun says, what it leaves, and that the next run converges. */
import {writeFile} from 'node:fs/promises'

import {expect} from 'chai'

import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'

describe('failures and recovery', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('names every missing tool at once, with how to install it, before changing anything', async () => {
    const configBefore = JSON.stringify(await s.config())
    const result = await s.fake.run(['up'], {omit: ['kind', 'helm']})
    expect(result.exitCode).to.equal(1)
    const text = result.stderr.replaceAll(/\s*›\s*/g, ' ')
    expect(text).to.match(/kind: not found.*helm: not found/s)
    expect(text).to.contain('kind.sigs.k8s.io')
    expect(text).to.contain('helm.sh')
    expect(text).to.contain('--yes')
    // Only version probes ran: nothing was created or installed.
    for (const call of await s.fake.calls()) expect(call.argv.join(' ')).to.match(/^version\b|^version --/)
    expect(JSON.stringify(await s.config())).to.equal(configBefore)
  })

  it('a failing scale set keeps the installation as not deployed; up finishes it', async () => {
    s.fake.setFaults([{tool: 'helm', match: 'upgrade --install my-runner', action: 'fail'}])
    const failed = await s.add('my-runner')
    expect(failed.exitCode).to.equal(1)
    expect((await s.config()).installations['my-runner'].Deployed).to.equal(false)
    expect(JSON.parse((await s.deskrun(['list', '--json'])).stdout).installations[0].deployed).to.equal(false)

    s.fake.setFaults([])
    expectOk(await s.deskrun(['up']))
    expect((await s.config()).installations['my-runner'].Deployed).to.equal(true)
    const names = (await s.fake.releases(CLUSTER)).map((release) => release.name).sort()
    expect(names).to.deep.equal(['arc', 'my-runner'])
  })

  it('an interrupted helm run leaves a pending release that the next run recovers', async () => {
    expectOk(await s.add('my-runner'))
    await s.fake.setReleaseStatus(CLUSTER, 'arc-runners', 'my-runner', 'pending-upgrade')
    const config = await s.config()
    config.installations['my-runner'].MaxRunners = 7
    await writeFile(s.configFile, JSON.stringify(config))
    const result = await s.deskrun(['up'])
    expectOk(result)
    const release = (await s.fake.releases(CLUSTER)).find((candidate) => candidate.name === 'my-runner')!
    expect(release.status).to.equal('deployed')
    expect(release.values).to.include({maxRunners: 7})
    expect(result.stderr).not.to.contain('another operation')
  })

  it('a release that never finished installing is reinstalled', async () => {
    expectOk(await s.add('my-runner'))
    await s.fake.setReleaseStatus(CLUSTER, 'arc-runners', 'my-runner', 'pending-install')
    expectOk(await s.deskrun(['up']))
    const release = (await s.fake.releases(CLUSTER)).find((candidate) => candidate.name === 'my-runner')!
    expect(release.status).to.equal('deployed')
  })

  it('an existing cluster without the cache mount is reported, never used for caches', async () => {
    const created = await s.fake.tool('kind', ['create', 'cluster', '--name', CLUSTER])
    expect(created.exitCode).to.equal(0)
    const result = await s.add(
      'docker-runner',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/var/lib/docker',
      '--max-runners',
      '1',
    )
    expect(result.exitCode).to.equal(1)
    const text = result.stderr.replaceAll(/\s*›\s*/g, ' ')
    expect(text).to.contain('does not mount the cache root')
    expect(text).to.contain('deskrun cluster delete && deskrun up')
    expect((await s.fake.releases(CLUSTER)).map((release) => release.name)).to.deep.equal([])
    // Without caches the same cluster is fine.
    expectOk(await s.add('plain'))
  })

  it('a failed remove can be run again until it succeeds', async () => {
    expectOk(await s.add('my-runner', '--instances', '2'))
    s.fake.setFaults([{tool: 'helm', match: 'uninstall my-runner-2', action: 'fail'}])
    const failed = await s.deskrun(['remove', 'my-runner'])
    expect(failed.exitCode).to.equal(1)
    expect(Object.keys((await s.config()).installations)).to.deep.equal(['my-runner'])
    s.fake.setFaults([])
    expectOk(await s.deskrun(['remove', 'my-runner']))
    expect((await s.fake.releases(CLUSTER)).map((release) => release.name)).to.deep.equal(['arc'])
    expect((await s.config()).installations).to.deep.equal({})
  })
})
