// A tiny Kubernetes API server: resource types, objects per cluster, label selectors, deletion with
// finalizers, namespace/CRD cascades and owner-reference garbage collection.
import crypto from 'node:crypto'

import {ToolError, randomSuffix} from './common.js'
import {claimPlacement, releaseUnusedClaim} from './volumes.js'

/**
 * @typedef {{kind: string, plural: string, singular: string, short: string[], group: string, version: string,
 *   namespaced: boolean, crd: boolean}} ResourceType
 */

/** @returns {ResourceType} */
const type = (
  /** @type {string} */ kind,
  /** @type {string} */ plural,
  /** @type {Partial<ResourceType>} */ more = {},
) => ({
  kind,
  plural,
  singular: kind.toLowerCase(),
  short: [],
  group: '',
  version: 'v1',
  namespaced: true,
  crd: false,
  ...more,
})

const ARC = {group: 'actions.github.com', version: 'v1alpha1', crd: true}

/** @type {ResourceType[]} */
export const TYPES = [
  type('Pod', 'pods', {short: ['po']}),
  type('Namespace', 'namespaces', {short: ['ns'], namespaced: false}),
  type('ConfigMap', 'configmaps', {short: ['cm']}),
  type('Secret', 'secrets'),
  type('ServiceAccount', 'serviceaccounts', {short: ['sa']}),
  type('Service', 'services', {short: ['svc']}),
  type('PersistentVolumeClaim', 'persistentvolumeclaims', {short: ['pvc']}),
  type('PersistentVolume', 'persistentvolumes', {short: ['pv'], namespaced: false}),
  type('Deployment', 'deployments', {short: ['deploy'], group: 'apps'}),
  type('Role', 'roles', {group: 'rbac.authorization.k8s.io'}),
  type('RoleBinding', 'rolebindings', {group: 'rbac.authorization.k8s.io'}),
  type('Node', 'nodes', {short: ['no'], namespaced: false}),
  type('StorageClass', 'storageclasses', {short: ['sc'], group: 'storage.k8s.io', namespaced: false}),
  type('CustomResourceDefinition', 'customresourcedefinitions', {
    short: ['crd', 'crds'],
    group: 'apiextensions.k8s.io',
    namespaced: false,
  }),
  type('AutoscalingRunnerSet', 'autoscalingrunnersets', ARC),
  type('AutoscalingListener', 'autoscalinglisteners', ARC),
  type('EphemeralRunnerSet', 'ephemeralrunnersets', ARC),
  type('EphemeralRunner', 'ephemeralrunners', ARC),
]

/** @param {ResourceType} t */
export const apiVersionOf = (t) => (t.group ? `${t.group}/${t.version}` : t.version)
/** `configmap`, `deployment.apps`: how kubectl names a kind in "created"/"deleted" lines. @param {ResourceType} t */
export const kindString = (t) => (t.group ? `${t.singular}.${t.group}` : t.singular)
/** `configmaps`, `deployments.apps`: how the API server names a resource in errors. @param {ResourceType} t */
export const resourceString = (t) => (t.group ? `${t.plural}.${t.group}` : t.plural)
/** @param {ResourceType} t */
export const crdName = (t) => `${t.plural}.${t.group}`

/** Resolves what a user typed (`po`, `pods`, `Pod`, `deployments.apps`, `autoscalingrunnersets.actions.github.com`). */
export function resolveType(/** @type {string} */ word) {
  const [name, ...rest] = word.toLowerCase().split('.')
  const group = rest.join('.')
  return TYPES.find(
    (t) =>
      (t.plural === name || t.singular === name || t.short.includes(name)) &&
      (!group ||
        t.group === group ||
        `${t.version}.${t.group}` === group ||
        (t.group === '' && group === t.version)),
  )
}

/** @param {string} apiVersion @param {string} kind */
export function typeOfKind(apiVersion, kind) {
  return TYPES.find((t) => t.kind === kind && apiVersionOf(t) === apiVersion)
}

