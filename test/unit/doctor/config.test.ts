import {chmod, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {checkConfig} from '../../../src/lib/app/doctor/checks/config.js'

describe('doctor: config check', () => {
  let home: string
  let file: string

  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-doctor-config-'))
    file = path.join(home, 'config.json')
  })
  afterEach(() => rm(home, {recursive: true, force: true}))

  const installation = {
    Repository: 'https://github.com/o/r',
    ContainerMode: 'kubernetes',
    MinRunners: 1,
    MaxRunners: 2,
    AuthType: 'pat',
    AuthValue: 'ghp_secret',
  }

  it('is fine without a file, and judges the rest by the defaults', async () => {
    const {check, config} = await checkConfig(file)
    expect(check.status).to.equal('ok')
    expect(check.found).to.contain('deskrun add creates it')
    expect(config.clusterName).to.equal('deskrun')
  })

  it('loads a valid file and uses its settings', async () => {
    const text = JSON.stringify({version: 1, cluster_name: 'desk', installations: {r: installation}})
    await writeFile(file, text, {mode: 0o600})
    const {check, config} = await checkConfig(file)
    expect(check).to.include({status: 'ok'})
    expect(check.found).to.contain('1 installation, cluster "desk"')
    expect(config.clusterName).to.equal('desk')
  })

  it('fails an invalid file with deskrun’s message, naming the real file', async () => {
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        cluster_name: 'desk',
        installations: {r: {...installation, MaxRunners: -1}},
      }),
      {
        mode: 0o600,
      },
    )
    const {check, config} = await checkConfig(file)
    expect(check.status).to.equal('fail')
    expect(check.found).to.contain(file).and.contain('MaxRunners')
    expect(check.fix).to.contain('deskrun did not change the file')
    expect(config.clusterName).to.equal('deskrun')
  })

  it('fails a file that is not JSON', async () => {
    await writeFile(file, '{"version": 1,', {mode: 0o600})
    const {check} = await checkConfig(file)
    expect(check.status).to.equal('fail')
    expect(check.found).to.contain('not valid JSON')
  })

  it('warns about a file others can read, and leaves it as it is', async function () {
    if (process.platform === 'win32') this.skip()
    const text = JSON.stringify({version: 1, cluster_name: 'desk', installations: {r: installation}})
    await writeFile(file, text)
    await chmod(file, 0o644)
    const {check} = await checkConfig(file)
    expect(check.status).to.equal('warn')
    expect(check.found).to.contain('readable by others (0644)')
    expect(check.fix).to.contain(`chmod 600 ${file}`)
    expect((await stat(file)).mode & 0o777).to.equal(0o644)
    expect(await readFile(file, 'utf8')).to.equal(text)
  })

  it('warns about a folder others can look into, as about the file (the repair covers both)', async function () {
    if (process.platform === 'win32') this.skip()
    await writeFile(file, JSON.stringify({version: 1, installations: {r: installation}}), {mode: 0o600})
    await chmod(home, 0o755)
    const {check} = await checkConfig(file)
    expect(check.status).to.equal('warn')
    expect(check.found).to.contain('its folder is open to others (0755)')
    expect(check.fix).to.contain(`chmod 700 ${home}`).and.not.contain('chmod 600')
    expect((await stat(home)).mode & 0o777).to.equal(0o755)
  })
})
