// helm release mechanics: values, rendering and applying a chart revision, and helm's output formats.
import crypto from 'node:crypto'
import fs from 'node:fs'
import {gzipSync} from 'node:zlib'

import {
  CONTROLLER_CHART,
  computedValues,
  mergeValues,
  renderController,
  renderScaleSet,
} from './arc-charts.js'
import {reconcile} from './arc-controller.js'
import {ToolError, randomSuffix} from './common.js'
import {createNamespace, deleteObject, getObject, putObject, served, typeOf} from './kube.js'
import {parse as parseYaml, stringify as toYaml} from './yaml.js'

export const find = (/** @type {any} */ c, /** @type {string} */ namespace, /** @type {string} */ name) =>
  c.releases.find((/** @type {any} */ r) => r.name === name && r.namespace === namespace)

/**
 * Renders the chart and applies its objects; removes what the previous revision had and this one lacks.
 * @returns {{resources: any[], manifest: string, podTemplate: any}} what the revision record keeps
 */
export function deploy(/** @type {any} */ c, /** @type {any} */ r) {
  const render = r.chartName === CONTROLLER_CHART ? renderController : renderScaleSet
  let rendered
  try {
    rendered = render(c, {release: r.name, namespace: r.namespace, version: r.version, values: r.values})
  } catch (error) {
    if (error instanceof ToolError) throw r.fail(error.message)
    throw error
  }
  const crds = r.installing ? rendered.crds : []
  for (const o of rendered.objects) {
    const t = typeOf(o)
    if (t.crd && !served(c, t) && !crds.length) {
      const which = r.installing ? 'release manifest' : 'new release manifest'
      throw r.fail(
        `unable to build kubernetes objects from ${which}: resource mapping not found for name: "${o.metadata.name}" namespace: "${o.metadata.namespace}" from "": no matches for kind "${o.kind}" in version "${o.apiVersion}"\nensure CRDs are installed first`,
      )
    }
  }
  if (r.installing) {
    for (const o of rendered.objects) {
      const existing = getObject(c, o.kind, o.metadata.namespace, o.metadata.name)
      const a = existing?.metadata.annotations ?? {}
      if (
        !existing ||
        (a['meta.helm.sh/release-name'] === r.name && a['meta.helm.sh/release-namespace'] === r.namespace)
      )
        continue
      const problems = [
        existing.metadata.labels?.['app.kubernetes.io/managed-by'] !== 'Helm' &&
          'label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"',
        a['meta.helm.sh/release-name'] !== r.name &&
          `annotation validation error: missing key "meta.helm.sh/release-name": must be set to "${r.name}"`,
        a['meta.helm.sh/release-namespace'] !== r.namespace &&
          `annotation validation error: missing key "meta.helm.sh/release-namespace": must be set to "${r.namespace}"`,
      ].filter(Boolean)
      throw r.fail(
        `Unable to continue with install: ${o.kind} "${o.metadata.name}" in namespace "${o.metadata.namespace}" exists and cannot be imported into the current release: invalid ownership metadata; ${problems.join('; ')}`,
      )
    }
    const ns = getObject(c, 'Namespace', undefined, r.namespace)
    if (!ns && r.createNamespace) createNamespace(c, r.namespace, {name: r.namespace})
    else if (!ns) throw r.fail(`create: failed to create: namespaces "${r.namespace}" not found`)
    else if (ns.metadata.deletionTimestamp)
      throw r.fail(
        `create: failed to create: secrets "sh.helm.release.v1.${r.name}.v1" is forbidden: unable to create new content in namespace ${r.namespace} because it is being terminated`,
      )
    for (const crd of crds) if (!getObject(c, crd.kind, undefined, crd.metadata.name)) putObject(c, crd)
  }
  const previous = r.installing ? [] : (find(c, r.namespace, r.name)?.revisions.at(-1).resources ?? [])
  const key = (/** @type {any} */ o) =>
    `${o.kind}/${o.namespace ?? o.metadata?.namespace}/${o.name ?? o.metadata?.name}`
  const keep = new Set(rendered.objects.map(key))
  for (const gone of previous.filter((/** @type {any} */ p) => !keep.has(key(p)))) {
    const o = getObject(c, gone.kind, gone.namespace, gone.name)
    if (o) deleteObject(c, o)
  }
  for (const o of rendered.objects) {
    const existing = getObject(c, o.kind, o.metadata.namespace, o.metadata.name)
    if (existing?.status && !o.status) o.status = existing.status
    if (existing?.metadata.finalizers && o.kind !== 'Secret' && o.kind !== 'ServiceAccount')
      o.metadata.finalizers = existing.metadata.finalizers
    putObject(c, o)
    if (o.kind === 'Deployment') controllerPod(c, o)
  }
  reconcile(c)
  return {
    resources: rendered.objects.map((/** @type {any} */ o) => ({
      kind: o.kind,
      namespace: o.metadata.namespace,
      name: o.metadata.name,
    })),
    manifest: rendered.objects.map((/** @type {any} */ o) => `---\n${toYaml(o)}`).join(''),
    podTemplate: rendered.podTemplate,
  }
}

