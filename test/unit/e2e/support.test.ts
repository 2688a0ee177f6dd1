/** The e2e suite's environment for the processes it starts, and its bounded polling (test/e2e/support.ts). */
import path from 'node:path'

import {expect} from 'chai'

import {childEnv, waitFor} from '../../e2e/support.js'

describe('e2e support', () => {
  describe('childEnv', () => {
    const parent = {
      PATH: '/usr/local/bin:/usr/bin',
      HOME: '/home/me',
      DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
      E2E_GITHUB_TOKEN: 'ghp_real',
      E2E_REPOSITORY: 'octo-org/hello-world',
      DESKRUN_AUTH_VALUE: 'ghp_other',
      GITHUB_TOKEN: 'ghs_actions',
      GH_TOKEN: 'gho_cli',
      KUBECONFIG: '/home/me/.kube/config',
      DESKRUN_HOME: '/home/me/.deskrun-elsewhere',
    }

    it('hands no credential to deskrun or the tools', () => {
      const env = childEnv(parent, '/tmp/e2e-home')
      for (const name of ['E2E_GITHUB_TOKEN', 'DESKRUN_AUTH_VALUE', 'GITHUB_TOKEN', 'GH_TOKEN'])
        expect(env, name).not.to.have.property(name)
      expect(Object.values(env).join('\n')).not.to.match(/gh[pso]_/)
    })

    it("keeps the rest, and points deskrun and kind's kubeconfig at the private home", () => {
      const env = childEnv(parent, '/tmp/e2e-home')
      expect(env).to.include({
        HOME: '/home/me',
        DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
        E2E_REPOSITORY: 'octo-org/hello-world',
        DESKRUN_HOME: '/tmp/e2e-home',
        KUBECONFIG: path.join('/tmp/e2e-home', 'kubeconfig'),
      })
    })

    it("searches tools where the user's deskrun would: its own bin folder first", () => {
      const env = childEnv(parent, '/tmp/e2e-home')
      expect(env.PATH).to.equal(
        ['/home/me/.deskrun-elsewhere/bin', '/usr/local/bin', '/usr/bin'].join(path.delimiter),
      )
    })
  })

  describe('waitFor', () => {
    const options = {timeoutMs: 40, intervalMs: 10}

    it('returns the first value the probe finds', async () => {
      let calls = 0
      const value = await waitFor('three calls', options, async () => {
        calls++
        return {value: calls === 3 ? 'found' : undefined, status: `call ${calls}`}
      })
      expect(value).to.equal('found')
      expect(calls).to.equal(3)
    })

    it('gives up after a bounded number of attempts, saying what it last saw', async () => {
      let calls = 0
      const error = await waitFor('nothing', options, async () => ({status: `call ${++calls}`})).catch(
        (caught: Error) => caught,
      )
      expect(calls).to.equal(4)
      expect(String(error)).to.contain('Gave up waiting for nothing').and.to.contain('Last seen: call 4')
    })
  })
})
