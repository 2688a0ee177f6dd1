/**
 * After a reboot `up` brings back everything it can: an installation whose config entry cannot be
 * deployed is reported with how to fix it and left alone, in the config and in the cluster.
 */
import {expect} from 'chai'

import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'

describe('up with entries it cannot deploy', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const releases = async () => (await s.fake.releases(CLUSTER)).map((release) => release.name).sort()
  const objectsOf = async (installation: string) =>
    (await s.fake.objects(CLUSTER, {namespace: 'arc-runners'}))
      .filter((object) => object.metadata.labels?.['deskrun.io/installation'] === installation)
      .map((object) => `${object.kind} ${object.metadata.name}`)
      .sort()

  it('deploys the valid installations, reports each invalid one with a fix that works, and exits 1', async () => {
    await s.writeInstallations({
      good: {},
      'min-max': {MinRunners: 6, MaxRunners: 2},
      'plain-http': {Repository: 'http://github.com/owner/repo'},
      docker: {ContainerMode: 'cached-privileged-kubernetes', CachePaths: [{Target: '/var/lib/docker'}]},
      gone: {ContainerMode: 'gpu'},
    })
    const written = (await s.config()).installations

    const result = await s.deskrun(['up'])
    expect(result.exitCode, result.stderr).to.equal(1)
    expect(await releases()).to.deep.equal(['arc', 'good'])
    const report = result.stderr.slice(result.stderr.indexOf('Not deployed'))
    for (const [name, reason] of [
      ['min-max', '--min-runners (6) is greater than --max-runners (2)'],
      ['plain-http', 'it must use https://'],
      ['docker', '--instances 5'],
      ['gone', 'container mode "gpu", which is not available'],
    ]) {
      expect(report).to.contain(`\n  ${name}\n`).and.contain(reason)
      expect(report).to.contain(`Fix installations.${name} in ${s.configFile}`)
      expect(report).to.contain(`deskrun remove ${name}, then deskrun add ${name}`)
      expect(report).to.contain(`deskrun set ${name}`)
    }
    expect(report).to.contain('In the config file, --min-runners is MinRunners, --max-runners is MaxRunners.')

    const after = (await s.config()).installations
    for (const name of ['min-max', 'plain-http', 'docker', 'gone'])
      expect(after[name], `${name} stays as it was written`).to.deep.include(written[name])
    expect(after.good.Deployed).to.equal(true)
    expect(after['min-max'].Deployed).to.not.equal(true)

    const json = await s.deskrun(['up', '--json'])
    expect(json.exitCode).to.equal(1)
    const parsed = JSON.parse(json.stdout)
    expect(parsed.installations).to.deep.equal(['good'])
    expect(parsed.skipped.map((entry: {installation: string}) => entry.installation).sort()).to.deep.equal([
      'docker',
      'gone',
      'min-max',
      'plain-http',
    ])
    const minMax = parsed.skipped.find((entry: {installation: string}) => entry.installation === 'min-max')
    expect(minMax.problems).to.deep.equal([
      '--min-runners (6) is greater than --max-runners (2); raise --max-runners or lower --min-runners.',
    ])
    expect(minMax.hint).to.contain('deskrun remove min-max, then deskrun add min-max')

    // The hint works for an installation that exists.
    expectOk(await s.deskrun(['remove', 'min-max']))
    expectOk(await s.add('min-max', '--min-runners', '2', '--max-runners', '6'))
    expect(await releases()).to.deep.equal(['arc', 'good', 'min-max'])
  })

  it('leaves the scale sets and objects of an invalid installation in the cluster, and still prunes orphans', async () => {
    expectOk(await s.add('cached', '--mode', 'cached-privileged-kubernetes', '--cache', '/root/.cache'))
    expectOk(await s.add('multi', '--instances', '2'))
    expectOk(await s.add('good'))
    expectOk(await s.add('gone-soon'))
    const before = {cached: await objectsOf('cached'), multi: await objectsOf('multi')}
    expect(before.cached).to.include('ConfigMap cached-hook-extension')

    const config = await s.config()
    config.installations.cached.MinRunners = 9
    // Fewer instances and a bad URL: its releases multi-1 and multi-2 are found by their labels.
    config.installations.multi.Instances = 1
    config.installations.multi.Repository = 'http://github.com/owner/repo'
    delete config.installations['gone-soon']
    await s.writeInstallations(config.installations)

    const result = await s.deskrun(['up'])
    expect(result.exitCode, result.stderr).to.equal(1)
    expect(await releases()).to.deep.equal(['arc', 'cached', 'good', 'multi-1', 'multi-2'])
    expect(await objectsOf('cached')).to.deep.equal(before.cached)
    expect(await objectsOf('multi')).to.deep.equal(before.multi)
    const uninstalled = (await s.fake.calls('helm')).filter((call) => call.argv[0] === 'uninstall')
    expect(uninstalled.map((call) => call.argv[1])).to.deep.equal(['gone-soon'])
  })

  it('with nothing it can deploy, calls no tool', async () => {
    await s.writeInstallations({'min-max': {MinRunners: 6, MaxRunners: 2}})
    const result = await s.deskrun(['up'])
    expect(result.exitCode).to.equal(1)
    expect(result.stdout).to.contain('Nothing was deployed.')
    expect(result.stderr).to.contain('min-max')
    expect(await s.fake.calls()).to.deep.equal([])
  })
})
