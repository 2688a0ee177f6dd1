import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {DEFAULT_CHART_VERSION} from '../../../src/lib/domain/arc/charts.js'
import {loadConfig, updateConfig} from '../../../src/lib/adapters/config-store.js'
import {ORIGINAL_CACHE_ROOT, defaultCacheRoot} from '../../../src/lib/domain/settings.js'
import {deskrunRejection as rejection} from '../../helpers/rejection.js'

/** The example from the original deskrun's README, as its users have it on disk. */
const ORIGINAL_EXAMPLE = `{
  "cluster_name": "deskrun",
  "installations": {
    "my-runner": {
      "Name": "my-runner",
      "Repository": "https://github.com/owner/repo",
      "ContainerMode": "kubernetes",
      "MinRunners": 1,
      "MaxRunners": 5,
      "CachePaths": [],
      "AuthType": "pat",
      "AuthValue": "ghp_xxxxxxxxxxxxx"
    }
  }
}
`

describe('loadConfig', () => {
  let dir: string
  let file: string

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deskrun-config-'))
    file = path.join(dir, 'config.json')
  })

  afterEach(async () => {
    await fs.rm(dir, {recursive: true, force: true})
  })

  it('gives the empty default config when there is no file, without creating one', async () => {
    const config = await loadConfig(file)
    expect(config).to.deep.equal({
      clusterName: 'deskrun',
      cacheRoot: defaultCacheRoot(),
      chartVersion: DEFAULT_CHART_VERSION,
      installations: {},
      extra: {},
    })
    expect(await fs.readdir(dir)).to.deep.equal([])
  })

  it('puts the cache root of a new config in the home, and writes it into the file', async () => {
    expect(defaultCacheRoot({})).to.equal(path.join(os.homedir(), '.cache', 'deskrun'))
    expect(defaultCacheRoot({XDG_CACHE_HOME: '/data/xdg'})).to.equal('/data/xdg/deskrun')
    expect(defaultCacheRoot({XDG_CACHE_HOME: 'relative'})).to.equal(
      path.join(os.homedir(), '.cache', 'deskrun'),
    )
    await updateConfig((config) => config, file)
    expect(JSON.parse(await fs.readFile(file, 'utf8')).cache_root).to.equal(defaultCacheRoot())
    expect((await loadConfig(file)).cacheRoot).to.equal(defaultCacheRoot())
  })

  it('keeps the original’s /tmp cache root for a file without cache_root, also when saving it', async () => {
    await fs.writeFile(file, ORIGINAL_EXAMPLE, {mode: 0o600})
    expect((await loadConfig(file)).cacheRoot).to.equal(ORIGINAL_CACHE_ROOT)
    await updateConfig((config) => ({...config, clusterName: 'saved'}), file)
    const written = JSON.parse(await fs.readFile(file, 'utf8'))
    expect(written.cluster_name).to.equal('saved')
    expect(written).not.to.have.property('cache_root')
    expect((await loadConfig(file)).cacheRoot).to.equal(ORIGINAL_CACHE_ROOT)
  })

  it('reads tools_base_url as a setting of its own, keeps it when saving, and refuses one that is no URL', async () => {
    const mirror = 'https://mirror.example.com/deskrun'
    await fs.writeFile(file, JSON.stringify({version: 1, cluster_name: 'deskrun', tools_base_url: mirror}))
    const config = await loadConfig(file)
    expect(config.toolsBaseUrl).to.equal(mirror)
    expect(config.extra).to.deep.equal({})
    await updateConfig((current) => current, file)
    expect(JSON.parse(await fs.readFile(file, 'utf8')).tools_base_url).to.equal(mirror)

    await fs.writeFile(file, JSON.stringify({version: 1, cluster_name: 'deskrun', tools_base_url: 'mirror'}))
    expect((await rejection(loadConfig(file))).message).to.include('tools_base_url')
  })

  it('reads the network defaults (proxy, no_proxy, github_ca) as settings of their own and keeps them when saving', async () => {
    const defaults = {
      proxy: 'http://user:secret@proxy.example.com:3128',
      no_proxy: ['.example.com'],
      github_ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
    }
    await fs.writeFile(file, JSON.stringify({version: 1, cluster_name: 'deskrun', ...defaults}))
    const config = await loadConfig(file)
    expect(config.networkDefaults).to.deep.equal({
      proxy: defaults.proxy,
      noProxy: defaults.no_proxy,
      githubCA: defaults.github_ca,
    })
    expect(config.extra).to.deep.equal({})
    await updateConfig((current) => current, file)
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).to.deep.include(defaults)
    await updateConfig((current) => ({...current, networkDefaults: {}}), file)
    const cleared = JSON.parse(await fs.readFile(file, 'utf8'))
    for (const key of Object.keys(defaults)) expect(cleared).not.to.have.property(key)

    await fs.writeFile(file, JSON.stringify({version: 1, cluster_name: 'deskrun', proxy: '', no_proxy: 'x'}))
    expect((await rejection(loadConfig(file))).message.split('\n')).to.include.members([
      '  - proxy must be a proxy URL such as http://proxy.example.com:3128',
      '  - no_proxy must be a list of hosts, domains or addresses',
    ])
  })

  it('finds the file under DESKRUN_HOME', async () => {
    const previous = process.env.DESKRUN_HOME
    process.env.DESKRUN_HOME = dir
    try {
      await fs.writeFile(file, ORIGINAL_EXAMPLE.replace('"deskrun"', '"elsewhere"'))
      expect((await loadConfig()).clusterName).to.equal('elsewhere')
    } finally {
      if (previous === undefined) delete process.env.DESKRUN_HOME
      else process.env.DESKRUN_HOME = previous
    }
  })

  it("loads the original deskrun's README example unchanged on disk", async () => {
    await fs.writeFile(file, ORIGINAL_EXAMPLE, {mode: 0o600})
    const config = await loadConfig(file)
    expect(config.clusterName).to.equal('deskrun')
    expect(config.installations).to.deep.equal({
      'my-runner': {
        name: 'my-runner',
        repository: 'https://github.com/owner/repo',
        mode: 'kubernetes',
        minRunners: 1,
        maxRunners: 5,
        instances: 1,
        caches: [],
        labels: [],
        auth: {type: 'pat', token: 'ghp_xxxxxxxxxxxxx'},
        deployed: false,
      },
    })
    expect(await fs.readFile(file, 'utf8')).to.equal(ORIGINAL_EXAMPLE)
    expect(await fs.readdir(dir)).to.deep.equal(['config.json'])
  })

  it('reads every cache shape the original wrote and its later Mounts, and keeps unknown keys', async () => {
    const notes: string[] = []
    await fs.writeFile(
      file,
      JSON.stringify({
        cluster_name: 'deskrun',
        cluster_hosts: {box: {Name: 'box'}},
        installations: {
          multi: {
            Name: 'multi',
            Repository: 'https://github.com/owner/repo',
            ContainerMode: 'cached-privileged-kubernetes',
            MinRunners: 1,
            MaxRunners: 1,
            Instances: 3,
            CachePaths: [
              '/root/.cache',
              {MountPath: '/nix', HostPath: ''},
              {Target: '/var/lib/docker', Source: ''},
            ],
            Mounts: [
              {Source: '', Target: '/var/lib/docker', Type: 'DirectoryOrCreate'},
              {Source: '/tmp/github-runner-cache/go', Target: '/go', Type: 'Directory'},
              {Source: '/var/run/docker.sock', Target: '/var/run/docker.sock', Type: 'Socket'},
            ],
            AuthType: 'github-app',
            AuthValue: '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----',
            AppID: 12345,
          },
          old: {
            Name: 'old',
            Repository: 'https://github.com/owner/repo',
            ContainerMode: 'kubernetes',
            MinRunners: 1,
            MaxRunners: 5,
            Instances: 0,
            CachePaths: null,
            Mounts: null,
            AuthType: 'pat',
            AuthValue: 'ghp_x',
          },
        },
      }),
      {mode: 0o600},
    )
    const config = await loadConfig(file, {onNote: (note) => notes.push(note)})
    const multi = config.installations.multi
    expect(multi.instances).to.equal(3)
    expect(multi.caches).to.deep.equal([
      {target: '/root/.cache'},
      {target: '/nix'},
      {target: '/var/lib/docker'},
      {target: '/go', source: '/tmp/github-runner-cache/go'},
    ])
    expect(multi.auth).to.deep.equal({
      type: 'github-app',
      appId: '12345',
      installationId: '',
      privateKey: '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----',
    })
    // The original's socket mount is a --mount now; its directory mounts were caches.
    expect(multi.mounts).to.deep.equal([
      {source: '/var/run/docker.sock', target: '/var/run/docker.sock', type: 'Socket', readOnly: false},
    ])
    expect(notes).to.deep.equal([])
    expect(config.installations.old.instances).to.equal(1)
    expect(config.installations.old.caches).to.deep.equal([])
    expect(config.extra).to.deep.equal({cluster_hosts: {box: {Name: 'box'}}})
  })

  it('reports a syntax error with line and column, without quoting the file, and never overwrites it', async () => {
    const broken =
      '{\n  "cluster_name": "deskrun",\n  "installations": {\n    "a": {"AuthValue": "ghp_secret" "x": 1}\n  }\n}\n'
    await fs.writeFile(file, broken)
    const error = await rejection(loadConfig(file))
    expect(error.message).to.equal(
      `The config file ${file} is not valid JSON: line 4, column 37: expected ',' or '}' after the property value.`,
    )
    expect(error.code).to.equal('CONFIG_SYNTAX')
    expect(error.hint).to.include('did not change')
    expect(`${error.message}${error.hint}`).not.to.include('ghp_secret')

    const again = await rejection(updateConfig((config) => config, file))
    expect(again.code).to.equal('CONFIG_SYNTAX')
    expect(await fs.readFile(file, 'utf8')).to.equal(broken)
  })

  it('reports an empty file', async () => {
    await fs.writeFile(file, '')
    expect((await rejection(loadConfig(file))).message).to.include('line 1, column 1: the file is empty')
  })

  it('lists every field the schema rejects, in words, without values', async () => {
    const data = {
      version: 1,
      cluster_name: 'Deskrun!',
      installations: {
        'my-runner': {
          Name: 'my-runner',
          Repository: 'https://github.com/owner/repo',
          ContainerMode: 'kubernetes',
          MinRunners: 1,
          MaxRunners: -2,
          Instances: 0,
          CachePaths: [{Source: '/x'}],
          AuthType: 'token',
          AuthValue: 'ghp_do_not_show',
          Deployed: 'yes',
        },
        other: {
          Name: 'not-other',
          Repository: 'x',
          ContainerMode: 'k',
          MinRunners: 0,
          MaxRunners: 0,
          AuthType: 'pat',
        },
      },
    }
    await fs.writeFile(file, JSON.stringify(data, null, 2))
    const error = await rejection(loadConfig(file))
    expect(error.code).to.equal('CONFIG_INVALID')
    expect(error.message.split('\n')).to.deep.equal([
      `The config file ${file} has settings deskrun cannot use:`,
      "  - cluster_name must be a kind cluster name: lower-case letters, digits, '.' and '-'",
      '  - installations.my-runner.MaxRunners must be an integer ≥ 0',
      '  - installations.my-runner.Instances must be an integer ≥ 1',
      '  - installations.my-runner.CachePaths[0].Target is required',
      '  - installations.my-runner.AuthType must be pat or github-app',
      '  - installations.my-runner.Deployed must be true or false',
      '  - installations.other.AuthValue is required',
    ])
    expect(error.message).not.to.include('ghp_do_not_show')
  })

  it('requires the Name of an installation to match its key', async () => {
    const data = JSON.parse(ORIGINAL_EXAMPLE)
    data.installations['my-runner'].Name = 'someone-else'
    await fs.writeFile(file, JSON.stringify(data))
    expect((await rejection(loadConfig(file))).message).to.include(
      'installations.my-runner.Name must be the same as its key',
    )
  })

  it('refuses a file from a newer deskrun', async () => {
    await fs.writeFile(file, JSON.stringify({version: 7, cluster_name: 'deskrun', installations: {}}))
    const error = await rejection(loadConfig(file))
    expect(error.code).to.equal('CONFIG_TOO_NEW')
    expect(error.message).to.include('version 7')
  })

  it('refuses a file that is not an object', async () => {
    await fs.writeFile(file, '[]')
    expect((await rejection(loadConfig(file))).message).to.include('The file must be a JSON object')
  })
})
