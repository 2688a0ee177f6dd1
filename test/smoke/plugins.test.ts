/**
 * A container mode plugin through processes: `deskrun plugins link` puts the example plugin into the
 * oclif data folder under the sandbox's HOME, and the next deskrun processes offer and deploy its modes.
 */
import {expect} from 'chai'

import {buildExamplePlugin, EXAMPLE_PLUGIN} from '../helpers/example-plugin.js'
import {expectOk, type Sandbox, useSandbox} from '../cli/support.js'

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
})
