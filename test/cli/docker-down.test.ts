/**
 * Docker stopped: every command that asks the cluster says so as `add` does (the doctor's finding and
 * "Start Docker ..."), not with the raw error of the kind call that failed first.
 */
import {readFile} from 'node:fs/promises'

import {expect} from 'chai'

import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

const DOWN = {FAKE_DOCKER_DOWN: '1'}

describe('Docker stopped', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  beforeEach(async () => {
    expectOk(await s.add('my-runner'))
  })

  for (const args of [['status'], ['status', 'my-runner'], ['cluster', 'status'], ['remove', 'my-runner']])
    it(`${args.join(' ')}: the "start Docker" hint of add, not kind's error`, async () => {
      const config = await readFile(s.configFile, 'utf8')
      const result = await s.deskrun(args, {env: DOWN})
      const said = unwrap(result.stderr)
      expect(result.exitCode, said).to.equal(1)
      expect(said).to.contain('Docker: the Docker daemon is not reachable')
      expect(said).to.contain('Start Docker: open Docker Desktop, or `sudo systemctl start docker` on Linux.')
      expect(said).not.to.contain('failed to list clusters')
      expect(said).not.to.contain('command: kind get clusters')
      expect(await readFile(s.configFile, 'utf8')).to.equal(config)
    })

  it('status --json: the same, as the JSON error', async () => {
    const result = await s.deskrun(['status', '--json'], {env: DOWN})
    expect(result.exitCode).to.equal(1)
    const {error} = JSON.parse(result.stdout)
    expect(error.code).to.equal('PREREQUISITES')
    expect(error.hint).to.contain('Start Docker')
  })

  it('a kind failure with Docker running stays the kind failure', async () => {
    s.fake.setFaults([{tool: 'kind', match: 'get clusters', action: 'fail'}])
    const result = await s.deskrun(['status'])
    expect(result.exitCode).to.equal(1)
    expect(unwrap(result.stderr)).to.contain('command: kind get clusters')
    expect(unwrap(result.stderr)).not.to.contain('Start Docker')
  })
})
