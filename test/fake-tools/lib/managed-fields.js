// Field ownership as the API server keeps it in metadata.managedFields (structured-merge-diff): which
// field manager set which field, apply conflicts between managers, fields an applier stops setting, and
// kubectl's migration of client-side-apply ownership to a server-side applier (client-go csaupgrade).
// Field sets hold leaves only: maps are walked, lists and scalars are leaves (the real sets also know
// list keys and `.` entries). Objects written without managedFields (helm's, the fake controller's) have
// no owners here, where a real API server would name their writer.
import {ToolError} from './common.js'

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
const LAST_APPLIED_PATH = JSON.stringify(['metadata', 'annotations', LAST_APPLIED])

/** @typedef {string} Path a JSON array of keys, e.g. `["data","github_token"]` */

const isMap = (/** @type {unknown} */ v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The leaves a writer sets: everything but identity, status and server-set metadata. @returns {Set<Path>} */
function leavesOf(/** @type {any} */ obj) {
  /** @type {Set<Path>} */
  const found = new Set()
  const walk = (/** @type {any} */ value, /** @type {string[]} */ path) => {
    if (isMap(value) && Object.keys(value).length)
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k])
    else found.add(JSON.stringify(path))
  }
  const {apiVersion: _a, kind: _k, status: _s, metadata = {}, ...rest} = obj
  for (const [k, v] of Object.entries(rest)) walk(v, [k])
  for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences'])
    if (metadata[key] !== undefined) walk(metadata[key], ['metadata', key])
  return found
}

const read = (/** @type {any} */ obj, /** @type {Path} */ path) =>
  JSON.parse(path).reduce(
    (/** @type {any} */ o, /** @type {string} */ k) => (isMap(o) ? o[k] : undefined),
    obj,
  )

function write(/** @type {any} */ obj, /** @type {Path} */ path, /** @type {unknown} */ value) {
  const keys = JSON.parse(path)
  let o = obj
  for (const k of keys.slice(0, -1)) o = isMap(o[k]) ? o[k] : (o[k] = {})
  o[keys.at(-1)] = JSON.parse(JSON.stringify(value))
}

/** Removes a leaf and the maps it leaves empty (never `metadata` itself). */
function remove(/** @type {any} */ obj, /** @type {Path} */ path) {
  const keys = JSON.parse(path)
  const parents = [obj]
  for (const k of keys.slice(0, -1)) {
    const next = parents.at(-1)[k]
    if (!isMap(next)) return
    parents.push(next)
  }
  delete parents.at(-1)[keys.at(-1)]
  for (let i = parents.length - 1; i > 0; i--)
    if (!Object.keys(parents[i]).length && !(i === 1 && keys[0] === 'metadata'))
      delete parents[i - 1][keys[i - 1]]
}

const same = (/** @type {unknown} */ a, /** @type {unknown} */ b) => JSON.stringify(a) === JSON.stringify(b)

/** fieldsV1 (`{"f:data": {"f:github_token": {}}}`) <-> a set of leaf paths. */
function toFieldsV1(/** @type {Set<Path>} */ paths) {
  /** @type {any} */
  const fields = {}
  for (const path of paths) {
    let o = fields
    for (const k of JSON.parse(path)) o = o[`f:${k}`] ??= {}
  }
  return fields
}

/** @returns {Set<Path>} */
function fromFieldsV1(/** @type {any} */ fields) {
  /** @type {Set<Path>} */
  const found = new Set()
  const walk = (/** @type {any} */ o, /** @type {string[]} */ path) => {
    const keys = Object.keys(o).filter((k) => k.startsWith('f:'))
    if (!keys.length && path.length) found.add(JSON.stringify(path))
    for (const k of keys) walk(o[k], [...path, k.slice(2)])
  }
  walk(fields ?? {}, [])
  return found
}

/** @typedef {{manager: string, operation: 'Apply' | 'Update', apiVersion: string, time?: string, fieldsType?: string, fieldsV1?: any, paths: Set<Path>}} Entry */

/** @returns {Entry[]} */
const entriesOf = (/** @type {any} */ obj) =>
  (obj?.metadata?.managedFields ?? []).map((/** @type {any} */ e) => ({
    ...e,
    paths: fromFieldsV1(e.fieldsV1),
  }))

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z')

/** Stores the entries on `obj`, keeping an unchanged entry's time and dropping managers that own nothing. */
function store(/** @type {any} */ obj, /** @type {Entry[]} */ entries, /** @type {any} */ before) {
  const old = entriesOf(before)
  const kept = entries
    .filter((e) => e.paths.size)
    .map(({paths, ...e}) => {
      const prior = old.find((o) => o.manager === e.manager && o.operation === e.operation)
      const changed = !prior || !same([...prior.paths].sort(), [...paths].sort())
      return {...e, time: changed ? now() : prior.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(paths)}
    })
  if (kept.length) obj.metadata.managedFields = kept
  else delete obj.metadata.managedFields
}

/** `.metadata.labels.app` as structured-merge-diff prints a path. */
const shown = (/** @type {Path} */ path) =>
  JSON.parse(path)
    .map((/** @type {string} */ k) => `.${k}`)
    .join('')