/** Whether the API server serves this type (ARC kinds need their CRD). @param {any} cluster @param {ResourceType} t */
export function served(cluster, t) {
  return (
    !t.crd ||
    cluster.objects.some(
      (/** @type {any} */ o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === crdName(t),
    )
  )
}

/** @param {any} obj */
export const typeOf = (obj) => /** @type {ResourceType} */ (TYPES.find((t) => t.kind === obj.kind))

/** @param {any} cluster @param {string} kind @param {string | undefined} namespace @param {string} name */
export function getObject(cluster, kind, namespace, name) {
  return cluster.objects.find(
    (/** @type {any} */ o) =>
      o.kind === kind &&
      o.metadata.name === name &&
      (o.metadata.namespace ?? undefined) === (namespace ?? undefined),
  )
}

/**
 * @param {any} cluster @param {string} kind
 * @param {{namespace?: string, selector?: string}} [options] namespace undefined = all namespaces
 */
export function listObjects(cluster, kind, options = {}) {
  const match = options.selector ? parseSelector(options.selector) : () => true
  return cluster.objects
    .filter((/** @type {any} */ o) => o.kind === kind)
    .filter(
      (/** @type {any} */ o) => options.namespace === undefined || o.metadata.namespace === options.namespace,
    )
    .filter((/** @type {any} */ o) => match(o.metadata.labels ?? {}))
    .sort((/** @type {any} */ a, /** @type {any} */ b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    )
}

/**
 * Parses a label selector (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`) into a predicate over labels.
 * @param {string} selector @returns {(labels: Record<string, string>) => boolean}
 */
export function parseSelector(selector) {
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? []
  const tests = terms.map((raw) => {
    const term = raw.trim()
    let m
    if ((m = term.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, key, op, list] = m
      const values = list.split(',').map((v) => v.trim())
      return (/** @type {Record<string, string>} */ l) =>
        op === 'in' ? key in l && values.includes(l[key]) : !(key in l) || !values.includes(l[key])
    }
    if ((m = term.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/))) {
      const [, key, op, value] = m
      return (/** @type {Record<string, string>} */ l) => (op === '!=' ? l[key] !== value : l[key] === value)
    }
    if ((m = term.match(/^(!?)([\w./-]+)$/))) {
      const [, not, key] = m
      return (/** @type {Record<string, string>} */ l) => (not ? !(key in l) : key in l)
    }
    throw new ToolError(`unable to parse requirement: found '${term}', expected: identifier`)
  })
  return (labels) => tests.every((test) => test(labels))
}

/** Stores a new or changed object the way the API server would (uid, resourceVersion, timestamps). */
export function putObject(/** @type {any} */ cluster, /** @type {any} */ obj) {
  const existing = getObject(cluster, obj.kind, obj.metadata.namespace, obj.metadata.name)
  cluster.rv = (cluster.rv ?? 1000) + 1
  const meta = obj.metadata
  if (existing) {
    meta.uid = existing.metadata.uid
    meta.creationTimestamp = existing.metadata.creationTimestamp
    meta.generation =
      (existing.metadata.generation ?? 1) +
      (JSON.stringify(existing.spec) === JSON.stringify(obj.spec) ? 0 : 1)
    if (existing.metadata.deletionTimestamp) meta.deletionTimestamp = existing.metadata.deletionTimestamp
    cluster.objects[cluster.objects.indexOf(existing)] = obj
  } else {
    meta.uid = crypto.randomUUID()
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    meta.generation = 1
    cluster.objects.push(obj)
  }
  meta.resourceVersion = String(cluster.rv)
  return obj
}

/** A fresh object of a kind, with the apiVersion the API server reports. */
export function newObject(
  /** @type {string} */ kind,
  /** @type {string} */ name,
  /** @type {string | undefined} */ namespace,
  more = {},
) {
  const t = /** @type {ResourceType} */ (TYPES.find((x) => x.kind === kind))
  const {metadata = {}, ...rest} = /** @type {any} */ (more)
  return {
    apiVersion: apiVersionOf(t),
    kind,
    metadata: {name, ...(namespace ? {namespace} : {}), ...metadata},
    ...rest,
  }
}

/** Every namespace gets a `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap, like a real cluster. */
export function createNamespace(/** @type {any} */ cluster, /** @type {string} */ name, labels = {}) {
  putObject(
    cluster,
    newObject('Namespace', name, undefined, {
      metadata: {labels: {'kubernetes.io/metadata.name': name, ...labels}},
      spec: {finalizers: ['kubernetes']},
      status: {phase: 'Active'},
    }),
  )
  namespaceDefaults(cluster, name)
}

/** What the controllers add to every new namespace. */
export function namespaceDefaults(/** @type {any} */ cluster, /** @type {string} */ name) {
  putObject(cluster, newObject('ServiceAccount', 'default', name))
  putObject(cluster, newObject('ConfigMap', 'kube-root-ca.crt', name, {data: {'ca.crt': FAKE_CA}}))
}

const FAKE_CA = '-----BEGIN CERTIFICATE-----\nMIIFAKEFAKEFAKE\n-----END CERTIFICATE-----\n'

/**
 * A Running pod, on the node its `nodeSelector` names by `kubernetes.io/hostname` (the scheduler's
 * NodeAffinity filter) and its claims allow (VolumeBinding: a local volume's node; a WaitForFirstConsumer
 * claim is provisioned on the pod's node), or else on the first node. A selector no node matches, a
 * missing claim or a volume on another node leaves it Pending and unscheduled, with the scheduler's
 * reason ("0/N nodes are available: N node(s) didn't match Pod's node affinity/selector").
 */
export function runningPod(
  /** @type {any} */ cluster,
  /** @type {string} */ name,
  /** @type {string} */ namespace,
  /** @type {any} */ spec,
  labels = {},
  more = {},
) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const containers = spec.containers ?? []
  const wanted = spec.nodeSelector?.['kubernetes.io/hostname']
  const selected = cluster.nodes.filter((/** @type {any} */ n) => wanted === undefined || n.name === wanted)
  const volumes = claimPlacement(cluster, namespace, spec)
  const node = selected.find((/** @type {any} */ n) => !volumes.nodes || volumes.nodes.includes(n.name))
  const count = cluster.nodes.length
  const reason = volumes.reason
    ? volumes.reason
    : selected.length === 0
      ? `${count} node(s) didn't match Pod's node affinity/selector`
      : `${count} node(s) had volume node affinity conflict`
  if (volumes.reason || !node)
    return newObject('Pod', name, namespace, {
      metadata: {labels, ...more},
      spec,
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            lastTransitionTime: now,
            message: `0/${count} nodes are available: ${reason}.`,
          },
        ],
      },
    })
  volumes.bind(node.name)
  return newObject('Pod', name, namespace, {
    metadata: {labels, ...more},
    spec: {nodeName: node.name, ...spec},
    status: {
      phase: 'Running',
      conditions: [{type: 'Ready', status: 'True', lastTransitionTime: now}],
      podIP: `10.244.0.${Math.floor(Math.random() * 200) + 10}`,
      startTime: now,
      containerStatuses: containers.map((/** @type {any} */ c) => ({
        name: c.name,
        image: c.image,
        ready: true,
        restartCount: 0,
        started: true,
        state: {running: {startedAt: now}},
      })),
    },
  })
}

