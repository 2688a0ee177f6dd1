/**
 * Helm 3 keeps each revision of a release as a Secret of type `helm.sh/release.v1`, named
 * `sh.helm.release.v1.<release>.v<revision>`, labelled `owner=helm`, `name`, `status`, `version` plus
 * the release labels given with `--labels`. Its `release` key holds the release as JSON, gzipped and
 * base64-encoded by Helm (and base64-encoded once more, as all Secret data, by the API). Reading these
 * records with one `kubectl get` tells deskrun every release's status, chart and values, which would
 * otherwise take a `helm list` and a `helm get values` per release.
 */
import {gunzipSync} from 'node:zlib'

import type {KubeObject} from '../../domain/kube.js'
import type {ObservedRelease} from '../../domain/reconcile/observation.js'

export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1'
/** Labels Helm sets on its records itself; the rest are the release labels. */
const HELM_LABELS = new Set(['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt'])

interface StoredRelease {
  name?: string
  namespace?: string
  version?: number
  info?: {status?: string}
  chart?: {metadata?: {name?: string; version?: string}}
  config?: Record<string, unknown> | null
}

/** The release a record holds, or undefined when the object is not a readable Helm record. */
export function decodeReleaseRecord(secret: KubeObject): ObservedRelease | undefined {
  const data = (secret.data as Record<string, string> | undefined)?.release
  if (secret.type !== RELEASE_SECRET_TYPE || !data) return undefined
  try {
    let raw = Buffer.from(Buffer.from(data, 'base64').toString('latin1'), 'base64')
    // Helm gzips what it stores, and reads plain JSON too.
    if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw)
    const stored = JSON.parse(raw.toString('utf8')) as StoredRelease
    const labels = secret.metadata.labels ?? {}
    return {
      name: stored.name ?? labels.name,
      namespace: stored.namespace ?? secret.metadata.namespace ?? '',
      revision: stored.version ?? Number(labels.version),
      status: stored.info?.status ?? labels.status,
      chartName: stored.chart?.metadata?.name,
      chartVersion: stored.chart?.metadata?.version,
      values: stored.config ?? {},
      labels: Object.fromEntries(Object.entries(labels).filter(([key]) => !HELM_LABELS.has(key))),
    }
  } catch {
    return undefined
  }
}

/** The latest revision of each release among the records. */
export function latestReleases(secrets: KubeObject[]): ObservedRelease[] {
  const latest = new Map<string, ObservedRelease>()
  for (const record of secrets.map(decodeReleaseRecord)) {
    if (!record) continue
    const key = `${record.namespace}/${record.name}`
    const seen = latest.get(key)
    if (!seen || seen.revision < record.revision) latest.set(key, record)
  }
  return [...latest.values()]
}