/** The API server's conflict error (apiserver fieldmanager NewConflictError). */
function conflictError(/** @type {{manager: Entry, path: Path}[]} */ conflicts) {
  const who = (/** @type {Entry} */ e) =>
    `"${e.manager}"${e.operation === 'Update' ? ` using ${e.apiVersion}` : ''}`
  if (conflicts.length === 1)
    return `Apply failed with 1 conflict: conflict with ${who(conflicts[0].manager)}: ${shown(conflicts[0].path)}`
  const byManager = new Map()
  for (const c of conflicts) byManager.set(who(c.manager), [...(byManager.get(who(c.manager)) ?? []), c.path])
  const lines = [...byManager.keys()]
    .sort()
    .flatMap((m) => [
      `conflicts with ${m}:`,
      ...byManager.get(m).map((/** @type {Path} */ p) => `- ${shown(p)}`),
    ])
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`
}

/**
 * A server-side apply of `applied` by `manager` onto `live` (undefined: a create). Fields another manager
 * set to another value conflict unless `force` takes them over; fields this manager set before and no
 * longer sets are removed unless another manager also set them. @returns {any} the new object
 */
export function serverSideApply(
  /** @type {any} */ live,
  /** @type {any} */ applied,
  /** @type {string} */ manager,
  /** @type {boolean} */ force,
) {
  const paths = leavesOf(applied)
  const entries = entriesOf(live)
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply')
  const others = entries.filter((e) => e !== mine)
  const conflicts = []
  for (const path of paths)
    if (live && read(live, path) !== undefined && !same(read(live, path), read(applied, path)))
      for (const e of others) if (e.paths.has(path)) conflicts.push({manager: e, path})
  if (conflicts.length && !force && !(manager === 'kubectl' && fromLastApplied(live, conflicts)))
    throw new ToolError(`${conflictError(conflicts)}\n${CONFLICT_ADVICE}`)
  for (const {manager: e, path} of conflicts) e.paths.delete(path)

  const obj = live
    ? JSON.parse(JSON.stringify(live))
    : {apiVersion: applied.apiVersion, kind: applied.kind, metadata: {name: applied.metadata.name}}
  if (applied.metadata.namespace) obj.metadata.namespace = applied.metadata.namespace
  for (const path of paths) write(obj, path, read(applied, path))
  for (const path of mine?.paths ?? [])
    if (!paths.has(path) && !others.some((e) => e.paths.has(path))) remove(obj, path)
  // The API server keeps kubectl's own client-side apply annotation in step with what kubectl applies.
  if (manager === 'kubectl' && live?.metadata.annotations?.[LAST_APPLIED]) {
    const {[LAST_APPLIED]: _, ...annotations} = applied.metadata.annotations ?? {}
    const config = {...applied, metadata: {...applied.metadata, annotations}}
    if (!Object.keys(annotations).length) delete config.metadata.annotations
    write(obj, LAST_APPLIED_PATH, JSON.stringify(config))
  }
  store(obj, [...others, {manager, operation: 'Apply', apiVersion: applied.apiVersion, paths}], live)
  return obj
}

/** kubectl as manager `kubectl` may take over fields whose live value its last-applied annotation set. */
function fromLastApplied(/** @type {any} */ live, /** @type {{path: Path}[]} */ conflicts) {
  const text = live.metadata.annotations?.[LAST_APPLIED]
  if (!text) return false
  const last = JSON.parse(text)
  return conflicts.every(
    ({path}) => read(last, path) !== undefined && same(read(last, path), read(live, path)),
  )
}

/** What kubectl prints after the API server's conflict message. */
const CONFLICT_ADVICE = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`

/**
 * An update (create, patch, client-side apply) by `manager`: it owns what it changed, which others then
 * no longer own; fields that are gone are nobody's.
 */
export function recordUpdate(/** @type {any} */ live, /** @type {any} */ obj, /** @type {string} */ manager) {
  const now = leavesOf(obj)
  const changed = [...now].filter((path) => !live || !same(read(live, path), read(obj, path)))
  const entries = entriesOf(live)
  for (const e of entries)
    for (const path of [...e.paths]) if (!now.has(path) || changed.includes(path)) e.paths.delete(path)
  let mine = entries.find((e) => e.manager === manager && e.operation === 'Update')
  if (!mine)
    entries.unshift((mine = {manager, operation: 'Update', apiVersion: obj.apiVersion, paths: new Set()}))
  for (const path of changed) mine.paths.add(path)
  store(obj, entries, live)
}

/**
 * kubectl apply --server-side, after its apply: the fields client-side apply managed (the managers that own
 * the last-applied annotation) become the server-side applier's, so that re-applying drops what the
 * applier no longer sets. Manager `kubectl` first gives the annotation to `kubectl-last-applied`, which
 * keeps it. @returns {boolean} whether kubectl re-applies
 */
export function migrateClientSideApply(/** @type {any} */ obj, /** @type {string} */ manager) {
  const entries = entriesOf(obj)
  if (manager === 'kubectl' && obj.metadata.annotations?.[LAST_APPLIED])
    if (!entries.some((e) => e.operation === 'Apply' && e.paths.has(LAST_APPLIED_PATH)))
      entries.push({
        manager: 'kubectl-last-applied',
        operation: 'Apply',
        apiVersion: obj.apiVersion,
        paths: new Set([LAST_APPLIED_PATH]),
      })
  const csa = entries.filter((e) => e.operation === 'Update' && e.paths.has(LAST_APPLIED_PATH))
  if (!csa.length) return false
  const ssa = entries.find((e) => e.manager === manager && e.operation === 'Apply')
  if (!ssa) return false
  for (const e of csa) for (const path of e.paths) ssa.paths.add(path)
  store(
    obj,
    entries.filter((e) => !csa.includes(e)),
    obj,
  )
  return true
}

/** managedFields without their times: what changes when ownership changes. */
export const ownership = (/** @type {any} */ obj) =>
  (obj.metadata.managedFields ?? []).map((/** @type {any} */ {time: _t, ...e}) => e)