/**
 * The Kubernetes release of a cluster: the tag of its kind node image (`kindest/node:v1.28.15`), which is
 * what the API server, kubelet and control-plane pods of that image run.
 */
export function kubernetesVersion(/** @type {any} */ cluster) {
  return /:(v\d+\.\d+\.\d+)/.exec(cluster.image ?? '')?.[1] ?? 'v1.33.1'
}

/**
 * What `kind create cluster` leaves in a new cluster; `storageClass`: the name of its default local-path
 * class (kind's `standard`; k3s calls it `local-path`).
 */
export function seedCluster(/** @type {any} */ cluster, storageClass = 'standard') {
  const version = kubernetesVersion(cluster)
  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'local-path-storage'])
    createNamespace(cluster, ns)
  for (const node of cluster.nodes) {
    putObject(
      cluster,
      newObject('Node', node.name, undefined, {
        metadata: {
          labels: {
            'kubernetes.io/hostname': node.name,
            'kubernetes.io/os': 'linux',
            ...(node.role === 'control-plane' ? {'node-role.kubernetes.io/control-plane': ''} : {}),
          },
        },
        spec: {podCIDR: '10.244.0.0/24', providerID: `kind://docker/${cluster.name}/${node.name}`},
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
            },
          ],
          nodeInfo: {
            kubeletVersion: version,
            containerRuntimeVersion: 'containerd://2.1.1',
            osImage: 'Debian GNU/Linux 12 (bookworm)',
          },
        },
      }),
    )
  }
  putObject(
    cluster,
    newObject('StorageClass', storageClass, undefined, {
      metadata: {annotations: {'storageclass.kubernetes.io/is-default-class': 'true'}},
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    }),
  )
  const cp = cluster.nodes[0].name
  const system = [
    [
      'kube-system',
      `coredns-674b8bbfcf-${randomSuffix()}`,
      {'k8s-app': 'kube-dns'},
      'registry.k8s.io/coredns/coredns:v1.12.0',
    ],
    [
      'kube-system',
      `coredns-674b8bbfcf-${randomSuffix()}`,
      {'k8s-app': 'kube-dns'},
      'registry.k8s.io/coredns/coredns:v1.12.0',
    ],
    ['kube-system', `etcd-${cp}`, {component: 'etcd'}, 'registry.k8s.io/etcd:3.5.21-0'],
    [
      'kube-system',
      `kindnet-${randomSuffix()}`,
      {app: 'kindnet'},
      'docker.io/kindest/kindnetd:v20250512-df8de77b',
    ],
    [
      'kube-system',
      `kube-apiserver-${cp}`,
      {component: 'kube-apiserver'},
      `registry.k8s.io/kube-apiserver:${version}`,
    ],
    [
      'kube-system',
      `kube-controller-manager-${cp}`,
      {component: 'kube-controller-manager'},
      `registry.k8s.io/kube-controller-manager:${version}`,
    ],
    [
      'kube-system',
      `kube-proxy-${randomSuffix()}`,
      {'k8s-app': 'kube-proxy'},
      `registry.k8s.io/kube-proxy:${version}`,
    ],
    [
      'kube-system',
      `kube-scheduler-${cp}`,
      {component: 'kube-scheduler'},
      `registry.k8s.io/kube-scheduler:${version}`,
    ],
    [
      'local-path-storage',
      `local-path-provisioner-7dc846544d-${randomSuffix()}`,
      {app: 'local-path-provisioner'},
      'docker.io/kindest/local-path-provisioner:v20250214-acbabc1a',
    ],
  ]
  for (const [ns, name, labels, image] of /** @type {[string, string, Record<string, string>, string][]} */ (
    system
  )) {
    const container = String(labels.component ?? labels['k8s-app'] ?? labels.app).replace(
      'kube-dns',
      'coredns',
    )
    putObject(cluster, runningPod(cluster, name, ns, {containers: [{name: container, image}]}, labels))
  }
}

