/**
 * Facts about this machine that the checks judge. The checks never read /proc or call statfs
 * themselves: they get a SystemFacts, so tests can describe any machine without having one.
 */
import {access, readFile, readdir, statfs} from 'node:fs/promises'
import path from 'node:path'

import {reach, type Reach} from './reach.js'
import {locateTool, type ToolLocation} from './tools/prerequisites.js'
import {TMPFILES_DIRS, effectiveTmpfiles, type ConfigFile} from '../domain/tmpfiles.js'

export interface DiskFacts {
  /** The folder measured: the one asked about, or its nearest existing parent. */
  path: string
  /** `tmpfs`, `ramfs`, or the filesystem's magic number in hex for anything else. */
  type: string
  /** Bytes an unprivileged user may still write. */
  freeBytes: number
}

export interface SystemFacts {
  platform: NodeJS.Platform
  arch: string
  /** A kernel setting such as `fs.inotify.max_user_watches`; undefined when it cannot be read. */
  sysctl(name: string): Promise<number | undefined>
  /** Which cgroup hierarchy the host runs; undefined when there is none to see (not Linux). */
  cgroupVersion(): Promise<1 | 2 | undefined>
  disk(folder: string): Promise<DiskFacts | undefined>
  /**
   * The tmpfiles.d files systemd applies here (effectiveTmpfiles); undefined when systemd does not
   * run the host (not Linux, or a container or WSL without it), so nothing applies them.
   */
  tmpfiles(): Promise<ConfigFile[] | undefined>
  /** The executable a child process would run for `program` (deskrun's folder first, then PATH). */
  locate(program: string): Promise<ToolLocation | undefined>
  /** Whether `host` resolves and accepts a TCP connection on `port` within `timeoutMs` (nothing is sent). */
  reach(host: string, port: number, timeoutMs: number): Promise<Reach>
  /** The clock, for what expires (certificates). */
  now(): Date
}

/** statfs f_type values for filesystems that live in memory (linux/magic.h). */
const MEMORY_FILESYSTEMS: Record<number, string> = {0x01021994: 'tmpfs', 0x858458f6: 'ramfs'}

export function realFacts(env: NodeJS.ProcessEnv = process.env): SystemFacts {
  return {
    platform: process.platform,
    arch: process.arch,
    async sysctl(name) {
      try {
        const value = Number.parseInt(await readFile(`/proc/sys/${name.replaceAll('.', '/')}`, 'utf8'), 10)
        return Number.isNaN(value) ? undefined : value
      } catch {
        return undefined
      }
    },
    async cgroupVersion() {
      if (process.platform !== 'linux') return undefined
      // cgroup v2 mounts one unified hierarchy whose root lists its controllers in this file.
      if (await exists('/sys/fs/cgroup/cgroup.controllers')) return 2
      return (await exists('/sys/fs/cgroup')) ? 1 : undefined
    },
    async disk(folder) {
      // The cache root is created on first use, so measure the nearest folder that exists now.
      for (let current = path.resolve(folder); ; current = path.dirname(current)) {
        try {
          const stats = await statfs(current)
          const type = MEMORY_FILESYSTEMS[stats.type] ?? `0x${stats.type.toString(16)}`
          return {path: current, type, freeBytes: stats.bavail * stats.bsize}
        } catch {
          if (path.dirname(current) === current) return undefined
        }
      }
    },
    tmpfiles: async () => (process.platform === 'linux' ? readTmpfiles() : undefined),
    locate: (program) => locateTool(program, env),
    reach,
    now: () => new Date(),
  }
}

/**
 * Reads the tmpfiles.d folders of the system under `root` (tests pass a fixture tree); the paths
 * returned are the system's. A file linked to /dev/null reads as empty, which is how it disables one.
 */
export async function readTmpfiles(root = '/'): Promise<ConfigFile[] | undefined> {
  // sd_booted(): systemd creates this folder when it runs as the init system.
  if (!(await exists(path.join(root, 'run/systemd/system')))) return undefined
  const files: ConfigFile[] = []
  for (const dir of TMPFILES_DIRS) {
    let names: string[]
    try {
      names = await readdir(path.join(root, dir))
    } catch {
      continue
    }
    for (const name of names.filter((entry) => entry.endsWith('.conf'))) {
      // An unreadable file (e.g. a dangling link) reads as empty, like a link to /dev/null.
      const text = await readFile(path.join(root, dir, name), 'utf8').catch(() => '')
      files.push({path: `${dir}/${name}`, text})
    }
  }
  return effectiveTmpfiles(files)
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}
