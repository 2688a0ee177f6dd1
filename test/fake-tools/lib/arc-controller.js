// What the ARC controller does once installed: finalizers, version-skew deletion, one listener and
// `minRunners` runner pods per AutoscalingRunnerSet.
import crypto from 'node:crypto'

import {randomSuffix} from './common.js'
import {
  deleteObject,
  getObject,
  listObjects,
  newObject,
  ownerRef,
  putObject,
  runningPod,
  settleDeletions,
} from './kube.js'

export const ARS_FINALIZER = 'autoscalingrunnerset.actions.github.com/finalizer'

export const CLEANUP_FINALIZER = 'actions.github.com/cleanup-protection'

/** @param {string} version */
export const minorOf = (version) => String(version).split('.').slice(0, 2).join('.')

/** Controller deployments as the chart's `lookup` finds them. */
export const controllers = (/** @type {any} */ cluster) =>
  listObjects(cluster, 'Deployment', {selector: 'app.kubernetes.io/part-of=gha-rs-controller'}).filter(
    (/** @type {any} */ d) => !d.metadata.deletionTimestamp,
  )

/** Finds what the ARC controller owns for a scale set: its EphemeralRunnerSet, runners and listener. */
const listenerName = (/** @type {any} */ ars) =>
  `${ars.metadata.name}-${crypto.createHash('sha256').update(`${ars.metadata.namespace}/${ars.metadata.name}`).digest('hex').slice(0, 8)}-listener`

/** The ARC controller after any change: finalizers, version skew, listener and `minRunners` runner pods. */
export function reconcile(/** @type {any} */ cluster) {
  const controller = controllers(cluster)[0]
  if (!controller) {
    settleDeletions(cluster)
    return
  }
  const controllerNs = controller.metadata.namespace
  const controllerMinor = minorOf(controller.metadata.labels['app.kubernetes.io/version'])
  const arcKinds = ['AutoscalingRunnerSet', 'AutoscalingListener', 'EphemeralRunnerSet', 'EphemeralRunner']
  // Scale sets of another minor version are deleted by the controller (ARC issue 4422).
  for (const ars of listObjects(cluster, 'AutoscalingRunnerSet')) {
    if (minorOf(ars.metadata.labels?.['app.kubernetes.io/version'] ?? '') !== controllerMinor)
      deleteObject(cluster, ars)
  }
  // Deleted scale sets: remove what the controller created for them, then its finalizers.
  for (const ars of listObjects(cluster, 'AutoscalingRunnerSet').filter(
    (/** @type {any} */ a) => a.metadata.deletionTimestamp,
  )) {
    const listener = getObject(cluster, 'AutoscalingListener', controllerNs, listenerName(ars))
    if (listener) listener.metadata.finalizers = []
    if (listener) deleteObject(cluster, listener)
    for (const kind of ['EphemeralRunnerSet', 'EphemeralRunner']) {
      for (const o of listObjects(cluster, kind, {
        namespace: ars.metadata.namespace,
        selector: `actions.github.com/scale-set-name=${ars.metadata.name}`,
      })) {
        o.metadata.finalizers = []
        deleteObject(cluster, o)
      }
    }
    for (const [kind, name] of cleanupTargets(ars)) {
      const o = getObject(cluster, kind, ars.metadata.namespace, name)
      if (o?.metadata.finalizers)
        o.metadata.finalizers = o.metadata.finalizers.filter(
          (/** @type {string} */ f) => f !== CLEANUP_FINALIZER,
        )
    }
    ars.metadata.finalizers = []
  }
  for (const o of cluster.objects.filter(
    (/** @type {any} */ x) => x.metadata.deletionTimestamp && arcKinds.includes(x.kind),
  ))
    o.metadata.finalizers = []
  settleDeletions(cluster)
  for (const ars of listObjects(cluster, 'AutoscalingRunnerSet')) ensureScaleSet(cluster, ars, controller)
}

/**
 * removeFinalizersFromDependentResources: the controller frees exactly the objects the set's
 * `actions.github.com/cleanup-*` annotations name (as they are when the set is deleted); an object the chart
 * stopped rendering in an earlier upgrade is named nowhere and keeps its finalizer.
 */