/**
 * Deletes an object like the API server: objects with finalizers only get a deletionTimestamp; namespaces
 * and CRDs first delete what they contain; dependents are garbage-collected.
 * @returns {boolean} whether the object is gone
 */
export function deleteObject(/** @type {any} */ cluster, /** @type {any} */ obj) {
  if (!cluster.objects.includes(obj)) return true
  obj.metadata.deletionTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  if (obj.kind === 'Namespace') {
    obj.status = {...obj.status, phase: 'Terminating'}
    for (const o of cluster.objects.filter(
      (/** @type {any} */ x) => x.metadata.namespace === obj.metadata.name,
    ))
      deleteObject(cluster, o)
    // Helm keeps its release records as Secrets in the namespace: they go with it.
    cluster.releases = cluster.releases.filter((/** @type {any} */ r) => r.namespace !== obj.metadata.name)
    if (cluster.objects.some((/** @type {any} */ x) => x.metadata.namespace === obj.metadata.name))
      return false
  }
  if (obj.kind === 'CustomResourceDefinition') {
    const t = TYPES.find((x) => x.crd && crdName(x) === obj.metadata.name)
    const instances = t ? cluster.objects.filter((/** @type {any} */ x) => x.kind === t.kind) : []
    for (const o of instances) deleteObject(cluster, o)
    if (t && cluster.objects.some((/** @type {any} */ x) => x.kind === t.kind)) return false
  }
  if (obj.kind === 'PersistentVolumeClaim') releaseUnusedClaim(cluster, obj)
  if (obj.metadata.finalizers?.length) return false
  cluster.objects.splice(cluster.objects.indexOf(obj), 1)
  collectGarbage(cluster)
  return true
}

/** Deletes objects whose owner is gone (ownerReferences), like the garbage collector. */
export function collectGarbage(/** @type {any} */ cluster) {
  const uids = new Set(cluster.objects.map((/** @type {any} */ o) => o.metadata.uid))
  const orphans = cluster.objects.filter((/** @type {any} */ o) =>
    o.metadata.ownerReferences?.some((/** @type {any} */ ref) => !uids.has(ref.uid)),
  )
  for (const o of orphans) deleteObject(cluster, o)
}

/** Finishes deletions that were waiting for finalizers or contents (namespaces, CRDs). */
export function settleDeletions(/** @type {any} */ cluster) {
  for (let changed = true; changed;) {
    changed = false
    for (const o of cluster.objects.filter((/** @type {any} */ x) => x.metadata.deletionTimestamp)) {
      if (deleteObject(cluster, o)) changed = true
    }
  }
}

/** @param {any} owner @returns {any} an ownerReference to it */
export function ownerRef(owner) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  }
}
