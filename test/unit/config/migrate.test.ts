import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {toDomain, toFile} from '../../../src/lib/domain/config/convert.js'
import {isBackupOf, migrate, storedCredentials} from '../../../src/lib/domain/config/migrate.js'
import {configProblems} from '../../../src/lib/domain/config/problems.js'
import {
  backupsWithUnusedCredentials,
  loadConfig,
  updateConfig,
} from '../../../src/lib/adapters/config-store.js'

const ORIGINAL = {
  cluster_name: 'deskrun',
  cluster_hosts: {},
  installations: {
    'docker-runner': {
      Name: 'docker-runner',
      Repository: 'https://github.com/owner/repo',
      ContainerMode: 'cached-privileged-kubernetes',
      MinRunners: 1,
      MaxRunners: 1,
      Instances: 2,
      Mounts: [
        {Source: '', Target: '/var/lib/docker', Type: 'DirectoryOrCreate'},
        {Source: '/var/run/docker.sock', Target: '/var/run/docker.sock', Type: 'Socket'},
      ],
      CachePaths: [{Target: '/root/.cache', Source: ''}],
      AuthType: 'pat',
      AuthValue: 'ghp_original',
    },
  },
}
const ORIGINAL_TEXT = `${JSON.stringify(ORIGINAL, null, 2)}\n`

