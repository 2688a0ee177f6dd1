// PersistentVolumeClaims as the API server, its admission plugins, the volume controllers and the scheduler
// treat them (kubernetes pkg/apis/core/validation ValidatePersistentVolumeClaim(Update), plugin/pkg/admission
// storage/{storageclass/setdefault,persistentvolume/resize,storageobjectinuseprotection}, the scheduler's
// VolumeBinding filter, rancher/local-path-provisioner).
import crypto from 'node:crypto'

import {ToolError, sortedKeys} from './common.js'
import {deleteObject, getObject, listObjects, newObject, putObject} from './kube.js'

export const PVC_PROTECTION = 'kubernetes.io/pvc-protection'
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class'
const SELECTED_NODE = 'volume.kubernetes.io/selected-node'
const LOCAL_PATH = 'rancher.io/local-path'

/** Bytes of a storage quantity (`50Gi`, `51200Mi`, `20G`); NaN when it is none. */
function bytes(/** @type {unknown} */ quantity) {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(String(quantity ?? ''))
  if (!m) return NaN
  const units = /** @type {Record<string, number>} */ ({
    '': 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50, // prettier-ignore
  })
  return Number(m[1]) * units[m[2] ?? '']
}

const storageOf = (/** @type {any} */ claim) => claim.spec?.resources?.requests?.storage
const invalid = (/** @type {string} */ name, /** @type {string[]} */ causes) =>
  new ToolError(
    causes.length === 1
      ? `The PersistentVolumeClaim "${name}" is invalid: ${causes[0]}`
      : `The PersistentVolumeClaim "${name}" is invalid: \n${causes.map((c) => `* ${c}`).join('\n')}`,
  )

/** The fields of a claim's spec as the API server's Go type names them, in its order (for the diff). */
const SPEC_FIELDS = [
  ['AccessModes', 'accessModes'],
  ['Selector', 'selector'],
  ['Resources', 'resources'],
  ['VolumeName', 'volumeName'],
  ['StorageClassName', 'storageClassName'],
  ['VolumeMode', 'volumeMode'],
  ['DataSource', 'dataSource'],
  ['DataSourceRef', 'dataSourceRef'],
  ['VolumeAttributesClassName', 'volumeAttributesClassName'],
]

/** Like go-cmp's diff of the two specs, the changed fields only (the real one prints every field's Go value). */
function specDiff(/** @type {any} */ before, /** @type {any} */ after) {
  const lines = ['  core.PersistentVolumeClaimSpec{']
  let same = 0
  for (const [field, key] of SPEC_FIELDS) {
    const [a, b] = [JSON.stringify(before[key] ?? null), JSON.stringify(after[key] ?? null)]
    if (a === b) {
      same++
      continue
    }
    if (same) lines.push(`  \t... // ${same} identical fields`)
    same = 0
    lines.push(`- \t${field}: ${a},`, `+ \t${field}: ${b},`)
  }
  if (same) lines.push(`  \t... // ${same} identical fields`)
  return [...lines, '  }'].join('\n')
}

/** ValidatePersistentVolumeClaimSpec, as far as deskrun's claims go: access modes and a storage request. */
function specCauses(/** @type {any} */ claim) {
  const causes = []
  if (!claim.spec?.accessModes?.length)
    causes.push('spec.accessModes: Required value: at least 1 access mode is required')
  if (storageOf(claim) === undefined) causes.push('spec.resources[storage]: Required value')
  else if (!(bytes(storageOf(claim)) > 0))
    causes.push(`spec.resources[storage]: Invalid value: "${storageOf(claim)}": must be greater than zero`)
  return causes
}

/**
 * A claim as it is created: ValidatePersistentVolumeClaimSpec's required fields, the default storage class
 * (DefaultStorageClass admission), the protection finalizer (StorageObjectInUseProtection), Filesystem mode,
 * Pending, and bound at once when its class binds Immediate.
 */
