import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {loadConfig, secureConfig, updateConfig} from '../../../src/lib/config/store.js'
import type {DeskrunConfig, StoredInstallation} from '../../../src/lib/config/types.js'
import {DeskrunError} from '../../../src/lib/errors.js'

const posixOnly = process.platform === 'win32' ? it.skip : it

function runner(name: string): StoredInstallation {
  return {
    name,
    repository: 'https://github.com/owner/repo',
    mode: 'kubernetes',
    minRunners: 1,
    maxRunners: 5,
    instances: 1,
    caches: [],
    labels: [],
    auth: {type: 'pat', token: 'ghp_token'},
    deployed: false,
  }
}

const add = (name: string) => (config: DeskrunConfig) => ({
  ...config,
  installations: {...config.installations, [name]: runner(name)},
})

const modeOf = async (target: string) => (await fs.stat(target)).mode & 0o777

describe('updateConfig', () => {
  let dir: string
  let home: string
  let file: string

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deskrun-store-'))
    home = path.join(dir, 'home', '.deskrun')
    file = path.join(home, 'config.json')
  })

  afterEach(async () => {
    await fs.rm(dir, {recursive: true, force: true})
  })

  posixOnly('creates the folder 0700 and the file 0600, and returns what it saved', async () => {
    const saved = await updateConfig(add('one'), file)
    expect(await modeOf(home)).to.equal(0o700)
    expect(await modeOf(file)).to.equal(0o600)
    expect(Object.keys(saved.installations)).to.deep.equal(['one'])
    expect(await loadConfig(file)).to.deep.equal(saved)
    const written = JSON.parse(await fs.readFile(file, 'utf8'))
    expect(written).to.deep.include({version: 1, cluster_name: 'deskrun'})
    expect(written.installations.one).to.deep.include({
      Name: 'one',
      AuthType: 'pat',
      AuthValue: 'ghp_token',
      Deployed: false,
    })
  })

  it('leaves no temporary or lock files behind', async () => {
    await updateConfig(add('one'), file)
    await updateConfig(add('two'), file)
    expect(await fs.readdir(home)).to.deep.equal(['config.json'])
  })

  posixOnly('tightens a folder and a file that others can read, and says so', async () => {
    await updateConfig(add('one'), file)
    await fs.chmod(home, 0o755)
    await fs.chmod(file, 0o644)
    const notes: string[] = []
    await loadConfig(file, {onNote: (note) => notes.push(note)})
    expect(await modeOf(file), 'reading changes nothing').to.equal(0o644)
    await secureConfig(file, {onNote: (note) => notes.push(note)})
    expect(await modeOf(home)).to.equal(0o700)
    expect(await modeOf(file)).to.equal(0o600)
    expect(notes).to.deep.equal([
      `Tightened ${home} from 0755 to 0700: it holds tokens and private keys.`,
      `Tightened ${file} from 0644 to 0600: it holds tokens and private keys.`,
    ])

    await fs.chmod(file, 0o666)
    await updateConfig(add('two'), {file, onNote: (note) => notes.push(note)})
    expect(await modeOf(file)).to.equal(0o600)
    expect(notes).to.have.length(3)
  })

  it('writes nothing when the change fails', async () => {
    await updateConfig(add('one'), file)
    const before = await fs.readFile(file, 'utf8')
    let caught: unknown
    try {
      await updateConfig(() => {
        throw new Error('changed my mind')
      }, file)
    } catch (error) {
      caught = error
    }

    expect((caught as Error).message).to.equal('changed my mind')
    expect(await fs.readFile(file, 'utf8')).to.equal(before)
    await updateConfig(add('two'), file)
    expect(Object.keys((await loadConfig(file)).installations)).to.deep.equal(['one', 'two'])
  })

  it('refuses to write a config it could not read back', async () => {
    await updateConfig(add('one'), file)
    const before = await fs.readFile(file, 'utf8')
    let caught: unknown
    try {
      await updateConfig(
        (config) => ({...config, installations: {bad: {...runner('bad'), maxRunners: -1}}}),
        file,
      )
    } catch (error) {
      caught = error
    }

    expect(caught).to.be.instanceOf(DeskrunError)
    expect((caught as DeskrunError).code).to.equal('CONFIG_WRITE_INVALID')
    expect((caught as DeskrunError).message).to.include('installations.bad.MaxRunners must be an integer ≥ 0')
    expect(await fs.readFile(file, 'utf8')).to.equal(before)
  })

  it('keeps top-level keys it does not know', async () => {
    await fs.mkdir(home, {recursive: true, mode: 0o700})
    await fs.writeFile(
      file,
      JSON.stringify({version: 1, cluster_name: 'deskrun', installations: {}, tool_note: 'x'}),
      {
        mode: 0o600,
      },
    )
    await updateConfig(add('one'), file)
    expect(JSON.parse(await fs.readFile(file, 'utf8')).tool_note).to.equal('x')
  })

  it('takes over a lock left by a process that died', async () => {
    await updateConfig(add('one'), file)
    const lock = `${file}.lock`
    await fs.mkdir(lock)
    const longAgo = new Date(Date.now() - 60 * 60 * 1000)
    await fs.utimes(lock, longAgo, longAgo)

    await updateConfig(add('two'), file)
    expect(Object.keys((await loadConfig(file)).installations)).to.deep.equal(['one', 'two'])
    expect(await fs.readdir(home)).to.deep.equal(['config.json'])
  })

  it('lets 20 changes at once in one process each build on the one before, losing none', async () => {
    await updateConfig((config) => config, file)
    const names = Array.from({length: 20}, (_, i) => `runner-${i + 1}`)
    await Promise.all(names.map((name) => updateConfig(add(name), file)))

    const config = await loadConfig(file)
    expect(Object.keys(config.installations).sort()).to.deep.equal([...names].sort())
    expect(await fs.readdir(home)).to.deep.equal(['config.json'])
  })
})
