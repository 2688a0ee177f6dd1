import {mkdir, mkdtemp, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {expect} from 'chai'

import {readTmpfiles, realFacts} from '../../../src/lib/doctor/facts.js'

describe('doctor: facts of this machine', () => {
  it('measures the nearest existing folder of a cache root that does not exist yet', async () => {
    const disk = await realFacts().disk(path.join(os.tmpdir(), 'deskrun-no-such', 'cache'))
    expect(disk?.path).to.equal(os.tmpdir())
    expect(disk?.freeBytes).to.be.a('number').greaterThan(0)
  })

  it('tells tmpfs from a disk as /proc/self/mountinfo does, for a folder that does not exist yet', async function () {
    if (process.platform !== 'linux') this.skip()
    // mountinfo: "... mount-point options ... - fstype source ..."; the last mount on a point wins.
    const types = new Map(
      (await readFile('/proc/self/mountinfo', 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.split(' ')[4], line.split(' - ')[1].split(' ')[0]] as const),
    )
    const checked = ['/dev/shm', '/'].filter((point) => types.has(point))
    expect(checked).not.to.deep.equal([])
    for (const point of checked) {
      const disk = await realFacts().disk(path.join(point, 'deskrun-no-such', 'cache'))
      expect(disk?.path).to.equal(point)
      expect(disk?.type === 'tmpfs', `${point} is ${types.get(point)}`).to.equal(types.get(point) === 'tmpfs')
    }
  })

  it('reads kernel settings on Linux and nothing elsewhere', async function () {
    const watches = await realFacts().sysctl('fs.inotify.max_user_watches')
    if (process.platform === 'linux') expect(watches).to.be.a('number')
    else expect(watches).to.equal(undefined)
    expect(await realFacts().sysctl('no.such.setting')).to.equal(undefined)
  })

  it('finds tools in deskrun’s folder before PATH', async function () {
    if (process.platform === 'win32') this.skip()
    const home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-facts-'))
    try {
      const other = path.join(home, 'other')
      await mkdir(path.join(home, 'bin'))
      await mkdir(other)
      for (const dir of [path.join(home, 'bin'), other])
        await writeFile(path.join(dir, 'kind'), '#!/bin/sh\n', {mode: 0o755})
      await writeFile(path.join(other, 'helm'), '#!/bin/sh\n', {mode: 0o755})
      const facts = realFacts({DESKRUN_HOME: home, PATH: other})
      expect(await facts.locate('kind')).to.deep.equal({
        path: path.join(home, 'bin', 'kind'),
        source: 'deskrun',
      })
      expect(await facts.locate('helm')).to.deep.equal({path: path.join(other, 'helm'), source: 'path'})
      expect(await facts.locate('kubectl')).to.equal(undefined)
    } finally {
      await rm(home, {recursive: true, force: true})
    }
  })

  it('reads the tmpfiles.d folders of a systemd host, where an /etc link to /dev/null masks a file', async function () {
    if (process.platform === 'win32') this.skip()
    const root = await mkdtemp(path.join(os.tmpdir(), 'deskrun-tmpfiles-'))
    try {
      await mkdir(path.join(root, 'usr/lib/tmpfiles.d'), {recursive: true})
      await mkdir(path.join(root, 'etc/tmpfiles.d'), {recursive: true})
      await writeFile(path.join(root, 'usr/lib/tmpfiles.d/tmp.conf'), 'q /tmp 1777 root root 10d\n')
      await writeFile(path.join(root, 'usr/lib/tmpfiles.d/var.conf'), 'q /var/tmp 1777 root root 30d\n')
      await writeFile(path.join(root, 'usr/lib/tmpfiles.d/README'), 'not a config')
      expect(await readTmpfiles(root), 'no systemd running').to.equal(undefined)

      await mkdir(path.join(root, 'run/systemd/system'), {recursive: true})
      expect(await readTmpfiles(root)).to.deep.equal([
        {path: '/usr/lib/tmpfiles.d/tmp.conf', text: 'q /tmp 1777 root root 10d\n'},
        {path: '/usr/lib/tmpfiles.d/var.conf', text: 'q /var/tmp 1777 root root 30d\n'},
      ])

      await symlink('/dev/null', path.join(root, 'etc/tmpfiles.d/tmp.conf'))
      expect(await readTmpfiles(root)).to.deep.equal([
        {path: '/etc/tmpfiles.d/tmp.conf', text: ''},
        {path: '/usr/lib/tmpfiles.d/var.conf', text: 'q /var/tmp 1777 root root 30d\n'},
      ])
    } finally {
      await rm(root, {recursive: true, force: true})
    }
  })
})
