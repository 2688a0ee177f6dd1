/** `deskrun snippet NAME`: what a workflow needs, from the config alone. */
import {expect} from 'chai'
import {parse} from 'yaml'

import {expectOk, type Sandbox, useSandbox} from './support.js'

describe('snippet', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  it('gives runs-on, and container: where the mode requires a job container, calling no tool', async () => {
    await s.writeInstallations({
      kube: {ContainerMode: 'kubernetes'},
      priv: {ContainerMode: 'cached-privileged-kubernetes'},
      docker: {ContainerMode: 'dind'},
    })
    const kube = await s.deskrun(['snippet', 'kube'])
    expectOk(kube)
    expect(parse(kube.stdout)).to.deep.equal({'runs-on': 'kube', container: 'ubuntu:24.04'})
    const priv = await s.deskrun(['snippet', 'priv', '--json'])
    expectOk(priv)
    expect(JSON.parse(priv.stdout)).to.deep.include({runsOn: ['priv'], jobContainer: 'optional'})
    const docker = await s.deskrun(['snippet', 'docker'])
    expect(parse(docker.stdout)).to.deep.equal({'runs-on': 'docker'})
    expect(await s.fake.calls()).to.deep.equal([])
  })

  it('gives a matrix over the instances, and says when the installation is paused', async () => {
    await s.writeInstallations({
      web: {Instances: 3, MinRunners: 1, MaxRunners: 1, ContainerMode: 'dind', Paused: true},
    })
    const result = await s.deskrun(['snippet', 'web'])
    expectOk(result)
    expect(parse(result.stdout)).to.deep.equal({
      strategy: {matrix: {runner: ['web-1', 'web-2', 'web-3']}},
      'runs-on': '${{ matrix.runner }}',
    })
    expect(result.stdout).to.contain('paused')
  })

  it('an unknown name is a usage error', async () => {
    await s.writeInstallations({web: {}})
    const result = await s.deskrun(['snippet', 'nope'])
    expect(result.exitCode).to.equal(2)
    expect(result.stderr).to.contain('No installation named "nope"')
  })
})
