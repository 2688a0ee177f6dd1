/**
 * `deskrun plugins link FOLDER` with a FOLDER that holds no oclif plugin: one message in the user's words
 * (what is there, what to link instead), exit 2, nothing linked. oclif alone dumps its internal options.
 */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {unwrap} from '../helpers/fake-tools.js'
import {type Sandbox, useSandbox} from './support.js'

describe('deskrun plugins link: a folder that is no plugin', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  /** oclif's record of user-installed and linked plugins, in its data folder under HOME. */
  const linked = () =>
    readFile(path.join(s.fake.homeDir, '.local', 'share', 'deskrun', 'package.json'), 'utf8').catch(
      () => 'none',
    )

  async function linkFails(folder: string, ...expected: string[]): Promise<string> {
    const before = await linked()
    const result = await s.deskrun(['plugins', 'link', folder, '--no-install'])
    const said = unwrap(result.stderr)
    expect(result.exitCode, said).to.equal(2)
    for (const text of expected) expect(said).to.contain(text)
    expect(said).not.to.match(/isRoot|pjson|\{ /)
    expect(said).to.contain('deskrun plugins link ./deskrun-plugin-foo')
    expect(await linked()).to.equal(before)
    return said
  }

  it('a folder that does not exist', async () => {
    await linkFails('/nonexistent', 'There is no folder /nonexistent.')
  })

  it('a folder without package.json (relative to the working folder)', async () => {
    await mkdir(path.join(s.fake.homeDir, 'empty'))
    await linkFails(
      'empty',
      `${path.join(s.fake.homeDir, 'empty')} has no package.json, so it is not a plugin.`,
    )
  })

  it('a file', async () => {
    const file = path.join(s.fake.root, 'token')
    await linkFails(file, `${file} is a file, not a plugin's folder.`)
  })

  it('a package.json that is not JSON, or has no oclif section', async () => {
    const folder = path.join(s.fake.root, 'not-a-plugin')
    await mkdir(folder)
    await writeFile(path.join(folder, 'package.json'), '{"name": "left-pad",\n')
    const broken = await s.deskrun(['plugins', 'link', folder, '--no-install'])
    expect(broken.exitCode).to.equal(2)
    expect(unwrap(broken.stderr)).to.contain(`${path.join(folder, 'package.json')} is not valid JSON: line 2`)
    expect(unwrap(broken.stderr)).not.to.contain('isRoot')

    await writeFile(path.join(folder, 'package.json'), '{"name": "left-pad", "version": "1.0.0"}')
    const said = unwrap((await s.deskrun(['plugins', 'link', folder, '--no-install'])).stderr)
    expect(said).to.contain(
      `left-pad (${folder}) is not an oclif plugin: its package.json has no "oclif" section.`,
    )
    expect(said).to.contain('"deskrun:container-modes"')
    expect(said).not.to.contain('contact the CLI developer')
  })
})
