/**
 * `--mount`: host paths that jobs see as they are, not caches (no partition per instance, no cache
 * root, no init container opening them up): the Docker socket, a read-only Nix store or toolchain.
 * The kind node sees each host path at `{NODE_MOUNTS_ROOT}{host path}`, fixed at cluster creation.
 */
import path from 'node:path'

import {UsageError} from '../errors.js'
import {isInside, normalisePath} from './caches.js'
import {HOST_MOUNT_TYPES, type HostMountSpec, type HostMountType, type Installation} from './types.js'

const posix = path.posix
const FLAG = '--mount'
const FORMS =
  '[HOST_PATH:]PATH[:TYPE][:ro] with TYPE DirectoryOrCreate (default), Directory or Socket, for example ' +
  '--mount /var/run/docker.sock:/var/run/docker.sock:Socket or --mount /nix/store:ro'

/** A mount as a pod sees it: the spec, its volume name and the host path as the kind node sees it. */
export interface HostMount extends HostMountSpec {
  /** Volume name, unique within the pod: mount-0, mount-1, ... */
  volumeName: string
  /** The host path inside the kind node (or the host path itself on a cluster deskrun did not create). */
  nodePath: string
}

const isType = (value: string): value is HostMountType =>
  (HOST_MOUNT_TYPES as readonly string[]).includes(value)

function pathProblem(value: string, what: string): string | undefined {
  if (value === '') return `${what} is empty`
  if (!value.startsWith('/')) return `${what} "${value}" is not absolute (it must start with /)`
  if (value.split('/').includes('..')) return `${what} "${value}" contains "..", which is not allowed`
  if (normalisePath(value) === '/') return `${what} cannot be / itself`
  return undefined
}

/** Reads one `--mount` value; without HOST_PATH the host path is PATH itself. */
export function parseMountFlag(value: string): HostMountSpec {
  const parts = value.trim().split(':')
  const readOnly = parts.length > 1 && parts.at(-1) === 'ro'
  if (readOnly) parts.pop()
  const type =
    parts.length > 1 && isType(parts.at(-1)!) ? (parts.pop() as HostMountType) : 'DirectoryOrCreate'
  if (parts.length > 2 || parts.length === 0) {
    const last = parts.at(-1) ?? ''
    const reason = last.startsWith('/') ? 'it has too many parts' : `"${last}" is not a mount type`
    throw new UsageError(`${FLAG} "${value}": ${reason}. Use ${FORMS}.`)
  }
  const [source, target] = parts.length === 2 ? parts : [parts[0], parts[0]]
  const problems = [
    pathProblem(source, 'the host path'),
    pathProblem(target, 'the path inside the job'),
  ].filter((problem): problem is string => problem !== undefined)
  if (problems.length > 0) throw new UsageError(`${FLAG} "${value}": ${problems.join('; ')}. Use ${FORMS}.`)
  return {source: normalisePath(source), target: normalisePath(target), type, readOnly}
}

/** `source:target[:type][:ro]`, as the user would type it again. */
export function describeMount(mount: HostMountSpec): string {
  const type = mount.type === 'DirectoryOrCreate' ? '' : `:${mount.type}`
  return `${mount.source}:${mount.target}${type}${mount.readOnly ? ':ro' : ''}`
}

const overlaps = (a: string, b: string): boolean => a === b || isInside(a, b) || isInside(b, a)

/**
 * What is wrong with an installation's mounts (empty = fine): paths, types, a target given twice or
 * overlapping a cache's, and host paths in the cache root (those are what --cache is for).
 */
export function mountProblems(inst: Pick<Installation, 'mounts' | 'caches'>, cacheRoot: string): string[] {
  const problems: string[] = []
  const targets: string[] = []
  const root = normalisePath(cacheRoot)
  for (const mount of inst.mounts ?? []) {
    const shown = `${FLAG} ${describeMount(mount)}`
    if (!isType(mount.type)) {
      problems.push(`${shown}: "${mount.type}" is not a mount type; use ${HOST_MOUNT_TYPES.join(', ')}.`)
    }
    const bad = [
      pathProblem(mount.source, 'the host path'),
      pathProblem(mount.target, 'the path inside the job'),
    ]
    if (bad.some(Boolean)) {
      problems.push(`${shown}: ${bad.filter(Boolean).join('; ')}.`)
      continue
    }
    const target = normalisePath(mount.target)
    if (targets.includes(target))
      problems.push(`${FLAG} ${target} is given more than once; mount each path once.`)
    else if (targets.some((other) => overlaps(target, other)))
      problems.push(`${shown}: ${target} lies in or holds another --mount path; mount each folder once.`)
    targets.push(target)
    const cache = inst.caches.find((one) => overlaps(target, normalisePath(one.target)))
    if (cache)
      problems.push(
        `${shown}: ${target} is, lies in or holds the --cache ${cache.target}; drop one of the two.`,
      )
    if (overlaps(normalisePath(mount.source), root))
      problems.push(
        `${shown}: the host path is, lies in or holds the cache root ${root}; use --cache for folders there.`,
      )
  }
  return problems
}

/** Where the kind node sees a host path (see NODE_MOUNTS_ROOT). */
export function nodeMountPath(source: string, nodeMountsRoot: string): string {
  return posix.join(nodeMountsRoot, normalisePath(source))
}

/** The pod's view of the mounts; `nodeMountsRoot` undefined: the nodes are the host (a cluster of your own). */
export function resolveMounts(mounts: readonly HostMountSpec[] = [], nodeMountsRoot?: string): HostMount[] {
  return mounts.map((mount, index) => ({
    ...mount,
    volumeName: `mount-${index}`,
    nodePath: nodeMountsRoot === undefined ? mount.source : nodeMountPath(mount.source, nodeMountsRoot),
  }))
}

/** Every host path the kind node must mount for these installations, once each, sorted. */
export function hostMountSources(installations: readonly Pick<Installation, 'mounts'>[]): string[] {
  const sources = new Set(
    installations.flatMap((inst) => (inst.mounts ?? []).map((m) => normalisePath(m.source))),
  )
  return [...sources].sort()
}
