/**
 * Cache layout: which host folder backs each `--cache` mount of each instance, and where the kind
 * node sees it. Pure path arithmetic (POSIX paths: container paths always are, and so are the host
 * paths of the Linux/macOS machines kind runs on).
 */
import path from 'node:path'

import {UsageError} from '../errors.js'
import type {CacheSpec, HostCacheMount} from './types.js'

const posix = path.posix

export interface CacheRoots {
  /** Host folder that holds every cache; the kind node mounts it (extraMounts). */
  cacheRoot: string
  /** The same folder inside the kind node. */
  nodeCacheRoot: string
}

/** Which instance the caches are for: `index` is 1-based, `count` the installation's instance count. */
export interface InstanceRef {
  name: string
  index: number
  count: number
}

const FLAG_EXAMPLE = 'for example --cache /root/.cache or --cache ~/.cache/deskrun/my-cache:/root/.cache'

/** Problems with one path of a `--cache` value; `role` says which part it is. */
function pathProblem(value: string, role: 'path' | 'source'): string | undefined {
  const what = role === 'path' ? 'the path inside the job' : 'the host folder'
  if (value === '') return `${what} is empty`
  if (!value.startsWith('/')) return `${what} "${value}" is not absolute (it must start with /)`
  if (value.split('/').includes('..')) return `${what} "${value}" contains "..", which is not allowed`
  if (normalisePath(value) === '/') return `${what} cannot be / itself`
  return undefined
}

/** `/a//b/./c/` -> `/a/b/c`. */
export function normalisePath(value: string): string {
  const normal = posix.normalize(value)
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal
}

/** True when `child` lies strictly inside `parent` (both absolute and normalised). */
export function isInside(child: string, parent: string): boolean {
  const relative = posix.relative(parent, child)
  return relative !== '' && relative !== '..' && !relative.startsWith('../') && !posix.isAbsolute(relative)
}

/**
 * Reads one `--cache` value: `PATH` (deskrun picks the host folder) or `SRC:PATH` (host folder SRC,
 * which must lie under the cache root: that is checked later, against the configured root).
 */
export function parseCacheFlag(value: string): CacheSpec {
  const parts = value.trim().split(':')
  if (parts.length > 2) {
    throw new UsageError(`--cache "${value}" has more than one ':'; use PATH or SRC:PATH (${FLAG_EXAMPLE}).`)
  }

  const [source, target] = parts.length === 2 ? parts : [undefined, parts[0]]
  const problems = [
    ...(source === undefined ? [] : [pathProblem(source, 'source')]),
    pathProblem(target, 'path'),
  ].filter((problem): problem is string => problem !== undefined)
  if (problems.length > 0) {
    throw new UsageError(`--cache "${value}": ${problems.join('; ')}. Use PATH or SRC:PATH, ${FLAG_EXAMPLE}.`)
  }

  return source === undefined
    ? {target: normalisePath(target)}
    : {target: normalisePath(target), source: normalisePath(source)}
}

/** What is wrong with an installation's caches (empty = fine). Messages name the `--cache` flag. */
export function cacheProblems(caches: readonly CacheSpec[], roots: Pick<CacheRoots, 'cacheRoot'>): string[] {
  const cacheRoot = normalisePath(roots.cacheRoot)
  const problems: string[] = []
  const seen = new Set<string>()
  for (const cache of caches) {
    const targetProblem = pathProblem(cache.target, 'path')
    if (targetProblem) problems.push(`--cache ${cache.target}: ${targetProblem}.`)
    const target = normalisePath(cache.target)
    if (seen.has(target))
      problems.push(`--cache ${target} is given more than once; each path may be cached once.`)
    seen.add(target)

    if (cache.source === undefined) continue
    const sourceProblem = pathProblem(cache.source, 'source')
    if (sourceProblem) {
      problems.push(`--cache ${cache.source}:${cache.target}: ${sourceProblem}.`)
    } else if (!isInside(normalisePath(cache.source), cacheRoot)) {
      problems.push(
        `--cache ${cache.source}:${cache.target}: the host folder must lie inside the cache root ${cacheRoot}, ` +
          `because the kind node only sees the host through that one mount ` +
          `(for example --cache ${cacheRoot}/FOLDER:${target}, or --cache ${target} to let deskrun choose).`,
      )
    }
  }

  return problems
}

/** The folder deskrun chooses for one instance's caches: `{root}/{instance}` (purge deletes it whole). */
export function partitionFolder(cacheRoot: string, instanceName: string): string {
  return posix.join(normalisePath(cacheRoot), instanceName)
}

/**
 * The host folder of cache number `index` (0-based position in the installation's list) for one
 * instance. Default: `{partition}/cache-{index}`, where the partition is `{root}/{installation}` for a
 * single instance and `{root}/{instance}` with several, so no two instances share a folder. An explicit
 * SRC is used as is for a single instance and partitioned as `{SRC}/{instance}` with several.
 */
export function cacheHostPath(
  installationName: string,
  cache: CacheSpec,
  index: number,
  instance: InstanceRef,
  cacheRoot: string,
): string {
  const several = instance.count > 1
  if (cache.source === undefined)
    return posix.join(
      partitionFolder(cacheRoot, several ? instance.name : installationName),
      `cache-${index}`,
    )
  const source = normalisePath(cache.source)
  return several ? posix.join(source, instance.name) : source
}

/** The mounts of one instance (see cacheHostPath for where each host folder is). */
export function resolveCaches(
  installationName: string,
  caches: readonly CacheSpec[],
  instance: InstanceRef,
  roots: CacheRoots,
): HostCacheMount[] {
  const problems = cacheProblems(caches, roots)
  if (problems.length > 0) throw new UsageError(problems.join('\n'))

  const cacheRoot = normalisePath(roots.cacheRoot)
  const nodeCacheRoot = normalisePath(roots.nodeCacheRoot)
  return caches.map((cache, i) => {
    const hostPath = cacheHostPath(installationName, cache, i, instance, cacheRoot)
    return {
      volumeName: `cache-${i}`,
      target: normalisePath(cache.target),
      hostPath,
      nodePath: posix.join(nodeCacheRoot, posix.relative(cacheRoot, hostPath)),
    }
  })
}
