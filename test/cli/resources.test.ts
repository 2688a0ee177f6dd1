/** `add --cpus --memory`: limits on every container that runs a job's work, kept in the config. */
import {readFile} from 'node:fs/promises'

import {expect} from 'chai'
import {parse} from 'yaml'

import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'
const LIMITED = {limits: {cpu: '2', memory: '4Gi'}, requests: {cpu: '100m', memory: '256Mi'}}

type Container = {name: string; resources?: unknown}

describe('resource limits', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const values = async (release: string) =>
    (await s.fake.releases(CLUSTER)).find((r) => r.name === release)?.values as {
      template: {spec: {containers: Container[]; initContainers?: Container[]}}
    }

  it('kubernetes mode: the runner container and, through the hook extension, the job container', async () => {
    expectOk(await s.add('web', '--cpus', '2', '--memory', '4Gi'))
    expect((await s.config()).installations.web).to.include({CPUs: '2', Memory: '4Gi'})
    const runner = (await values('web')).template.spec.containers.find((c) => c.name === 'runner')
    expect(runner?.resources).to.deep.equal(LIMITED)
    const [extension] = await s.fake
      .objects(CLUSTER, {kind: 'ConfigMap', namespace: 'arc-runners'})
      .then((all) => all.filter((o) => o.metadata.name.startsWith('web')))
    const job = parse((extension.data as {content: string}).content).spec.containers.find(
      (c: Container) => c.name === '$job',
    )
    expect(job.resources).to.deep.equal(LIMITED)
    // The pods the controller starts carry them.
    const [pod] = (await s.fake.objects(CLUSTER, {kind: 'Pod', namespace: 'arc-runners'})).filter((o) =>
      o.metadata.name.startsWith('web-'),
    )
    expect(
      (pod.spec as {containers: Container[]}).containers.find((c) => c.name === 'runner')?.resources,
    ).to.deep.equal(LIMITED)
  })

  it('dind mode: the runner and the Docker daemon', async () => {
    expectOk(await s.add('box', '--mode', 'dind', '--cpus', '500m', '--memory', '128Mi'))
    const {spec} = (await values('box')).template
    const limited = {limits: {cpu: '500m', memory: '128Mi'}, requests: {cpu: '100m', memory: '128Mi'}}
    const all = [...spec.containers, ...(spec.initContainers ?? [])]
    expect(all.find((c) => c.name === 'runner')?.resources).to.deep.equal(limited)
    expect(all.find((c) => c.name === 'dind')?.resources).to.deep.equal(limited)
  })

  it('without --cpus and --memory nothing is limited', async () => {
    expectOk(await s.add('web'))
    const runner = (await values('web')).template.spec.containers.find((c) => c.name === 'runner')
    expect(runner).not.to.have.property('resources')
    expect((await s.config()).installations.web).not.to.have.any.keys('CPUs', 'Memory')
  })

  it('a Docker-style --memory is refused before anything changes', async () => {
    const before = await readFile(s.configFile, 'utf8')
    const result = await s.add('web', '--memory', '512m')
    expect(result.exitCode).to.equal(2)
    expect(result.stderr).to.contain('--memory "512m" is not a memory amount')
    expect(result.stderr).to.contain('512Mi')
    expect(await readFile(s.configFile, 'utf8')).to.equal(before)
    expect(await s.fake.calls()).to.deep.equal([])
  })
})