export function admitNewClaim(/** @type {any} */ cluster, /** @type {any} */ claim) {
  const spec = (claim.spec ??= {})
  const causes = []
  if (!spec.accessModes?.length)
    causes.push('spec.accessModes: Required value: at least 1 access mode is required')
  if (storageOf(claim) === undefined) causes.push('spec.resources[storage]: Required value')
  else if (!(bytes(storageOf(claim)) > 0))
    causes.push(`spec.resources[storage]: Invalid value: "${storageOf(claim)}": must be greater than zero`)
  if (causes.length) throw invalid(claim.metadata.name, causes)
  if (spec.storageClassName === undefined) {
    const found = listObjects(cluster, 'StorageClass').find(
      (/** @type {any} */ c) => c.metadata.annotations?.[DEFAULT_CLASS] === 'true',
    )
    if (found) spec.storageClassName = found.metadata.name
  }
  spec.volumeMode ??= 'Filesystem'
  claim.metadata.finalizers = [...new Set([...(claim.metadata.finalizers ?? []), PVC_PROTECTION])]
  claim.status = {phase: 'Pending'}
}

/** Once a new claim is stored: a class that binds Immediate (not WaitForFirstConsumer) provisions it now. */
export function afterClaimCreated(/** @type {any} */ cluster, /** @type {any} */ claim) {
  const storageClass = getObject(cluster, 'StorageClass', undefined, claim.spec?.storageClassName ?? '')
  if (storageClass && storageClass.volumeBindingMode !== 'WaitForFirstConsumer')
    provision(cluster, claim, undefined)
}

/**
 * An update of a claim, as ValidatePersistentVolumeClaimUpdate and the PersistentVolumeClaimResize admission
 * plugin decide it: the spec stays as created, except that a bound claim's storage request may grow (where
 * its class allows expansion) and the volume name is set once. Shrinking stops at status.capacity
 * (RecoverVolumeExpansionFailure, on by default in Kubernetes 1.33).
 */
export function checkClaimUpdate(
  /** @type {any} */ cluster,
  /** @type {any} */ live,
  /** @type {any} */ next,
) {
  const [before, after] = [structuredClone(live.spec ?? {}), structuredClone(next.spec ?? {})]
  if (!before.volumeName) before.volumeName = after.volumeName
  const bound = live.status?.phase === 'Bound'
  if (bound && after.resources?.requests) after.resources.requests.storage = storageOf(live)
  const causes = specCauses(next)
  if (JSON.stringify(sortedKeys(before)) !== JSON.stringify(sortedKeys(after)))
    causes.push(
      `spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff(before, after)}`,
    )
  const [old, wanted, capacity] = [storageOf(live), storageOf(next), live.status?.capacity?.storage]
  if (bytes(wanted) < bytes(old) && bytes(wanted) <= bytes(capacity ?? 0))
    causes.push('spec.resources.requests.storage: Forbidden: field can not be less than status.capacity')
  if (causes.length) throw invalid(live.metadata.name, causes)
  const storageClass = getObject(cluster, 'StorageClass', undefined, live.spec?.storageClassName ?? '')
  if (bound && bytes(wanted) > bytes(old) && storageClass?.allowVolumeExpansion !== true)
    throw new ToolError(
      `Error from server (Forbidden): persistentvolumeclaims "${live.metadata.name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`,
    )
}

