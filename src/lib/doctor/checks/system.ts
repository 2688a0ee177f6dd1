/** The host itself: where caches live, and the kernel limits kind documents. */
import type {DoctorContext} from '../context.js'
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
  const inMemory = disk.type === 'tmpfs' || disk.type === 'ramfs'
  const measured = disk.path === ctx.cacheRoot ? '' : ` (measured at ${disk.path}, it does not exist yet)`
  const found = `${ctx.cacheRoot}${measured}: ${gb(disk.freeBytes)} free${inMemory ? `, on ${disk.type} (in memory)` : ''}`
  const move = `Set "cache_root" in ${ctx.configFile} to a folder on a real disk with room (e.g. ~/.cache/deskrun), then recreate the cluster: deskrun cluster delete && deskrun up`
  if (disk.freeBytes < MIN_FREE_BYTES)
    return fail({...base, found, fix: `Free some space there, or: ${move}`})
  if (inMemory) {
    return warn({...base, found: `${found}: caches use RAM and vanish at reboot`, fix: move})
  }
  if (disk.freeBytes < WARN_FREE_BYTES)
    return warn({...base, found, fix: `Caches grow with use. Free some space, or: ${move}`})
  return ok({...base, found})
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
    })
  }
  const found = `max_user_watches ${watches}, max_user_instances ${instances}`
  const {max_user_watches: wantWatches, max_user_instances: wantInstances} = INOTIFY_RECOMMENDED
  if (watches >= wantWatches && instances >= wantInstances) return ok({...base, found})
  return warn({
    ...base,
    found: `${found} (kind recommends ${wantWatches} and ${wantInstances}; pods may fail with "too many open files")`,
    fix:
      `sudo sysctl fs.inotify.max_user_watches=${Math.max(watches, wantWatches)} fs.inotify.max_user_instances=${Math.max(instances, wantInstances)}` +
      ' (add both to /etc/sysctl.d/99-kind.conf to keep them after a reboot)',
  })
}

export async function checkCgroup(ctx: DoctorContext): Promise<Check | undefined> {
  if (ctx.facts.platform !== 'linux') return undefined
  const base = {id: 'cgroup', title: 'cgroup v2'} as const
  const version = await ctx.facts.cgroupVersion()
  if (version === 2) return ok({...base, found: 'cgroup v2 (unified hierarchy)'})
  return warn({
    ...base,
    found:
      version === 1
        ? 'cgroup v1: Kubernetes has deprecated it, and newer kind node images may not start'
        : 'cannot tell which cgroup version this host runs',
    fix: 'Boot the host with cgroup v2 (systemd.unified_cgroup_hierarchy=1 on the kernel command line; the default on current distributions).',
  })
}
