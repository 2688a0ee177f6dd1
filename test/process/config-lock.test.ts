/** The config lock between processes: 20 deskrun processes change the config at once, none is lost. */
import {spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {loadConfig, updateConfig} from '../../src/lib/adapters/config-store.js'
import {REPO_ROOT} from '../helpers/fake-tools.js'

const WORKER = path.join(REPO_ROOT, 'test', 'fixtures', 'config', 'add-installation.ts')

function runWorker(file: string, name: string): Promise<{code: number | null; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file, name], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({code, stderr}))
  })
}

describe('updateConfig across processes', function () {
  this.timeout(300_000)
  let dir: string
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deskrun-store-'))
  })
  afterEach(() => fs.rm(dir, {recursive: true, force: true}))

  it('lets 20 processes change the config at once without losing a change', async () => {
    const home = path.join(dir, 'home', '.deskrun')
    const file = path.join(home, 'config.json')
    await updateConfig((config) => config, file)
    const names = Array.from({length: 20}, (_, i) => `runner-${i + 1}`)
    const results = await Promise.all(names.map((name) => runWorker(file, name)))
    for (const [i, result] of results.entries())
      expect(result.code, `${names[i]}: ${result.stderr}`).to.equal(0)

    const config = await loadConfig(file)
    expect(Object.keys(config.installations).sort()).to.deep.equal([...names].sort())
    expect(config.installations['runner-7'].auth).to.deep.equal({type: 'pat', token: 'token-runner-7'})
    expect(await fs.readdir(home)).to.deep.equal(['config.json'])
    expect((await fs.stat(file)).mode & 0o777).to.equal(0o600)
  })
})