/** The Deployment's one pod (`<name>-<rs hash>-<5 chars>`), replaced when the pod template changes. */
function controllerPod(/** @type {any} */ c, /** @type {any} */ deployment) {
  const hash = (/** @type {string} */ s) =>
    [...s]
      .reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7)
      .toString(16)
      .padStart(10, '0')
      .slice(0, 10)
  const template = deployment.spec.template
  const podHash = hash(JSON.stringify(template))
  const prefix = `${deployment.metadata.name}-`
  const pods = c.objects.filter(
    (/** @type {any} */ o) =>
      o.kind === 'Pod' &&
      o.metadata.namespace === deployment.metadata.namespace &&
      o.metadata.ownerReferences?.[0]?.uid === deployment.metadata.uid,
  )
  if (pods.some((/** @type {any} */ p) => p.metadata.labels['pod-template-hash'] === podHash)) return
  for (const p of pods) deleteObject(c, p)
  const suffix = randomSuffix()
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${prefix}${podHash}-${suffix}`,
      namespace: deployment.metadata.namespace,
      labels: {...template.metadata.labels, 'pod-template-hash': podHash},
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment.metadata.name,
          uid: deployment.metadata.uid,
          controller: true,
        },
      ],
    },
    spec: {nodeName: c.nodes[0].name, ...template.spec},
    status: {
      phase: 'Running',
      conditions: [{type: 'Ready', status: 'True'}],
      containerStatuses: template.spec.containers.map((/** @type {any} */ ct) => ({
        name: ct.name,
        image: ct.image,
        ready: true,
        restartCount: 0,
        started: true,
        state: {running: {startedAt: new Date().toISOString()}},
      })),
    },
  }
  putObject(c, pod)
}

/** Values from --values/-f (files or `-` for stdin) and --set/--set-string; null when none were given. */
export function userValues(/** @type {any} */ ctx, /** @type {any} */ flags) {
  /** @type {any} */
  let values = null
  let stdinUsed = false
  for (const file of flags.values ?? []) {
    let text
    if (file === '-') {
      text = stdinUsed ? '' : (ctx.stdin ?? '')
      stdinUsed = true
    } else {
      try {
        text = fs.readFileSync(file, 'utf8')
      } catch {
        throw new ToolError(`open ${file}: no such file or directory`)
      }
    }
    let parsed
    try {
      parsed = parseYaml(text)
    } catch (error) {
      throw new ToolError(
        `failed to parse ${file}: error converting YAML to JSON: yaml: ${/** @type {Error} */ (error).message.split('\n')[0]}`,
      )
    }
    values = mergeValues(values ?? {}, parsed ?? {})
  }
  for (const [flag, typed] of [
    ['set', true],
    ['set-string', false],
  ]) {
    for (const expr of flags[/** @type {string} */ (flag)] ?? []) {
      for (const pair of String(expr).split(',')) {
        const eq = pair.indexOf('=')
        if (eq < 0) throw new ToolError(`failed parsing --${flag} data: key "${pair}" has no value`)
        values ??= {}
        setPath(values, pair.slice(0, eq), typed ? typedValue(pair.slice(eq + 1)) : pair.slice(eq + 1))
      }
    }
  }
  // helm stores the values with omitempty: none and `{}` both read back as null.
  return values && Object.keys(values).length ? values : null
}

const typedValue = (/** @type {string} */ v) =>
  v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : /^-?\d+$/.test(v) ? Number(v) : v

/** @param {any} target @param {string} path @param {unknown} value */
function setPath(target, path, value) {
  const keys = path.split('.').flatMap((part) => part.split(/\[(\d+)\]/).filter(Boolean))
  let node = target
  keys.forEach((k, i) => {
    const last = i === keys.length - 1
    const key = /^\d+$/.test(k) ? Number(k) : k
    if (last) node[key] = value
    else node = node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {}
  })
}

/** --labels k=v,k2=v2 (repeatable), merged into the previous revision's; `null` unsets. */
export function releaseLabels(/** @type {string[]} */ flags, /** @type {Record<string, string>} */ previous) {
  const labels = {...previous}
  for (const list of flags) {
    for (const pair of list.split(',')) {
      const [k, ...v] = pair.split('=')
      if (!v.length)
        throw new ToolError(
          `invalid argument "${list}" for "-l, --labels" flag: ${pair} must be formatted as key=value`,
        )
      if (v.join('=') === 'null') delete labels[k]
      else labels[k] = v.join('=')
    }
  }
  return labels
}

/** The release as `helm status -o json` prints it. */
export function releaseJson(/** @type {any} */ rel, /** @type {any} */ rev) {
  return {
    name: rel.name,
    info: {
      first_deployed: rel.firstDeployed,
      last_deployed: rev.updated,
      deleted: '',
      description: rev.description,
      status: rev.status,
      notes: notes(rel, rev),
    },
    chart: {
      metadata: {
        name: rev.chartName,
        version: rev.version,
        description: `A Helm chart for ${rev.chartName}`,
        apiVersion: 'v2',
        appVersion: rev.version,
        type: 'application',
      },
      lock: null,
      templates: [],
      values: computedValues(rev.chartName, {}),
      schema: null,
      files: [],
    },
    config: rev.values ?? {},
    manifest: rev.manifest ?? '',
    version: rev.revision,
    namespace: rel.namespace,
  }
}

/**
 * Helm's storage (the default "secret" driver): one Secret per revision, `sh.helm.release.v1.NAME.vN`,
 * type `helm.sh/release.v1`, labelled with the release labels plus `name`, `owner=helm`, `status` and
 * `version`; its `release` key holds the release JSON, gzipped and base64-encoded (helm
 * pkg/storage/driver/secrets.go, util.go). The API server base64-encodes Secret data once more.
 */
export function releaseSecrets(/** @type {any} */ c) {
  return c.releases.flatMap((/** @type {any} */ rel) =>
    rel.revisions.map((/** @type {any} */ rev) => {
      const stored = gzipSync(JSON.stringify({...releaseJson(rel, rev), config: rev.values ?? null}))
      const name = `sh.helm.release.v1.${rel.name}.v${rev.revision}`
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'helm.sh/release.v1',
        metadata: {
          name,
          namespace: rel.namespace,
          labels: {
            ...rev.labels,
            name: rel.name,
            owner: 'helm',
            status: rev.status,
            version: String(rev.revision),
          },
          creationTimestamp: rev.updated,
          resourceVersion: String(Date.parse(rev.updated) % 1e9),
          uid: uuidOf(`${rel.namespace}/${name}`),
        },
        data: {release: Buffer.from(stored.toString('base64')).toString('base64')},
      }
    }),
  )
}

const uuidOf = (/** @type {string} */ text) =>
  crypto
    .createHash('sha1')
    .update(text)
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5')

const notes = (/** @type {any} */ rel, /** @type {any} */ rev) =>
  `Thank you for installing ${rev.chartName}.\n\nYour release is named ${rel.name}.\n`

/** helm's status table (after install, upgrade and `helm status`). */
export function statusTable(/** @type {any} */ rel, /** @type {any} */ rev) {
  return `NAME: ${rel.name}\nLAST DEPLOYED: ${ansic(rev.updated)}\nNAMESPACE: ${rel.namespace}\nSTATUS: ${rev.status}\nREVISION: ${rev.revision}\nTEST SUITE: None\nNOTES:\n${notes(rel, rev)}`
}

/** Go's time.ANSIC ("Mon Jan _2 15:04:05 2006"), in UTC. @param {string} iso */
export function ansic(iso) {
  const d = new Date(iso)
  const day = d.toUTCString().slice(0, 3)
  const month = d.toUTCString().slice(8, 11)
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)} ${d.getUTCFullYear()}`
}

/** Go's time.Time.String() ("2026-01-15 10:00:00.123 +0000 UTC"). @param {string} iso */
export function goTime(iso) {
  const [date, time] = iso.replace('Z', '').split('T')
  return `${date} ${time.replace(/\.?0+$/, '')} +0000 UTC`
}

/** A uitable the way helm prints it: cells padded to the column width, joined by tabs. */
export function table(/** @type {unknown[][]} */ rows) {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length))) ?? []
  return (
    rows
      .map((r) => r.map((cell, i) => String(cell).padEnd(i === r.length - 1 ? 0 : widths[i])).join('\t'))
      .join('\n') + '\n'
  )
}
