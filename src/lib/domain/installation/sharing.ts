/**
 * Which host folders the caches of installations use, and the two rules that keep them safe:
 * a container engine's data root serves one daemon at a time, and no two installations (or
 * instances) share a folder, so that neither their jobs nor `remove --purge-cache` touch another's
 * data. Pure: the real machine's symbolic links come in through `realPath`.
 */
import {cacheHostPath, cacheProblems, isInside, normalisePath, partitionFolder} from './caches.js'
import {instanceNames} from './naming.js'
import type {CacheSpec, Installation} from './types.js'

/**
 * The daemons whose data root must be theirs alone: a second dockerd, containerd or buildkitd on
 * the same folder corrupts it (moby issues 29519, 22416). Rootful roots are /var/lib/{folder};
 * rootless ones ~/.local/share/{folder}. The one list deskrun checks caches against.
 */
export const DATA_ROOT_DAEMONS = [
  {daemon: 'Docker', folder: 'docker'},
  {daemon: 'containerd', folder: 'containerd'},
  {daemon: 'BuildKit', folder: 'buildkit'},
] as const

export const DAEMON_DATA_ROOTS = DATA_ROOT_DAEMONS.map(({folder}) => `/var/lib/${folder}`)

/** The rule in one sentence, for `deskrun modes` and messages. */
export const DATA_ROOT_RULE =
  `A daemon's data root (${DAEMON_DATA_ROOTS.join(', ')}, or ~/.local/share/docker and the like when rootless) ` +
  `may be used by one daemon at a time, so a cache at such a path needs one runner per cache folder: ` +
  `--instances N (N scale sets of one runner, each with its own folder) or --max-runners 1.`

export interface DataRoot {
  daemon: string
  /** The data root the cache holds, lies in or contains. */
  root: string
}

/** The daemon data root a cache at `target` would hold, lie inside or contain; undefined when none. */
export function dataRootAt(target: string): DataRoot | undefined {
  const at = normalisePath(target)
  for (const {daemon, folder} of DATA_ROOT_DAEMONS) {
    const root = `/var/lib/${folder}`
    if (at === root || isInside(at, root) || isInside(root, at)) return {daemon, root}
  }

  const segments = at.split('/')
  const local = segments.lastIndexOf('.local')
  if (local < 1) return undefined
  const [share, folder] = segments.slice(local + 1)
  const home = segments.slice(0, local).join('/')
  if (share === undefined || (share === 'share' && folder === undefined)) {
    return {daemon: 'Docker', root: `${home}/.local/share/docker`} // it contains every rootless data root
  }

  const found = DATA_ROOT_DAEMONS.find((candidate) => share === 'share' && candidate.folder === folder)
  return found && {daemon: found.daemon, root: `${home}/.local/share/${found.folder}`}
}

/** The rootful Docker data root: where a dind daemon keeps its images, and what dockerd wants as root's own. */
export const DOCKER_DATA_ROOT = '/var/lib/docker'

/** Whether a cache at `target` is the Docker data root or lies inside it. */
export function isInDockerDataRoot(target: string): boolean {
  const at = normalisePath(target)
  return at === DOCKER_DATA_ROOT || isInside(at, DOCKER_DATA_ROOT)
}

/**
 * Caches that cannot work where Docker runs in a VM (macOS, Docker Desktop): the VM sees the cache
 * root through file sharing (virtiofs, gRPC FUSE), where overlay2 cannot mount, so a daemon with its
 * data root there falls back to the slow vfs driver or fails (docker-library/docker 342, 343, 389).
 * `host` names the machine in the message, e.g. "macOS".
 */
export function sharedFolderProblems(caches: readonly CacheSpec[], host: string): string[] {
  return caches
    .filter((cache) => dataRootAt(cache.target))
    .map(
      (cache) =>
        `--cache ${normalisePath(cache.target)}: on ${host} Docker runs in a VM that sees the cache root through ` +
        'file sharing, and a container engine cannot keep its data there (overlay2 cannot mount on it; the ' +
        "jobs' daemon falls back to the slow vfs driver or fails).",
    )
}

/**
 * A host folder an installation uses for its caches: the one behind a cache of an instance, or the
 * partition deskrun chose for an instance's caches (when it has some that deskrun places).
 */
export type CacheFolder = {
  installation: string
  instance: string
  /** Absolute and normalised. */
  folder: string
} & ({kind: 'partition'} | {kind: 'cache'; cache: CacheSpec})

/** The --cache value as the user would give it, for messages. */
const flagOf = (cache: CacheSpec): string =>
  cache.source === undefined ? cache.target : `${cache.source}:${cache.target}`

