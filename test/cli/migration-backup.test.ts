/**
 * The backup of a config that the original deskrun wrote (`config.json.v0.bak`) keeps its tokens and
 * private keys: deskrun says where it is when it makes it, and `remove` of the last installation that
 * used a credential says that the backup still holds it, with the command to delete it.
 */
import {rm, stat, writeFile} from 'node:fs/promises'

import {expect} from 'chai'

import {unwrap} from '../helpers/fake-tools.js'
import {expectOk, REPO, type Sandbox, TOKEN, useSandbox} from './support.js'

const OTHER_TOKEN = 'ghp_AnotherTestTokenNotLeaked987654321zyxwvu'

/** As the original Go deskrun wrote it: no version, PascalCase fields, the credential in AuthValue. */
const originalInstallation = (name: string, token: string) => ({
  Name: name,
  Repository: REPO,
  ContainerMode: 'kubernetes',
  MinRunners: 1,
  MaxRunners: 2,
  CachePaths: [],
  AuthType: 'pat',
  AuthValue: token,
})

describe('the backup of an original config, with its credentials', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const backup = () => `${s.configFile}.v0.bak`

  beforeEach(async () => {
    await writeFile(
      s.configFile,
      JSON.stringify({
        cluster_name: 'deskrun',
        installations: {
          'old-runner': originalInstallation('old-runner', OTHER_TOKEN),
          'same-token': originalInstallation('same-token', TOKEN),
        },
      }),
      {mode: 0o600},
    )
  })

  it('the rewrite names the backup (0600) and how to delete it; the last remove of a credential names it again', async () => {
    // The token file of `add` holds TOKEN, which same-token uses too.
    const add = await s.add('new-runner')
    expectOk(add)
    const said = unwrap(add.stderr)
    expect(said).to.contain(
      `the previous file is kept as ${backup()} (mode 0600), with its tokens and private keys`,
    )
    expect(said).to.contain(`rm ${backup()}`)
    expect((await stat(backup())).mode & 0o777).to.equal(0o600)

    // TOKEN stays in use by new-runner: nothing to say about it.
    const first = await s.deskrun(['remove', 'same-token'])
    expectOk(first)
    expect(first.stdout).not.to.contain(backup())

    // OTHER_TOKEN was only old-runner's: the backup is now its last copy.
    const last = await s.deskrun(['remove', 'old-runner'])
    expectOk(last)
    expect(unwrap(last.stdout)).to.contain(
      `${backup()}, the config as the original deskrun wrote it, still holds a token or private key that no installation uses any more.`,
    )
    expect(last.stdout).to.contain(`\n  rm ${backup()}\n`)
    const json = await s.deskrun(['remove', 'new-runner', '--json'])
    expect(JSON.parse(json.stdout).credentialBackups).to.deep.equal([backup()])
  })

  it('says nothing once the backup is gone', async () => {
    expectOk(await s.add('new-runner'))
    await rm(backup())
    const result = await s.deskrun(['remove', 'old-runner'])
    expectOk(result)
    expect(result.stdout).not.to.contain('.bak')
  })
})
