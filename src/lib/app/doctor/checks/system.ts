/** The host itself: where caches live, and the kernel limits kind documents. */
import os from 'node:os'
import path from 'node:path'

import {normalisePath} from '../../../domain/installation/caches.js'
import {sharedFolderProblems} from '../../../domain/installation/sharing.js'
import {defaultCacheRoot} from '../../../domain/settings.js'
import {macosCleanup, tmpfilesCleanup} from '../../../domain/tmpfiles.js'
import type {CheckState, DoctorContext} from '../context.js'
import {fail, ok, warn, type Check} from '../types.js'

/** Below this the caches cannot do their job; below WARN_FREE_BYTES they soon will not. */
export const MIN_FREE_BYTES = 500_000_000
export const WARN_FREE_BYTES = 5_000_000_000

/** The values kind's "Known Issues" page recommends against "too many open files" in pods. */
export const INOTIFY_RECOMMENDED = {max_user_watches: 524288, max_user_instances: 512}

const gb = (bytes: number) => `${(bytes / 1_000_000_000).toFixed(1)} GB`

export async function checkCacheRoot(ctx: DoctorContext): Promise<Check> {
  const base = {id: 'cache-root', title: 'Cache root'} as const
  const disk = await ctx.facts.disk(ctx.cacheRoot)
  if (!disk)
    return warn({
      ...base,
      found: `cannot measure ${ctx.cacheRoot}`,
      fix: 'Check that the folder or its parent exists.',
    })
  const measured = disk.path === ctx.cacheRoot ? '' : ` (measured at ${disk.path}, it does not exist yet)`
  const found = `${ctx.cacheRoot}${measured}: ${gb(disk.freeBytes)} free`
  if (disk.freeBytes < MIN_FREE_BYTES)
    return fail({...base, found, fix: `Free some space there, or move the cache root: ${moveCacheRoot(ctx)}`})
  if (disk.freeBytes < WARN_FREE_BYTES)
    return warn({
      ...base,
      found,
      fix: `Caches grow with use. Free some space, or move the cache root: ${moveCacheRoot(ctx)}`,
    })
  return ok({...base, found})
}

/**
 * Whether caches stay where they are put: not in RAM (tmpfs), and not under a cleaner that deletes
 * old files (systemd-tmpfiles, macOS). Run by `add` and `up` only for a config with caches.
 */
export async function checkCacheLifetime(ctx: DoctorContext): Promise<Check> {
  const base = {id: 'cache-lifetime', title: 'Cache lifetime'} as const
  const root = normalisePath(ctx.cacheRoot)
  const disk = await ctx.facts.disk(root)
  const hazards = [
    ...(disk && IN_MEMORY.has(disk.type)
      ? [`it is on ${disk.type}, so caches fill RAM and vanish at every reboot`]
      : []),
    ...(ctx.facts.platform === 'darwin'
      ? macosCleanup(root)
      : tmpfilesCleanup(root, (await ctx.facts.tmpfiles()) ?? [])),
  ]
  if (hazards.length === 0) return ok({...base, found: `${root}: kept (no cleaner deletes files there)`})
  return warn({
    ...base,
    found:
      `${root}: ${hazards.join('; ')}. A Docker data root that loses files under a running daemon is corrupt. ` +
      'The fix moves the cache root into your home (its caches start empty there).',
    // Only the command, so that the line can be pasted as it is.
    fix: moveCacheRoot(ctx),
  })
}

const IN_MEMORY = new Set(['tmpfs', 'ramfs'])

/**
 * One line to paste that moves the cache root: it sets cache_root in the config (there is no
 * `deskrun config` command; node is there, since deskrun runs on it) and recreates the cluster,
 * whose mount of the cache root is fixed at creation.
 */
export function moveCacheRoot(ctx: Pick<DoctorContext, 'cacheRoot' | 'configFile' | 'env'>): string {
  const preferred = defaultCacheRoot(ctx.env)
  const target =
    normalisePath(ctx.cacheRoot) === preferred ? path.join(os.homedir(), 'deskrun-cache') : preferred
  const edit =
    'f=process.argv[1];c=JSON.parse(fs.readFileSync(f));c.cache_root=process.argv[2];' +
    'fs.writeFileSync(f,JSON.stringify(c,null,2))'
  return `node -e '${edit}' ${shellPath(ctx.configFile)} ${shellPath(target)} && deskrun cluster delete && deskrun up`
}

