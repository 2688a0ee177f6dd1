import {expect} from 'chai'

import {
  effectiveTmpfiles,
  macosCleanup,
  tmpfilesCleanup,
  type ConfigFile,
} from '../../../src/lib/doctor/cleanup.js'

const conf = (file: string, ...lines: string[]): ConfigFile => ({path: file, text: `${lines.join('\n')}\n`})

/** What systemd ships (Debian 13, Fedora, Arch...) and what Debian 12 patched it to. */
const UPSTREAM = conf('/usr/lib/tmpfiles.d/tmp.conf', '# Clear tmp directories', 'q /tmp 1777 root root 10d')
const DEBIAN_12 = conf(
  '/usr/lib/tmpfiles.d/tmp.conf',
  'D /tmp 1777 root root -',
  '#q /var/tmp 1777 root root 30d',
)
const ROOT = '/tmp/github-runner-cache'

const cleanup = (...files: ConfigFile[]) => tmpfilesCleanup(ROOT, effectiveTmpfiles(files))

describe('doctor: who cleans the cache root', () => {
  describe('effectiveTmpfiles', () => {
    it('lets /etc, then /run, override /usr/lib by file name, and sorts by name', () => {
      const files = effectiveTmpfiles([
        conf('/usr/lib/tmpfiles.d/tmp.conf', 'vendor'),
        conf('/usr/lib/tmpfiles.d/a.conf', 'a'),
        conf('/run/tmpfiles.d/tmp.conf', 'runtime'),
        conf('/etc/tmpfiles.d/tmp.conf', 'admin'),
        conf('/usr/local/lib/tmpfiles.d/b.conf', 'b'),
        conf('/run/tmpfiles.d/b.conf', 'runtime b'),
        conf('/etc/tmpfiles.d/notes.txt', 'not a config'),
      ])
      expect(files.map((file) => `${file.path}: ${file.text.trim()}`)).to.deep.equal([
        '/usr/lib/tmpfiles.d/a.conf: a',
        '/run/tmpfiles.d/b.conf: runtime b',
        '/etc/tmpfiles.d/tmp.conf: admin',
      ])
    })
  })

  describe('tmpfilesCleanup', () => {
    it('finds the age rule of systemd’s tmp.conf over a folder under /tmp', () => {
      expect(cleanup(UPSTREAM)).to.deep.equal([
        'systemd-tmpfiles deletes files there unused for 10d (`q /tmp 1777 root root 10d` in /usr/lib/tmpfiles.d/tmp.conf)',
      ])
    })

    it('finds a purge at boot (Debian 12’s D /tmp)', () => {
      expect(cleanup(DEBIAN_12)).to.deep.equal([
        'systemd-tmpfiles empties it at every boot (`D /tmp 1777 root root -` in /usr/lib/tmpfiles.d/tmp.conf)',
      ])
    })

    it('is quiet for folders no rule covers', () => {
      expect(
        tmpfilesCleanup('/home/me/.cache/deskrun', effectiveTmpfiles([UPSTREAM, DEBIAN_12])),
      ).to.deep.equal([])
      expect(tmpfilesCleanup('/tmpfoo/cache', effectiveTmpfiles([UPSTREAM]))).to.deep.equal([])
      expect(
        cleanup(conf('/usr/lib/tmpfiles.d/x11.conf', 'D! /tmp/.X11-unix 1777 root root 10d')),
      ).to.deep.equal([])
    })

    it('follows an /etc file that overrides tmp.conf without an age, or masks it with /dev/null', () => {
      expect(cleanup(UPSTREAM, conf('/etc/tmpfiles.d/tmp.conf', 'd /tmp 1777 root root -'))).to.deep.equal([])
      expect(cleanup(UPSTREAM, {path: '/etc/tmpfiles.d/tmp.conf', text: ''})).to.deep.equal([])
    })

    it('applies the earliest file’s line for a path, as systemd-tmpfiles does', () => {
      expect(
        cleanup(UPSTREAM, conf('/etc/tmpfiles.d/00-keep-tmp.conf', 'd /tmp 1777 root root -')),
      ).to.deep.equal([])
      expect(cleanup(conf('/etc/tmpfiles.d/zz.conf', 'd /tmp 1777 root root -'), UPSTREAM)).to.have.length(1)
    })

    it('honours an x line that excludes the cache root from cleaning', () => {
      expect(cleanup(UPSTREAM, conf('/etc/tmpfiles.d/deskrun.conf', `x ${ROOT}`))).to.deep.equal([])
      expect(cleanup(UPSTREAM, conf('/etc/tmpfiles.d/deskrun.conf', 'x /tmp/github-runner-*'))).to.deep.equal(
        [],
      )
      expect(cleanup(UPSTREAM, conf('/etc/tmpfiles.d/deskrun.conf', 'x /tmp/other'))).to.have.length(1)
    })

    it('reads ages with a ~ or an age-by prefix, globs, and rules on the cache root itself', () => {
      expect(cleanup(conf('/etc/tmpfiles.d/t.conf', 'd /tmp 1777 root root ~cmA:2w'))[0]).to.contain(
        'unused for 2w',
      )
      expect(cleanup(conf('/etc/tmpfiles.d/t.conf', 'e /tmp/github-* - - - 1d'))[0]).to.contain(
        'unused for 1d',
      )
      expect(cleanup(conf('/etc/tmpfiles.d/t.conf', `d ${ROOT}/ 0755 root root 0`))[0]).to.contain(
        'unused for 0',
      )
    })

    it('ignores boot-only lines for the daily clean', () => {
      expect(cleanup(conf('/etc/tmpfiles.d/t.conf', 'q! /tmp 1777 root root 10d'))).to.deep.equal([])
    })
  })

  describe('macosCleanup', () => {
    it('covers /tmp (= /private/tmp) and the per-user /var/folders, not the home', () => {
      expect(macosCleanup(ROOT)).to.deep.equal([
        'macOS empties /tmp at restart and deletes files there unused for 3 days',
      ])
      expect(macosCleanup('/private/tmp/cache')[0]).to.contain('/private/tmp')
      expect(macosCleanup('/var/folders/xy/abc/T/deskrun')[0]).to.contain('/var/folders')
      expect(macosCleanup('/Users/me/.cache/deskrun')).to.deep.equal([])
    })
  })
})
