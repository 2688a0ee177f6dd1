// How the fake API server takes objects from kubectl apply/get/delete -f: parsing, validation, Secret data,
// client-side and server-side apply.
import fs from 'node:fs'

import {ToolError, sortedKeys} from './common.js'
import {getObject, kindString, namespaceDefaults, putObject, served, typeOfKind} from './kube.js'
import {
  LAST_APPLIED,
  migrateClientSideApply,
  ownership,
  recordUpdate,
  serverSideApply,
} from './managed-fields.js'
import {admitNewClaim, afterClaimCreated, checkClaimUpdate} from './volumes.js'
import {parseAllDocuments} from './yaml.js'

/** Reads the objects of -f FILE / -f - (YAML streams, JSON objects, `kind: List`). @returns {{source: string, obj: any}[]} */
export function readObjects(/** @type {any} */ ctx, /** @type {string[]} */ files) {
  const found = []
  for (const file of files) {
    let text
    if (file === '-') text = ctx.stdin ?? ''
    else {
      try {
        text = fs.readFileSync(file, 'utf8')
      } catch {
        throw new ToolError(`the path "${file}" does not exist`)
      }
    }
    const source = file === '-' ? 'STDIN' : file
    let docs
    if (/^\s*[[{]/.test(text)) {
      try {
        docs = [JSON.parse(text)]
      } catch (error) {
        throw new ToolError(`error parsing ${source}: ${/** @type {Error} */ (error).message}`)
      }
    } else {
      const parsed = parseAllDocuments(text)
      const bad = /** @type {any[]} */ (parsed).find((d) => d.errors?.length)
      if (bad)
        throw new ToolError(
          `error parsing ${source}: error converting YAML to JSON: yaml: ${bad.errors[0].message.split('\n')[0]}`,
        )
      docs = /** @type {any[]} */ (parsed).map((d) => d.toJS())
    }
    const flatten = (/** @type {any} */ doc) =>
      doc && /List$/.test(doc.kind ?? '') && Array.isArray(doc.items)
        ? doc.items.flatMap(flatten)
        : doc
          ? [doc]
          : []
    for (const obj of docs.flatMap(flatten)) found.push({source, obj})
  }
  return found
}

/** What apply compares: what users and appliers set (not status, not server-set metadata). */
const managed = (/** @type {any} */ o) => {
  const {status: _status, metadata, ...rest} = o
  return JSON.stringify({
    ...rest,
    labels: metadata.labels ?? {},
    annotations: metadata.annotations ?? {},
    managedFields: ownership(o),
  })
}

/**
 * Applies one object like kubectl and the API server. Client-side apply (the default) keeps the whole
 * applied object, a Secret's stringData included, in the last-applied annotation, and reports a Secret
 * with stringData as configured every time (kubectl's patch always carries stringData, which the live
 * object never has; kubernetes issue 87736). Server-side apply (`--server-side`) keeps no such copy,
 * tracks field managers, and prints `serverside-applied` whether or not anything changed; an object it
 * leaves as it was keeps its resourceVersion.
 * @returns {{object: string, action: string, warning?: string, result: any}}
 */
export function applyOne(
  /** @type {any} */ cluster,
  /** @type {any} */ input,
  /** @type {string} */ source,
  /** @type {any} */ flags,
  /** @type {boolean} */ dry,
) {
  if (!input.apiVersion || !input.kind) {
    const missing = [!input.apiVersion && 'apiVersion not set', !input.kind && 'kind not set']
      .filter(Boolean)
      .join(', ')
    throw new ToolError(
      `error validating "${source}": error validating data: [${missing}]; if you choose to ignore these errors, turn validation off with --validate=false`,
    )
  }
  const applied = JSON.parse(JSON.stringify(input))
  applied.metadata ??= {}
  const t = typeOfKind(applied.apiVersion, applied.kind)
  const name = applied.metadata.name
  if (!t || !served(cluster, t))
    throw new ToolError(
      `resource mapping not found for name: "${name ?? ''}" namespace: "${applied.metadata.namespace ?? ''}" from "${source}": no matches for kind "${applied.kind}" in version "${applied.apiVersion}"\nensure CRDs are installed first`,
    )
  if (t.namespaced) {
    if (flags.namespace && applied.metadata.namespace && applied.metadata.namespace !== flags.namespace)
      throw new ToolError(
        `the namespace from the provided object "${applied.metadata.namespace}" does not match the namespace "${flags.namespace}". You must pass '--namespace=${applied.metadata.namespace}' to perform this operation.`,
      )
    applied.metadata.namespace ??= flags.namespace ?? 'default'
  } else delete applied.metadata.namespace
  if (!name)
    throw new ToolError(
      `error when retrieving current configuration of:\nResource: "${t.plural}", GroupVersionKind: "${applied.apiVersion}, Kind=${applied.kind}"\nName: "", Namespace: "${applied.metadata.namespace ?? ''}"\nfrom server for: "${source}": resource name may not be empty`,
    )
  const existing = getObject(cluster, t.kind, applied.metadata.namespace, name)
  const verb = existing ? 'patching' : 'creating'
  if (t.namespaced) {
    const ns = getObject(cluster, 'Namespace', undefined, applied.metadata.namespace)
    if (!ns)
      throw new ToolError(
        `Error from server (NotFound): error when ${verb} "${source}": namespaces "${applied.metadata.namespace}" not found`,
      )
    if (ns.metadata.deletionTimestamp && !existing)
      throw new ToolError(
        `Error from server (Forbidden): error when creating "${source}": ${t.plural} "${name}" is forbidden: unable to create new content in namespace ${ns.metadata.name} because it is being terminated`,
      )
  }
  if (t.kind === 'Secret') {
    for (const [k, v] of Object.entries(applied.data ?? {}))
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(String(v)) || String(v).length % 4)
        throw new ToolError(
          `Error from server (BadRequest): error when ${verb} "${source}": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${String(v).search(/[^A-Za-z0-9+/=]/) >= 0 ? String(v).search(/[^A-Za-z0-9+/=]/) : 0} (key ${k})`,
        )
    // stringData is write-only: the API server merges it into data and never stores it.
    if (applied.stringData)
      applied.data = {
        ...applied.data,
        ...Object.fromEntries(
          Object.entries(applied.stringData).map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')]),
        ),
      }
    delete applied.stringData
  }

  const serverSide = Boolean(flags['server-side'])
  let result
  let warning
  if (serverSide) {
    const manager = flags['field-manager'] ?? 'kubectl'
    const force = Boolean(flags['force-conflicts'])
    result = serverSideApply(existing, applied, manager, force)
    // kubectl hands client-side apply's fields to the applier, then applies again (see managed-fields.js).
    if (migrateClientSideApply(result, manager)) result = serverSideApply(result, applied, manager, force)
  } else {
    result = JSON.parse(JSON.stringify(applied))
    const {[LAST_APPLIED]: _, ...annotations} = input.metadata?.annotations ?? {}
    const lastApplied = {...input, metadata: {...input.metadata, annotations}}
    result.metadata.annotations = {
      ...annotations,
      [LAST_APPLIED]: `${JSON.stringify(sortedKeys(lastApplied))}\n`,
    }
    if (existing) {
      for (const key of ['finalizers', 'ownerReferences'])
        if (existing.metadata[key] && !result.metadata[key]) result.metadata[key] = existing.metadata[key]
      if (existing.status) result.status = existing.status
      if (!existing.metadata.annotations?.[LAST_APPLIED])
        warning = `Warning: resource ${t.plural}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`
    }
  }
  if (t.kind === 'PersistentVolumeClaim') {
    // A client-side patch leaves the fields it never set (the volume, defaults) as the server has them.
    if (existing && !serverSide) result.spec = {...existing.spec, ...result.spec}
    if (existing) checkClaimUpdate(cluster, existing, result)
    else admitNewClaim(cluster, result)
  }
  if (t.kind === 'Secret') result.type ??= 'Opaque'
  if (t.kind === 'Namespace') {
    result.metadata.labels = {...result.metadata.labels, 'kubernetes.io/metadata.name': name}
    result.spec = {finalizers: ['kubernetes'], ...result.spec}
    result.status ??= {phase: 'Active'}
  }
  if (!serverSide) recordUpdate(existing, result, flags['field-manager'] ?? 'kubectl-client-side-apply')

  const object = `${kindString(t)}/${name}`
  const unchanged = Boolean(existing) && managed(existing) === managed(result)
  if (!unchanged && !dry) {
    putObject(cluster, result)
    if (t.kind === 'Namespace' && !existing) namespaceDefaults(cluster, name)
    if (t.kind === 'PersistentVolumeClaim' && !existing) afterClaimCreated(cluster, result)
  }
  const action = serverSide
    ? 'serverside-applied'
    : !existing
      ? 'created'
      : unchanged && !Object.keys(input.stringData ?? {}).length
        ? 'unchanged'
        : 'configured'
  return {object, action, warning, result: JSON.parse(JSON.stringify(unchanged ? existing : result))}
}