/** A path as a shell word: `~/...` for the home folder (the shell expands it), quoted when needed. */
export function shellPath(file: string): string {
  const quote = (text: string) =>
    /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`
  const home = os.homedir()
  return home && file.startsWith(`${home}/`) ? `~/${quote(file.slice(home.length + 1))}` : quote(file)
}

/**
 * Where Docker runs in a VM (macOS; Docker Desktop anywhere), the cache root reaches it through file
 * sharing, and a cache holding a container engine's data root cannot work. `add` refuses such a cache
 * on macOS before anything changes; this check reports the ones already in the config.
 */
export async function checkSharedDataRoots(
  ctx: DoctorContext,
  state: CheckState,
): Promise<Check | undefined> {
  const host = ctx.facts.platform === 'darwin' ? 'macOS' : state.dockerDesktop ? 'Docker Desktop' : undefined
  if (!host) return undefined
  const base = {id: 'shared-data-root', title: 'Data root caches'} as const
  const broken = Object.entries(ctx.caches).flatMap(([name, caches]) =>
    sharedFolderProblems(caches, host).map((problem) => ({name, problem})),
  )
  if (broken.length === 0)
    return ok({...base, found: `no cache holds a container engine's data root (${host} cannot keep one)`})
  const names = [...new Set(broken.map(({name}) => name))]
  return warn({
    ...base,
    found: broken.map(({name, problem}) => `${name}: ${problem}`).join(' '),
    fix: `Remove ${names.join(', ')} (deskrun remove NAME) and add ${names.length === 1 ? 'it' : 'them'} again without that --cache; the other caches work.`,
  })
}

/** Only Linux hosts run kind's nodes on their own kernel; elsewhere the limits live in Docker's VM. */
export async function checkInotify(ctx: DoctorContext): Promise<Check | undefined> {
  if (ctx.facts.platform !== 'linux') return undefined
  const base = {id: 'inotify', title: 'inotify limits'} as const
  const watches = await ctx.facts.sysctl('fs.inotify.max_user_watches')
  const instances = await ctx.facts.sysctl('fs.inotify.max_user_instances')
  if (watches === undefined || instances === undefined) {
    return warn({
      ...base,
      found: 'cannot read /proc/sys/fs/inotify',
      fix: 'Check them with: sysctl fs.inotify',
      summary: 'cannot read the inotify limits',
    })
  }
  const found = `max_user_watches ${watches}, max_user_instances ${instances}`
  const {max_user_watches: wantWatches, max_user_instances: wantInstances} = INOTIFY_RECOMMENDED
  if (watches >= wantWatches && instances >= wantInstances) return ok({...base, found})
  return warn({
    ...base,
    found: `${found} (kind recommends ${wantWatches} and ${wantInstances}; pods may fail with "too many open files")`,
    // The command alone on its line, to paste; how to keep the settings on the next.
    fix:
      `sudo sysctl fs.inotify.max_user_watches=${Math.max(watches, wantWatches)} fs.inotify.max_user_instances=${Math.max(instances, wantInstances)}\n` +
      'To keep them after a reboot, put both settings in /etc/sysctl.d/99-kind.conf.',
    summary: "inotify limits below kind's recommendation",
  })
}

export async function checkCgroup(ctx: DoctorContext): Promise<Check | undefined> {
  if (ctx.facts.platform !== 'linux') return undefined
  const base = {id: 'cgroup', title: 'cgroup version'} as const
  const version = await ctx.facts.cgroupVersion()
  if (version === 2) return ok({...base, found: 'v2 (unified hierarchy)'})
  return warn({
    ...base,
    found:
      version === 1
        ? 'v1, which Kubernetes has deprecated: newer kind node images may not start'
        : 'unknown: cannot tell which cgroup version this host runs',
    fix: 'Boot the host with cgroup v2 (systemd.unified_cgroup_hierarchy=1 on the kernel command line; the default on current distributions).',
    summary:
      version === 1
        ? 'cgroup v1, which newer kind node images may not run on'
        : 'cannot tell the cgroup version',
  })
}
