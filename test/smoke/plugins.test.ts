/**
 * A container mode plugin through processes: `deskrun plugins link` puts the example plugin into the
 * oclif data folder under the sandbox's HOME, and the next deskrun processes offer and deploy its modes.
 */
import path from 'node:path'

import {expect} from 'chai'

import {buildExamplePlugin, EXAMPLE_PLUGIN} from '../helpers/example-plugin.js'
import {REPO_ROOT, unwrap} from '../helpers/fake-tools.js'
import {expectOk, type Sandbox, useSandbox} from '../cli/support.js'

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'plugins')

describe('a linked plugin, through processes', function () {
  this.timeout(120_000)
  let s: Sandbox
  before(() => buildExamplePlugin())
  useSandbox((created) => (s = created), {processes: true})

  it('plugins link adds its modes to modes and add; plugins unlink takes them away', async () => {
    expectOk(await s.deskrun(['plugins', 'link', EXAMPLE_PLUGIN, '--no-install']))
    const modes = JSON.parse((await s.deskrun(['modes', '--json'])).stdout)
    expect(modes.modes.find((mode: {name: string}) => mode.name === 'gpu')).to.deep.include({
      source: {type: 'plugin', name: 'deskrun-plugin-gpu', version: '0.1.0'},
    })

    expectOk(await s.add('gpu-box', '--mode', 'gpu'))
    const release = (await s.fake.releases('deskrun')).find((candidate) => candidate.name === 'gpu-box')
    expect(release?.values?.containerMode).to.deep.equal({type: 'kubernetes-novolume'})

    expectOk(await s.deskrun(['plugins', 'unlink', 'deskrun-plugin-gpu']))
    const after = JSON.parse((await s.deskrun(['modes', '--json'])).stdout)
    expect(after.modes.map((mode: {name: string}) => mode.name)).not.to.include('gpu')
  })

  it('hooks that never answer: after the timeout deskrun goes on, warns once for each, and exits', async () => {
    const link = async (name: string) =>
      expectOk(await s.deskrun(['plugins', 'link', path.join(FIXTURES, name), '--no-install']))
    const modes = async (args: string[]) => {
      const result = await s.fake.run(args, {extra: {DESKRUN_PLUGIN_TIMEOUT_MS: '500'}, timeoutMs: 60_000})
      expect(result.timedOut, `deskrun ${args.join(' ')} did not exit`).to.equal(false)
      expectOk(result)
      return result
    }
    const warned = (stderr: string, name: string) =>
      unwrap(stderr).split(`Warning: Plugin ${name}@1.0.0 could not provide container modes`).length - 1

    // A hook that holds nothing: the process must not end before the timeout, as if nothing was left to do.
    await link('deskrun-plugin-never-answers')
    const alone = await modes(['modes'])
    expect(alone.stdout).to.match(/^\s*kubernetes\s+yes\s+built-in\s+/m)
    expect(warned(alone.stderr, 'deskrun-plugin-never-answers')).to.equal(1)

    // A hook that keeps a timer running: the process must not wait for it once the command is done.
    await link('deskrun-plugin-hangs')
    const both = await modes(['modes'])
    expect(both.stdout).to.match(/^\s*kubernetes\s+yes\s+built-in\s+/m)
    for (const name of ['deskrun-plugin-never-answers', 'deskrun-plugin-hangs'])
      expect(warned(both.stderr, name), name).to.equal(1)

    const json = await modes(['modes', '--json'])
    const {warnings} = JSON.parse(json.stdout) as {warnings: string[]}
    expect(warnings.map((warning) => warning.split('@')[0]).sort()).to.deep.equal([
      'Plugin deskrun-plugin-hangs',
      'Plugin deskrun-plugin-never-answers',
    ])
  })
})
