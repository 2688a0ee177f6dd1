import {expect} from 'chai'

import {execFile} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'

import {
  checkCacheLifetime,
  checkCacheRoot,
  checkCgroup,
  checkInotify,
  checkSharedDataRoots,
  moveCacheRoot,
} from '../../../src/lib/app/doctor/checks/system.js'
import type {DoctorContext} from '../../../src/lib/app/doctor/context.js'
import {loadConfig} from '../../../src/lib/adapters/config-store.js'
import {FakeTools, context, healthyMachine, healthyWorld, type Machine} from './fakes.js'

const on = (machine: Machine, overrides: Partial<DoctorContext> = {}) =>
  context(new FakeTools(healthyWorld()), machine, overrides)

/** systemd's own /usr/lib/tmpfiles.d/tmp.conf, as Debian 13 ships it. */
const UPSTREAM_TMP_CONF = {
  path: '/usr/lib/tmpfiles.d/tmp.conf',
  text: '# Clear tmp directories separately, to make them easier to override\nq /tmp 1777 root root 10d\nq /var/tmp 1777 root root 30d\n',
}

describe('doctor: host checks', () => {
  describe('cache root', () => {
    it('reports the free space on a real disk', async () => {
      const check = await checkCacheRoot(on(healthyMachine()))
      expect(check).to.include({status: 'ok', found: '/srv/cache: 80.0 GB free'})
    })

    it('warns when space runs low and fails when there is almost none', async () => {
      const low = await checkCacheRoot(
        on({...healthyMachine(), disk: {path: '/srv/cache', type: '0xef53', freeBytes: 3e9}}),
      )
      expect(low.status).to.equal('warn')
      const none = await checkCacheRoot(
        on({...healthyMachine(), disk: {path: '/srv/cache', type: '0xef53', freeBytes: 1e8}}),
      )
      expect(none.status).to.equal('fail')
      expect(none.found).to.contain('0.1 GB free')
    })

    it('warns when the folder cannot be measured', async () => {
      expect((await checkCacheRoot(on({...healthyMachine(), disk: undefined}))).status).to.equal('warn')
    })
  })

  describe('cache lifetime', () => {
    const tmpRoot = {cacheRoot: '/tmp/github-runner-cache'}

    it('passes a cache root on a disk that nothing cleans', async () => {
      const check = await checkCacheLifetime(on({...healthyMachine(), tmpfiles: [UPSTREAM_TMP_CONF]}))
      expect(check).to.include({status: 'ok', found: '/srv/cache: kept (no cleaner deletes files there)'})
    })

    it('warns when the cache root is on tmpfs, with one line that moves it', async () => {
      const machine = {...healthyMachine(), disk: {path: '/tmp', type: 'tmpfs', freeBytes: 16e9}}
      const check = await checkCacheLifetime(on(machine, tmpRoot))
      expect(check.status).to.equal('warn')
      expect(check.found)
        .to.contain('/tmp/github-runner-cache: it is on tmpfs')
        .and.contain('vanish at every reboot')
      expect(check.fix).to.contain("node -e '").and.contain(' && deskrun cluster delete && deskrun up')
      expect(check.fix).not.to.contain('\n')
    })

    it('warns when systemd-tmpfiles deletes old files there, naming the rule', async () => {
      const machine = {...healthyMachine(), tmpfiles: [UPSTREAM_TMP_CONF]}
      const check = await checkCacheLifetime(on(machine, tmpRoot))
      expect(check.status).to.equal('warn')
      expect(check.found)
        .to.contain('systemd-tmpfiles deletes files there unused for 10d')
        .and.contain('`q /tmp 1777 root root 10d` in /usr/lib/tmpfiles.d/tmp.conf')
    })

    it('says nothing of tmpfiles.d on a host that systemd does not run', async () => {
      const check = await checkCacheLifetime(on({...healthyMachine(), tmpfiles: undefined}, tmpRoot))
      expect(check.status).to.equal('ok')
    })

    it('warns about macOS’s /tmp, and not about a folder in the home', async () => {
      const mac = {...healthyMachine(), platform: 'darwin' as const, tmpfiles: [UPSTREAM_TMP_CONF]}
      const check = await checkCacheLifetime(on(mac, tmpRoot))
      expect(check.status).to.equal('warn')
      expect(check.found).to.contain('macOS empties /tmp at restart')
      const home = await checkCacheLifetime(on(mac, {cacheRoot: '/Users/me/.cache/deskrun'}))
      expect(home.status).to.equal('ok')
    })

    it('gives a fix that really moves cache_root in the config', async function () {
      if (process.platform === 'win32') this.skip()
      const dir = await mkdtemp(path.join(os.tmpdir(), 'deskrun-move-'))
      try {
        const configFile = path.join(dir, 'my config.json')
        const original = {version: 1, cluster_name: 'deskrun', installations: {}, cluster_hosts: ['kept']}
        await writeFile(configFile, JSON.stringify(original), {mode: 0o600})
        const env = {XDG_CACHE_HOME: path.join(dir, 'cache')}
        const fix = moveCacheRoot({cacheRoot: '/tmp/github-runner-cache', configFile, env})
        const [edit, rest] = fix.split(' && deskrun ')
        expect(rest).to.equal('cluster delete')
        await promisify(execFile)('sh', ['-c', edit])
        const config = await loadConfig(configFile)
        expect(config.cacheRoot).to.equal(path.join(dir, 'cache', 'deskrun'))
        expect(config.extra).to.deep.equal({cluster_hosts: ['kept']})
      } finally {
        await rm(dir, {recursive: true, force: true})
      }
    })
  })

  describe('caches of a container engine’s data root', () => {
    const caches = {'docker-runner': [{target: '/var/lib/docker'}, {target: '/root/.cache'}]}

    it('warns on macOS, naming the installation and the cache', async () => {
      const check = await checkSharedDataRoots(on({...healthyMachine(), platform: 'darwin'}, {caches}), {
        results: new Map(),
      })
      expect(check?.status).to.equal('warn')
      expect(check?.found)
        .to.contain('docker-runner: --cache /var/lib/docker: on macOS')
        .and.contain('overlay2')
      expect(check?.found).not.to.contain('/root/.cache')
      expect(check?.fix).to.contain('Remove docker-runner')
    })

    it('warns with Docker Desktop on Linux too, and is no check with a native Docker Engine', async () => {
      const linux = on(healthyMachine(), {caches})
      const desktop = await checkSharedDataRoots(linux, {results: new Map(), dockerDesktop: true})
      expect(desktop?.found).to.contain('on Docker Desktop Docker runs in a VM')
      expect(await checkSharedDataRoots(linux, {results: new Map(), dockerDesktop: false})).to.equal(
        undefined,
      )
    })

    it('passes on macOS when no cache holds a data root', async () => {
      const check = await checkSharedDataRoots(
        on({...healthyMachine(), platform: 'darwin'}, {caches: {go: [{target: '/root/go'}]}}),
        {results: new Map()},
      )
      expect(check?.status).to.equal('ok')
    })
  })

  describe('inotify limits (Linux)', () => {
    it('passes kind’s recommended limits', async () => {
      expect((await checkInotify(on(healthyMachine())))?.status).to.equal('ok')
    })

    it('warns below them with the sysctl command on a line of its own', async () => {
      const machine = {
        ...healthyMachine(),
        sysctl: {'fs.inotify.max_user_watches': 8192, 'fs.inotify.max_user_instances': 128},
      }
      const check = await checkInotify(on(machine))
      expect(check?.status).to.equal('warn')
      expect(check?.found).to.contain('max_user_watches 8192, max_user_instances 128')
      expect(check?.fix?.split('\n')[0]).to.equal(
        'sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512',
      )
    })

    it('never lowers a limit that is already higher', async () => {
      const machine = {
        ...healthyMachine(),
        sysctl: {'fs.inotify.max_user_watches': 1048576, 'fs.inotify.max_user_instances': 128},
      }
      expect((await checkInotify(on(machine)))?.fix).to.contain('max_user_watches=1048576 ')
    })

    it('is not a check on macOS, where the limits live in Docker’s VM', async () => {
      expect(await checkInotify(on({...healthyMachine(), platform: 'darwin'}))).to.equal(undefined)
    })
  })

  describe('cgroup v2 (Linux)', () => {
    it('passes v2 and warns about v1 or an unknown hierarchy', async () => {
      expect((await checkCgroup(on(healthyMachine())))?.status).to.equal('ok')
      const v1 = await checkCgroup(on({...healthyMachine(), cgroup: 1}))
      // Its title says what is checked; what was found does not repeat it ("cgroup v2: cgroup v1").
      expect(`${v1?.title}: ${v1?.found}`).to.equal(
        'cgroup version: v1, which Kubernetes has deprecated: newer kind node images may not start',
      )
      expect((await checkCgroup(on({...healthyMachine(), cgroup: undefined})))?.status).to.equal('warn')
      expect(await checkCgroup(on({...healthyMachine(), platform: 'darwin'}))).to.equal(undefined)
    })
  })
})
