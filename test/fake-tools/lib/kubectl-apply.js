// How the fake API server takes objects from kubectl apply/delete -f: parsing, validation, Secret data.
import fs from 'node:fs'

import {ToolError} from './common.js'
import {getObject, kindString, namespaceDefaults, putObject, served, typeOfKind} from './kube.js'
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

/** What apply compares: everything the user manages (not status, not server-set metadata). */
const managed = (/** @type {any} */ o) => {
  const {status: _status, metadata, ...rest} = o
  return JSON.stringify({...rest, labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {}})
}

/** Applies one object like the API server (namespace checks, Secret stringData, unchanged detection). */
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
  const obj = JSON.parse(JSON.stringify(input))
  obj.metadata ??= {}
  const t = typeOfKind(obj.apiVersion, obj.kind)
  const name = obj.metadata.name
  if (!t || !served(cluster, t))
    throw new ToolError(
      `resource mapping not found for name: "${name ?? ''}" namespace: "${obj.metadata.namespace ?? ''}" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"\nensure CRDs are installed first`,
    )
  if (t.namespaced) {
    if (flags.namespace && obj.metadata.namespace && obj.metadata.namespace !== flags.namespace)
      throw new ToolError(
        `the namespace from the provided object "${obj.metadata.namespace}" does not match the namespace "${flags.namespace}". You must pass '--namespace=${obj.metadata.namespace}' to perform this operation.`,
      )
    obj.metadata.namespace ??= flags.namespace ?? 'default'
  } else delete obj.metadata.namespace
  if (!name)
    throw new ToolError(
      `error when retrieving current configuration of:\nResource: "${t.plural}", GroupVersionKind: "${obj.apiVersion}, Kind=${obj.kind}"\nName: "", Namespace: "${obj.metadata.namespace ?? ''}"\nfrom server for: "${source}": resource name may not be empty`,
    )
  const existing = getObject(cluster, t.kind, obj.metadata.namespace, name)
  const verb = existing ? 'patching' : 'creating'
  if (t.namespaced) {
    const ns = getObject(cluster, 'Namespace', undefined, obj.metadata.namespace)
    if (!ns)
      throw new ToolError(
        `Error from server (NotFound): error when ${verb} "${source}": namespaces "${obj.metadata.namespace}" not found`,
      )
    if (ns.metadata.deletionTimestamp && !existing)
      throw new ToolError(
        `Error from server (Forbidden): error when creating "${source}": ${t.plural} "${name}" is forbidden: unable to create new content in namespace ${ns.metadata.name} because it is being terminated`,
      )
  }
  if (t.kind === 'Secret') {
    for (const [k, v] of Object.entries(obj.data ?? {}))
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(String(v)) || String(v).length % 4)
        throw new ToolError(
          `Error from server (BadRequest): error when ${verb} "${source}": Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${String(v).search(/[^A-Za-z0-9+/=]/) >= 0 ? String(v).search(/[^A-Za-z0-9+/=]/) : 0} (key ${k})`,
        )
    obj.data = {
      ...obj.data,
      ...Object.fromEntries(
        Object.entries(obj.stringData ?? {}).map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')]),
      ),
    }
    delete obj.stringData
    obj.type ??= 'Opaque'
  }
  if (t.kind === 'Namespace') {
    obj.metadata.labels = {...obj.metadata.labels, 'kubernetes.io/metadata.name': name}
    obj.spec = {finalizers: ['kubernetes'], ...obj.spec}
    obj.status = {phase: 'Active'}
  }
  if (!flags['server-side']) {
    const {annotations = {}} = input.metadata ?? {}
    const lastApplied = {...input, metadata: {...input.metadata, annotations: {...annotations}}}
    delete lastApplied.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']
    if (!Object.keys(lastApplied.metadata.annotations).length) delete lastApplied.metadata.annotations
    obj.metadata.annotations = {
      ...annotations,
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(lastApplied) + '\n',
    }
  } else
    obj.metadata.managedFields = [
      {manager: flags['field-manager'] ?? 'kubectl', operation: 'Apply', apiVersion: obj.apiVersion},
    ]
  const object = `${kindString(t)}/${name}`
  if (existing) {
    for (const key of ['finalizers', 'ownerReferences'])
      if (existing.metadata[key] && !obj.metadata[key]) obj.metadata[key] = existing.metadata[key]
    if (existing.status && !obj.status) obj.status = existing.status
    if (managed(existing) === managed(obj)) return {object, action: 'unchanged'}
  }
  if (!dry) {
    putObject(cluster, obj)
    if (t.kind === 'Namespace' && !existing) namespaceDefaults(cluster, name)
  }
  return {object, action: existing ? 'configured' : 'created'}
}