function cleanupTargets(/** @type {any} */ ars) {
  const names = ars.metadata.annotations ?? {}
  return /** @type {[string, string][]} */ (
    [
      ['RoleBinding', 'kubernetes-mode-role-binding-name'],
      ['Role', 'kubernetes-mode-role-name'],
      ['ServiceAccount', 'kubernetes-mode-service-account-name'],
      ['ServiceAccount', 'no-permission-service-account-name'],
      ['Secret', 'github-secret-name'],
      ['RoleBinding', 'manager-role-binding'],
      ['Role', 'manager-role-name'],
    ]
      .map(([kind, key]) => [kind, names[`actions.github.com/cleanup-${key}`]])
      .filter(([, name]) => name)
  )
}

/** Keeps one listener and `minRunners` runners per scale set, like the controller's reconcile loop. */
function ensureScaleSet(/** @type {any} */ cluster, /** @type {any} */ ars, /** @type {any} */ controller) {
  const ns = ars.metadata.namespace
  const name = ars.metadata.name
  if (!ars.metadata.finalizers?.includes(ARS_FINALIZER))
    ars.metadata.finalizers = [...(ars.metadata.finalizers ?? []), ARS_FINALIZER]
  // Without its GitHub secret the controller cannot start a listener, so nothing runs.
  if (!getObject(cluster, 'Secret', ns, ars.spec.githubConfigSecret)) return
  const version = ars.metadata.labels?.['app.kubernetes.io/version']
  const setLabels = {
    'actions.github.com/scale-set-name': name,
    'actions.github.com/scale-set-namespace': ns,
    'app.kubernetes.io/part-of': 'gha-runner-scale-set',
    'app.kubernetes.io/version': version,
  }
  // Like ARC's RunnerSetSpecHash: scaling (min/max) does not replace runners, any other spec change does.
  const {minRunners: _min, maxRunners: _max, ...runnerSpec} = ars.spec
  const hash = crypto.createHash('sha256').update(JSON.stringify(runnerSpec)).digest('hex').slice(0, 16)
  let ers = listObjects(cluster, 'EphemeralRunnerSet', {
    namespace: ns,
    selector: `actions.github.com/scale-set-name=${name}`,
  })[0]
  if (ers && ers.metadata.annotations?.['actions.github.com/runner-spec-hash'] !== hash) {
    // A changed runner template replaces the whole runner set.
    for (const o of [
      ers,
      ...listObjects(cluster, 'EphemeralRunner', {
        namespace: ns,
        selector: `actions.github.com/scale-set-name=${name}`,
      }),
    ])
      o.metadata.finalizers = []
    deleteObject(cluster, ers)
    ers = undefined
  }
  const min = ars.spec.minRunners ?? 0
  if (!ers) {
    ers = putObject(
      cluster,
      newObject('EphemeralRunnerSet', `${name}-${randomSuffix()}`, ns, {
        metadata: {
          labels: setLabels,
          annotations: {'actions.github.com/runner-spec-hash': hash},
          ownerReferences: [ownerRef(ars)],
          finalizers: ['ephemeralrunner.actions.github.com/finalizer'],
        },
        spec: {
          replicas: min,
          ephemeralRunnerSpec: {
            githubConfigUrl: ars.spec.githubConfigUrl,
            githubConfigSecret: ars.spec.githubConfigSecret,
            spec: ars.spec.template.spec,
          },
        },
      }),
    )
  }
  ers.spec.replicas = min
  let runners = listObjects(cluster, 'EphemeralRunner', {
    namespace: ns,
    selector: `actions.github.com/scale-set-name=${name}`,
  })
  for (const runner of runners) {
    if (getObject(cluster, 'Pod', ns, runner.metadata.name)) continue
    runner.metadata.finalizers = [] // its pod was deleted: the runner is replaced
    deleteObject(cluster, runner)
  }
  runners = listObjects(cluster, 'EphemeralRunner', {
    namespace: ns,
    selector: `actions.github.com/scale-set-name=${name}`,
  })
  // Scaling down removes idle runners only: one with a job keeps it until the job is done (ARC's
  // EphemeralRunnerSet reconciler, deleteIdleEphemeralRunners).
  const idle = runners.filter((/** @type {any} */ runner) => !runner.status?.jobRequestId)
  for (const extra of idle.slice(0, Math.max(0, runners.length - min))) {
    extra.metadata.finalizers = []
    deleteObject(cluster, extra)
  }
  runners = listObjects(cluster, 'EphemeralRunner', {
    namespace: ns,
    selector: `actions.github.com/scale-set-name=${name}`,
  })
  const claim = ars.spec.template.spec.volumes?.find((/** @type {any} */ v) => v.ephemeral)?.ephemeral
    .volumeClaimTemplate.spec
  const pending =
    claim?.storageClassName && !getObject(cluster, 'StorageClass', undefined, claim.storageClassName)
  for (let i = runners.length; i < min; i++) {
    const runnerName = `${ers.metadata.name}-runner-${randomSuffix()}`
    const labels = {...setLabels, 'app.kubernetes.io/component': 'runner', 'actions-ephemeral-runner': 'True'}
    const runner = putObject(
      cluster,
      newObject('EphemeralRunner', runnerName, ns, {
        metadata: {
          labels,
          ownerReferences: [ownerRef(ers)],
          finalizers: ['ephemeralrunner.actions.github.com/finalizer'],
        },
        spec: {
          githubConfigUrl: ars.spec.githubConfigUrl,
          githubConfigSecret: ars.spec.githubConfigSecret,
          ...ars.spec.template,
        },
        status: {phase: pending ? 'Pending' : 'Running', ready: !pending},
      }),
    )
    const pod = runningPod(
      cluster,
      runnerName,
      ns,
      ars.spec.template.spec,
      {...(ars.spec.template.metadata?.labels ?? {}), ...labels},
      {ownerReferences: [ownerRef(runner)]},
    )
    // A pod the scheduler cannot place (a claim missing or on another node) leaves its runner Pending too.
    if (pod.status.phase === 'Pending') runner.status = {phase: 'Pending', ready: false}
    if (pending)
      pod.status = {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: `storageclass.storage.k8s.io "${claim.storageClassName}" not found`,
          },
        ],
      }
    putObject(cluster, pod)
  }
  const running = listObjects(cluster, 'Pod', {
    namespace: ns,
    selector: `actions.github.com/scale-set-name=${name},app.kubernetes.io/component=runner`,
  })
  const up = running.filter((/** @type {any} */ p) => p.status.phase === 'Running').length
  ars.status = {
    currentRunners: running.length,
    pendingEphemeralRunners: running.length - up,
    runningEphemeralRunners: up,
    failedEphemeralRunners: 0,
  }
  const controllerNs = controller.metadata.namespace
  if (!getObject(cluster, 'AutoscalingListener', controllerNs, listenerName(ars))) {
    const listenerLabels = {...setLabels, 'app.kubernetes.io/component': 'runner-scale-set-listener'}
    const listener = putObject(
      cluster,
      newObject('AutoscalingListener', listenerName(ars), controllerNs, {
        metadata: {labels: listenerLabels, finalizers: ['autoscalinglistener.actions.github.com/finalizer']},
        spec: {
          githubConfigUrl: ars.spec.githubConfigUrl,
          autoscalingRunnerSetName: name,
          autoscalingRunnerSetNamespace: ns,
          ephemeralRunnerSetName: ers.metadata.name,
          minRunners: min,
          maxRunners: ars.spec.maxRunners,
        },
      }),
    )
    const image = controller.spec.template.spec.containers[0].image
    const podSpec = {
      serviceAccountName: `${listenerName(ars)}`,
      containers: [{name: 'listener', image, command: ['/ghalistener']}],
    }
    putObject(
      cluster,
      runningPod(cluster, listenerName(ars), controllerNs, podSpec, listenerLabels, {
        ownerReferences: [ownerRef(listener)],
      }),
    )
  }
}
