import {expect} from 'chai'

import {checkCacheRoot, checkCgroup, checkInotify} from '../../../src/lib/doctor/checks/system.js'
import {FakeRunner, context, healthyMachine, type Machine} from './fakes.js'

const on = (machine: Machine) => context(new FakeRunner({}), machine)

describe('doctor: host checks', () => {
  describe('cache root', () => {
    it('reports the free space on a real disk', async () => {
      const check = await checkCacheRoot(on(healthyMachine()))
      expect(check).to.include({status: 'ok', found: '/srv/cache: 80.0 GB free'})
    })

    it('warns when the cache root is on tmpfs, and says where to move it', async () => {
      const machine = {...healthyMachine(), disk: {path: '/tmp', type: 'tmpfs', freeBytes: 16e9}}
      const check = await checkCacheRoot(on(machine))
      expect(check.status).to.equal('warn')
      expect(check.found)
        .to.contain('measured at /tmp')
        .and.contain('on tmpfs')
        .and.contain('vanish at reboot')
      expect(check.fix).to.contain('"cache_root"').and.contain('deskrun cluster delete && deskrun up')
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

  describe('inotify limits (Linux)', () => {
    it('passes kind’s recommended limits', async () => {
      expect((await checkInotify(on(healthyMachine())))?.status).to.equal('ok')
    })

    it('warns below them with the sysctl command', async () => {
      const machine = {
        ...healthyMachine(),
        sysctl: {'fs.inotify.max_user_watches': 8192, 'fs.inotify.max_user_instances': 128},
      }
      const check = await checkInotify(on(machine))
      expect(check?.status).to.equal('warn')
      expect(check?.found).to.contain('max_user_watches 8192, max_user_instances 128')
      expect(check?.fix).to.contain(
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
      expect((await checkCgroup(on({...healthyMachine(), cgroup: 1})))?.found).to.contain('cgroup v1')
      expect((await checkCgroup(on({...healthyMachine(), cgroup: undefined})))?.status).to.equal('warn')
      expect(await checkCgroup(on({...healthyMachine(), platform: 'darwin'}))).to.equal(undefined)
    })
  })
})