/**
 * The host folders of an installation's well-formed caches (malformed ones are reported elsewhere); none
 * for caches on a storage class, which live in the cluster.
 */
export function cacheFolders(
  inst: Pick<Installation, 'name' | 'instances' | 'caches' | 'cacheStorage'>,
  cacheRoot: string,
): CacheFolder[] {
  if (inst.cacheStorage) return []
  const names = instanceNames(inst.name, inst.instances)
  const usable = inst.caches
    .map((cache, index) => ({cache, index}))
    .filter(({cache}) => cacheProblems([cache], {cacheRoot}).length === 0)
  return names.flatMap((instance, i): CacheFolder[] => {
    const ref = {name: instance, index: i + 1, count: names.length}
    const partition: CacheFolder[] = usable.some(({cache}) => cache.source === undefined)
      ? [{installation: inst.name, instance, folder: partitionFolder(cacheRoot, instance), kind: 'partition'}]
      : []
    return [
      ...partition,
      ...usable.map(({cache, index}): CacheFolder => ({
        installation: inst.name,
        instance,
        folder: cacheHostPath(inst.name, cache, index, ref, cacheRoot),
        kind: 'cache',
        cache: {
          target: normalisePath(cache.target),
          ...(cache.source === undefined ? {} : {source: normalisePath(cache.source)}),
        },
      })),
    ]
  })
}

type Relation = 'is the same folder as' | 'is inside' | 'contains'

function lexicalRelation(a: string, b: string): Relation | undefined {
  if (a === b) return 'is the same folder as'
  if (isInside(a, b)) return 'is inside'
  if (isInside(b, a)) return 'contains'
  return undefined
}

/** How folder `a` relates to `b`, by path and, through symbolic links, by where they really are. */
export function folderRelation(
  a: string,
  b: string,
  realPath: (folder: string) => string = (folder) => folder,
): {relation: Relation; through?: string} | undefined {
  const lexical = lexicalRelation(a, b)
  if (lexical) return {relation: lexical}
  const [realA, realB] = [realPath(a), realPath(b)]
  const real = lexicalRelation(realA, realB)
  if (!real) return undefined
  const links = [a === realA ? '' : `${a} is really ${realA}`, b === realB ? '' : `${b} is really ${realB}`]
  return {relation: real, through: `through symbolic links: ${links.filter(Boolean).join(', ')}`}
}

export interface SharingOptions {
  cacheRoot: string
  /** Resolves symbolic links on this machine; default: folders as written. */
  realPath?: (folder: string) => string
}

function describeFolder(folder: CacheFolder, own: boolean): string {
  const of = own ? '' : ` of installation ${folder.installation}`
  if (folder.kind === 'partition')
    return `${folder.folder}, where deskrun keeps the caches of ${folder.instance}${own ? '' : ` (installation ${folder.installation})`}`
  return `${folder.folder}, the host folder of --cache ${flagOf(folder.cache)}${of}`
}

const APART =
  'Caches stay apart, so that no job and no `deskrun remove --purge-cache` touches the data of another'

/** Pairs of folders that overlap: the installation's own with each other's, and its instances' among them. */
function overlapProblems(
  inst: Installation,
  others: readonly Installation[],
  options: Required<SharingOptions>,
): string[] {
  const mine = cacheFolders(inst, options.cacheRoot)
  const theirs = others
    .filter((other) => other.name !== inst.name)
    .flatMap((other) => cacheFolders(other, options.cacheRoot))
  const problems: string[] = []
  const reported = new Set<string>()
  const check = (a: CacheFolder, b: CacheFolder, fix: string) => {
    // One message per folder and installation it meets: a cache folder lies inside its partition too.
    const pair = `${a.folder}\n${b.installation}`
    if (reported.has(pair)) return
    const found = folderRelation(a.folder, b.folder, options.realPath)
    if (!found) return
    reported.add(pair)
    const subject =
      a.kind === 'cache'
        ? `--cache ${flagOf(a.cache)}: its host folder ${a.folder}`
        : `${describeFolder(a, true)},`
    const through = found.through ? ` (${found.through})` : ''
    problems.push(
      `${subject} ${found.relation} ${describeFolder(b, a.installation === b.installation)}${through}. ${fix}`,
    )
  }

  const root = normalisePath(options.cacheRoot)
  for (const a of mine)
    for (const b of theirs) {
      // Partitions are named after scale sets: two of them only meet when the names clash, reported elsewhere.
      if (a.kind === 'partition' && b.kind === 'partition') continue
      const fix =
        a.kind === 'cache'
          ? `${APART}: pick a folder of its own under ${root}, or give only the path (--cache ${a.cache.target}) to let deskrun choose.`
          : `${APART}: choose another installation name, or remove ${b.installation} first (deskrun remove ${b.installation}).`
      check(a, b, fix)
    }

  for (const [i, a] of mine.entries())
    for (const b of mine.slice(i + 1)) {
      const sameInstance = a.instance === b.instance
      if (sameInstance && (a.kind === 'partition' || b.kind === 'partition')) continue
      if (a.kind === 'partition' && b.kind === 'partition') continue
      const [first, second] = a.kind === 'cache' ? [a, b] : [b, a]
      check(first, second, `${APART}: give each cache a folder of its own.`)
    }

  return problems
}