/** Provisions a volume for the claim and binds them; local-path's volume is a folder of `node`. */
function provision(
  /** @type {any} */ cluster,
  /** @type {any} */ claim,
  /** @type {string | undefined} */ node,
) {
  const storageClass = getObject(cluster, 'StorageClass', undefined, claim.spec.storageClassName ?? '')
  const name = `pvc-${claim.metadata.uid ?? crypto.randomUUID()}`
  const local = storageClass?.provisioner === LOCAL_PATH
  putObject(
    cluster,
    newObject('PersistentVolume', name, undefined, {
      spec: {
        accessModes: claim.spec.accessModes,
        capacity: {storage: storageOf(claim)},
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name: claim.metadata.name,
          namespace: claim.metadata.namespace,
          uid: claim.metadata.uid,
        },
        persistentVolumeReclaimPolicy: storageClass?.reclaimPolicy ?? 'Delete',
        storageClassName: claim.spec.storageClassName,
        volumeMode: claim.spec.volumeMode,
        ...(local && node
          ? {
              hostPath: {
                path: `/var/local-path-provisioner/${name}_${claim.metadata.namespace}_${claim.metadata.name}`,
                type: 'DirectoryOrCreate',
              },
              nodeAffinity: {
                required: {
                  nodeSelectorTerms: [
                    {matchExpressions: [{key: 'kubernetes.io/hostname', operator: 'In', values: [node]}]},
                  ],
                },
              },
            }
          : {csi: {driver: storageClass?.provisioner ?? 'unknown', volumeHandle: name}}),
      },
      status: {phase: 'Bound'},
    }),
  )
  claim.spec.volumeName = name
  if (node) claim.metadata.annotations = {...claim.metadata.annotations, [SELECTED_NODE]: node}
  claim.status = {phase: 'Bound', accessModes: claim.spec.accessModes, capacity: {storage: storageOf(claim)}}
  putObject(cluster, claim)
}

/** The node a bound claim's volume is tied to (local volumes), if any. */
function volumeNode(/** @type {any} */ cluster, /** @type {any} */ claim) {
  const volume = getObject(cluster, 'PersistentVolume', undefined, claim.spec?.volumeName ?? '')
  return volume?.spec.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values?.[0]
}

/**
 * The scheduler's VolumeBinding filter for a pod: the nodes its claims allow (undefined: any), or why none
 * will do. `bind` is called once the pod has a node: WaitForFirstConsumer claims are provisioned there.
 * @returns {{nodes?: string[], reason?: string, bind: (node: string) => void}}
 */
export function claimPlacement(
  /** @type {any} */ cluster,
  /** @type {string} */ namespace,
  /** @type {any} */ spec,
) {
  const names = (spec.volumes ?? []).flatMap(
    (/** @type {any} */ v) => v.persistentVolumeClaim?.claimName ?? [],
  )
  /** @type {any[]} */
  const waiting = []
  /** @type {string[] | undefined} */
  let nodes
  for (const name of names) {
    const claim = getObject(cluster, 'PersistentVolumeClaim', namespace, name)
    if (!claim) return {reason: `persistentvolumeclaim "${name}" not found`, bind: () => {}}
    if (claim.metadata.deletionTimestamp)
      return {reason: `persistentvolumeclaim "${name}" is being deleted`, bind: () => {}}
    if (claim.status?.phase === 'Bound') {
      const node = volumeNode(cluster, claim)
      if (node) nodes = (nodes ?? [node]).filter((n) => n === node)
      continue
    }
    const storageClass = getObject(cluster, 'StorageClass', undefined, claim.spec?.storageClassName ?? '')
    if (!storageClass)
      return {
        reason: `storageclass.storage.k8s.io "${claim.spec?.storageClassName ?? ''}" not found`,
        bind: () => {},
      }
    waiting.push(claim)
  }
  return {nodes, bind: (node) => waiting.forEach((claim) => provision(cluster, claim, node))}
}

/**
 * The pvc-protection controller: a claim being deleted keeps its finalizer while a pod uses it; then the
 * claim goes, and its volume with it (reclaim policy Delete).
 */
export function releaseUnusedClaim(/** @type {any} */ cluster, /** @type {any} */ claim) {
  const used = listObjects(cluster, 'Pod', {namespace: claim.metadata.namespace}).some(
    (/** @type {any} */ pod) =>
      (pod.spec?.volumes ?? []).some(
        (/** @type {any} */ v) => v.persistentVolumeClaim?.claimName === claim.metadata.name,
      ),
  )
  if (used) return
  claim.metadata.finalizers = (claim.metadata.finalizers ?? []).filter(
    (/** @type {string} */ f) => f !== PVC_PROTECTION,
  )
  const volume = getObject(cluster, 'PersistentVolume', undefined, claim.spec?.volumeName ?? '')
  if (volume?.spec.persistentVolumeReclaimPolicy === 'Delete') deleteObject(cluster, volume)
}