describe('config migration', () => {
  let dir: string
  let file: string

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deskrun-migrate-'))
    file = path.join(dir, 'config.json')
    await fs.writeFile(file, ORIGINAL_TEXT, {mode: 0o600})
  })

  afterEach(async () => {
    await fs.rm(dir, {recursive: true, force: true})
  })

  it('turns the original shape into version 1 in memory without touching the input', async () => {
    const input = structuredClone(ORIGINAL)
    const {file: migrated, fromVersion} = migrate(input)
    expect(input).to.deep.equal(ORIGINAL)
    expect(fromVersion).to.equal(0)
    expect(await configProblems(migrated)).to.deep.equal([])
    expect(migrated).to.deep.equal({
      version: 1,
      cluster_name: 'deskrun',
      cluster_hosts: {},
      installations: {
        'docker-runner': {
          Name: 'docker-runner',
          Repository: 'https://github.com/owner/repo',
          ContainerMode: 'cached-privileged-kubernetes',
          MinRunners: 1,
          MaxRunners: 1,
          Instances: 2,
          CachePaths: [{Target: '/root/.cache'}, {Target: '/var/lib/docker'}],
          Mounts: [{Source: '/var/run/docker.sock', Target: '/var/run/docker.sock', Type: 'Socket'}],
          AuthType: 'pat',
          AuthValue: 'ghp_original',
        },
      },
    })
  })

  it('leaves the file alone on load and rewrites it on the next save, keeping a 0600 backup', async () => {
    await loadConfig(file)
    expect(await fs.readFile(file, 'utf8')).to.equal(ORIGINAL_TEXT)

    const notes: string[] = []
    await updateConfig((config) => config, file, {onNote: (note) => notes.push(note)})

    const backup = path.join(dir, 'config.json.v0.bak')
    expect(await fs.readFile(backup, 'utf8')).to.equal(ORIGINAL_TEXT)
    expect((await fs.stat(backup)).mode & 0o777).to.equal(0o600)
    expect(notes.some((note) => note.includes('config.json.v0.bak'))).to.equal(true)

    const written = JSON.parse(await fs.readFile(file, 'utf8'))
    expect(written.version).to.equal(1)
    expect(written.cluster_hosts).to.deep.equal({})
    expect(written.installations['docker-runner'].Mounts).to.deep.equal([
      {Source: '/var/run/docker.sock', Target: '/var/run/docker.sock', Type: 'Socket'},
    ])
    expect(written.installations['docker-runner'].AuthValue).to.equal('ghp_original')
  })

  it('finds the backups that hold a credential no installation uses any more', async () => {
    await updateConfig((config) => config, file)
    const backup = path.join(dir, 'config.json.v0.bak')
    await fs.writeFile(path.join(dir, 'config.json.v0.1.bak'), 'not JSON')
    await fs.writeFile(path.join(dir, 'other.json.v0.bak'), ORIGINAL_TEXT)
    expect(await backupsWithUnusedCredentials(await loadConfig(file), file)).to.deep.equal([])
    const removed = await updateConfig((config) => ({...config, installations: {}}), file)
    expect(await backupsWithUnusedCredentials(removed, file)).to.deep.equal([backup])
  })

  it('tells backups by name and reads credentials of either shape', () => {
    expect(isBackupOf('/h/config.json', 'config.json.v0.bak')).to.equal(true)
    expect(isBackupOf('/h/config.json', 'config.json.v0.2.bak')).to.equal(true)
    expect(isBackupOf('/h/config.json', 'config.json.bak')).to.equal(false)
    expect(isBackupOf('/h/config.json', 'config.json.v0.bak.tmp')).to.equal(false)
    expect(storedCredentials(ORIGINAL)).to.deep.equal(['ghp_original'])
    expect(storedCredentials({installations: {a: {AuthValue: ' '}, b: null}})).to.deep.equal([])
    expect(storedCredentials('nothing')).to.deep.equal([])
  })

  it('backs up only once, and never over a different older backup', async () => {
    const backup = path.join(dir, 'config.json.v0.bak')
    await fs.writeFile(backup, 'an older backup')
    await updateConfig((config) => config, file)
    await updateConfig((config) => ({...config, clusterName: 'other'}), file)
    expect(await fs.readFile(backup, 'utf8')).to.equal('an older backup')
    expect(await fs.readFile(path.join(dir, 'config.json.v0.1.bak'), 'utf8')).to.equal(ORIGINAL_TEXT)
    expect((await fs.readdir(dir)).sort()).to.deep.equal([
      'config.json',
      'config.json.v0.1.bak',
      'config.json.v0.bak',
    ])
  })

  it('loads the same installations before and after the rewrite', async () => {
    const before = await loadConfig(file)
    await updateConfig((config) => config, file)
    expect(await loadConfig(file)).to.deep.equal(before)
  })

  it('converts between file and domain without losing anything', async () => {
    const {file: current} = migrate(structuredClone(ORIGINAL))
    const domain = toDomain(current)
    expect(toDomain(toFile(domain))).to.deep.equal(domain)
    const app = {
      ...domain,
      cacheRoot: '/data/cache',
      chartVersion: '0.13.0',
      installations: {
        app: {
          name: 'app',
          repository: 'https://github.com/org',
          mode: 'dind',
          minRunners: 0,
          maxRunners: 3,
          instances: 1,
          caches: [{target: '/var/lib/docker', source: '/data/cache/docker'}],
          runnerGroup: 'desk',
          labels: ['gpu'],
          auth: {
            type: 'github-app' as const,
            appId: 'Iv23liAbCdEf01234567',
            installationId: '42',
            privateKey: 'PEM',
          },
          deployed: true,
          extra: {Future: {x: 1}},
        },
      },
    }
    const written = toFile(app)
    expect(written.cache_root).to.equal('/data/cache')
    expect(written.chart_version).to.equal('0.13.0')
    expect(written.installations.app).to.deep.include({
      AppID: 'Iv23liAbCdEf01234567',
      InstallationID: '42',
      AuthValue: 'PEM',
    })
    expect(await configProblems(written)).to.deep.equal([])
    expect(toDomain(written)).to.deep.equal(app)
  })

  it('keeps a pause (Paused only when true)', async () => {
    const {file: current} = migrate(structuredClone(ORIGINAL))
    const domain = toDomain(current)
    const [name] = Object.keys(domain.installations)
    const paused = {...domain, installations: {[name]: {...domain.installations[name], paused: true}}}
    const written = toFile(paused)
    expect(written.installations[name].Paused).to.equal(true)
    expect(await configProblems(written)).to.deep.equal([])
    expect(toDomain(written).installations[name].paused).to.equal(true)
    expect(toFile(toDomain(current)).installations[name]).not.to.have.property('Paused')
  })

  it('keeps caches on a storage class with their size, written even when it is the default', async () => {
    const {file: current} = migrate(structuredClone(ORIGINAL))
    const domain = toDomain(current)
    const [name] = Object.keys(domain.installations)
    const storage = {storageClass: 'longhorn', size: '20Gi'}
    const written = toFile({
      ...domain,
      installations: {[name]: {...domain.installations[name], cacheStorage: storage}},
    })
    expect(written.installations[name]).to.deep.include({CacheStorageClass: 'longhorn', CacheSize: '20Gi'})
    expect(await configProblems(written)).to.deep.equal([])
    expect(toDomain(written).installations[name].cacheStorage).to.deep.equal(storage)
    // Written by hand without a size: the default (deskrun writes it, so a new default never resizes its claims).
    const {CacheSize: _, ...bare} = written.installations[name]
    const read = toDomain({...written, installations: {[name]: bare}})
    expect(read.installations[name].cacheStorage).to.deep.equal({storageClass: 'longhorn', size: '20Gi'})
    expect(toFile(toDomain(current)).installations[name]).not.to.have.property('CacheStorageClass')
  })

  it('leaves defaults out of the file so that newer defaults apply', () => {
    const {file: current} = migrate(structuredClone(ORIGINAL))
    const written = toFile(toDomain(current))
    expect(written).not.to.have.property('cache_root')
    expect(written).not.to.have.property('chart_version')
  })
})