/** Caches at a daemon data root in an installation that runs several runners per host folder. */
function dataRootProblems(inst: Installation): string[] {
  const several = Number.isInteger(inst.instances) && inst.instances > 1
  const runners = several ? 1 : inst.maxRunners
  if (!Number.isInteger(runners) || runners <= 1) return []
  const targets = new Set<string>()
  return inst.caches.flatMap((cache) => {
    const target = normalisePath(cache.target)
    const found = dataRootAt(target)
    if (!found || targets.has(target)) return []
    targets.add(target)
    const relation = lexicalRelation(target, found.root)
    const where =
      relation === 'is the same folder as'
        ? `is ${found.daemon}'s data root`
        : `${relation} ${found.daemon}'s data root ${found.root}`
    return [
      `--cache ${flagOf(cache)}: ${target} ${where}, which one daemon at a time may use ` +
        `(a second one corrupts it), but up to ${runners} runners of ${inst.name} can run at once and would ` +
        `share its folder. Give each runner a folder of its own with --instances ${runners} (one runner ` +
        `per instance; leave out --min-runners and --max-runners), or run one runner at a time with --max-runners 1.`,
    ]
  })
}

/** Everything unsafe about where an installation's caches live, beside the other installations. */
export function sharingProblems(
  inst: Installation,
  others: readonly Installation[],
  options: SharingOptions,
): string[] {
  const resolved = {cacheRoot: options.cacheRoot, realPath: options.realPath ?? ((folder: string) => folder)}
  return [...dataRootProblems(inst), ...overlapProblems(inst, others, resolved)]
}

export interface PurgePlan {
  /** Folders that hold this installation's caches and nothing of anyone else's. */
  remove: string[]
  /** Folders it used that stay, each with the reason. */
  keep: {folder: string; reason: string}[]
}

/**
 * What `remove --purge-cache` may delete: the partitions deskrun chose for the installation's
 * instances, unless another installation's cache folder is in, is, or holds one of them (say, an
 * entry written by hand or by an older deskrun). Host folders the user named are never deleted.
 */
export function purgePlan(
  inst: Pick<Installation, 'name' | 'instances' | 'caches' | 'cacheStorage'>,
  others: readonly Installation[],
  options: SharingOptions & {exists: (folder: string) => boolean},
): PurgePlan {
  const realPath = options.realPath ?? ((folder: string) => folder)
  const theirs = others
    .filter((other) => other.name !== inst.name)
    .flatMap((other) => cacheFolders(other, options.cacheRoot))
  const plan: PurgePlan = {remove: [], keep: []}
  const partitions = instanceNames(inst.name, inst.instances).map((name) =>
    partitionFolder(options.cacheRoot, name),
  )
  for (const partition of partitions.filter(options.exists)) {
    const shared = theirs.flatMap((folder) => {
      const found = folderRelation(partition, folder.folder, realPath)
      return found
        ? [
            `it ${found.relation} ${describeFolder(folder, false)}${found.through ? ` (${found.through})` : ''}`,
          ]
        : []
    })
    if (shared.length === 0) plan.remove.push(partition)
    else plan.keep.push({folder: partition, reason: shared.join('; ')})
  }

  for (const entry of cacheFolders(inst, options.cacheRoot)) {
    const {folder} = entry
    const named = entry.kind === 'cache' && entry.cache.source !== undefined
    const inPartition = partitions.some((partition) => folder === partition || isInside(folder, partition))
    if (!named || inPartition || !options.exists(folder) || plan.keep.some((kept) => kept.folder === folder))
      continue
    plan.keep.push({
      folder,
      reason: `you named it with --cache ${flagOf(entry.cache)}; deskrun deletes only the folders it chose itself`,
    })
  }

  return plan
}
