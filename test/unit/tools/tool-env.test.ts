import {expect} from 'chai'

import {PASS_ENV, toolEnv} from '../../../src/lib/tools/prerequisites.js'
import {ToolRunner} from '../../../src/lib/tools/runner.js'
import type {ToolName} from '../../../src/lib/tools/prerequisites.js'

const TOKEN = 'ghp_ChildrenMustNeverSeeThis0123456789ab'

/** What a user's shell may hold: what the tools need, and credentials they must not get. */
const SHELL = {
  PATH: '/usr/bin',
  HOME: '/home/dev',
  KUBECONFIG: '/home/dev/.kube/config',
  DOCKER_HOST: 'unix:///run/user/1000/docker.sock',
  DOCKER_CONFIG: '/home/dev/.docker',
  HELM_REGISTRY_CONFIG: '/home/dev/.config/helm/registry/config.json',
  KIND_EXPERIMENTAL_PROVIDER: 'podman',
  https_proxy: 'http://proxy:3128',
  NO_PROXY: 'localhost,127.0.0.1',
  LC_ALL: 'C.UTF-8',
  XDG_RUNTIME_DIR: '/run/user/1000',
  SystemRoot: 'C:\\Windows',
  DESKRUN_HOME: '/home/dev/.deskrun',
  DESKRUN_AUTH_VALUE: TOKEN,
  GITHUB_TOKEN: 'ghp_AnotherTokenOfTheUser0123456789abcd',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  NPM_TOKEN: 'npm_abc',
}

describe('the environment of child processes', () => {
  it('holds what kind, helm, kubectl and docker read, and no credential', () => {
    const env = toolEnv(SHELL)
    expect(Object.keys(env).sort()).to.deep.equal(
      [
        'PATH',
        'HOME',
        'KUBECONFIG',
        'DOCKER_HOST',
        'DOCKER_CONFIG',
        'HELM_REGISTRY_CONFIG',
        'KIND_EXPERIMENTAL_PROVIDER',
        'https_proxy',
        'NO_PROXY',
        'LC_ALL',
        'XDG_RUNTIME_DIR',
        'SystemRoot',
      ].sort(),
    )
    expect(env).to.include({KUBECONFIG: SHELL.KUBECONFIG, https_proxy: SHELL.https_proxy})
  })

  it(`passes the names listed in ${PASS_ENV}, but never the variable deskrun reads a token from`, () => {
    const env = toolEnv({...SHELL, AWS_PROFILE: 'dev', [PASS_ENV]: 'AWS_PROFILE, DESKRUN_AUTH_VALUE'})
    expect(env).to.include({AWS_PROFILE: 'dev'})
    expect(env).not.to.have.any.keys('DESKRUN_AUTH_VALUE', 'GITHUB_TOKEN', PASS_ENV)
    expect(toolEnv({...SHELL, [PASS_ENV]: 'deskrun_auth_value'})).not.to.have.key('DESKRUN_AUTH_VALUE')
  })

  it('is what the runner starts a tool with', async () => {
    const node = process.execPath as ToolName
    const result = await new ToolRunner({env: SHELL}).run(node, [
      '-e',
      'process.stdout.write(JSON.stringify(process.env))',
    ])
    const seen = JSON.parse(result.stdout) as Record<string, string>
    expect(seen).to.include({HOME: '/home/dev', KUBECONFIG: SHELL.KUBECONFIG})
    expect(seen).not.to.have.any.keys('DESKRUN_AUTH_VALUE', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY')
    expect(result.stdout).not.to.contain(TOKEN)
  })
})
