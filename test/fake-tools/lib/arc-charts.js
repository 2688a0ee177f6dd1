// What the two ARC charts render, after the 0.14.2 templates: the controller's CRDs, ServiceAccount and
// Deployment; the scale set's Secret, RBAC and AutoscalingRunnerSet, or the chart's render errors.
import crypto from 'node:crypto'
import path from 'node:path'

import {CLEANUP_FINALIZER, controllers} from './arc-controller.js'
import {ToolError} from './common.js'
import {TYPES, crdName, kubernetesVersion, newObject} from './kube.js'

export const CONTROLLER_CHART = 'gha-runner-scale-set-controller'

export const SCALE_SET_CHART = 'gha-runner-scale-set'

const REPOSITORY = 'ghcr.io/actions/actions-runner-controller-charts'

/** Published versions of both charts (newest last). */
export const CHART_VERSIONS = [
  '0.4.0', '0.5.0', '0.6.0', '0.6.1', '0.7.0', '0.8.0', '0.8.1', '0.8.2', '0.8.3', '0.9.0', '0.9.1', '0.9.2', '0.9.3',
  '0.10.0', '0.10.1', '0.11.0', '0.12.0', '0.12.1', '0.13.0', '0.13.1', '0.14.0', '0.14.1', '0.14.2',
] // prettier-ignore

/**
 * Resolves `oci://ghcr.io/actions/actions-runner-controller-charts/<chart>` + `--version` like helm's OCI
 * getter, with its error wording for anything else.
 * @param {string} ref @param {string | undefined} version @returns {{chart: string, version: string}}
 */
export function resolveChart(ref, version) {
  if (!ref.startsWith('oci://')) {
    if (!ref.includes('/'))
      throw new ToolError(`non-absolute URLs should be in form of repo_name/path_to_chart, got: ${ref}`)
    throw new ToolError(`repo ${ref.split('/')[0]} not found`)
  }
  const path = ref.slice('oci://'.length)
  const chart = path.slice(REPOSITORY.length + 1)
  const resolved = version ?? CHART_VERSIONS[CHART_VERSIONS.length - 1]
  const known = path.startsWith(`${REPOSITORY}/`) && [CONTROLLER_CHART, SCALE_SET_CHART].includes(chart)
  if (!known || !CHART_VERSIONS.includes(resolved.replace(/^v/, '')))
    throw new ToolError(`failed to perform "FetchReference" on source: ${path}:${resolved}: not found`)
  return {chart, version: resolved.replace(/^v/, '')}
}

/** @param {string} chart @param {string} version */
export const pulled = (chart, version) =>
  `Pulled: ${REPOSITORY}/${chart}:${version}\nDigest: sha256:${crypto
    .createHash('sha256')
    .update(chart + version)
    .digest('hex')}\n`

/** Helm's value merge: maps merge deeply, anything else replaces, null deletes. @returns {any} */
export function mergeValues(/** @type {any} */ base, /** @type {any} */ over) {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over
  const result = {...base}
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete result[key]
    else result[key] = mergeValues(result[key], value)
  }
  return result
}

const isMap = (/** @type {unknown} */ v) => typeof v === 'object' && v !== null && !Array.isArray(v)

const SCALE_SET_DEFAULTS = {
  githubConfigUrl: '',
  scaleSetLabels: [],
  githubConfigSecret: {github_token: ''},
  template: {
    spec: {
      containers: [
        {name: 'runner', image: 'ghcr.io/actions/actions-runner:latest', command: ['/home/runner/run.sh']},
      ],
    },
  },
  namespaceOverride: '',
}

const CONTROLLER_DEFAULTS = {
  replicaCount: 1,
  serviceAccount: {create: true, name: ''},
  flags: {logLevel: 'debug'},
}

/** Chart defaults merged with the user's values (`helm get values --all`). */
export const computedValues = (/** @type {string} */ chart, /** @type {any} */ values) =>
  mergeValues(chart === CONTROLLER_CHART ? CONTROLLER_DEFAULTS : SCALE_SET_DEFAULTS, values ?? {})

/** Helm ownership metadata on everything a release creates. */
function owned(/** @type {any} */ obj, /** @type {string} */ release, /** @type {string} */ namespace) {
  obj.metadata.labels = {...obj.metadata.labels, 'app.kubernetes.io/managed-by': 'Helm'}
  obj.metadata.annotations = {
    ...obj.metadata.annotations,
    'meta.helm.sh/release-name': release,
    'meta.helm.sh/release-namespace': namespace,
  }
  return obj
}

/** The controller chart: CRDs (install only, never upgraded), ServiceAccount, Deployment (+ its pod). */
export function renderController(/** @type {any} */ cluster, /** @type {any} */ r) {
  const values = computedValues(CONTROLLER_CHART, r.values)
  const fullname = r.release.includes('gha-rs-controller') ? r.release : `${r.release}-gha-rs-controller`
  const sa = values.serviceAccount?.name || fullname
  const selector = {
    'app.kubernetes.io/name': 'gha-rs-controller',
    'app.kubernetes.io/namespace': r.namespace,
    'app.kubernetes.io/instance': r.release,
  }
  const labels = {
    'helm.sh/chart': `gha-rs-controller-${r.version}`,
    ...selector,
    'app.kubernetes.io/version': r.version,
    'app.kubernetes.io/part-of': 'gha-rs-controller',
    'actions.github.com/controller-service-account-namespace': r.namespace,
    'actions.github.com/controller-service-account-name': sa,
    ...(values.flags?.watchSingleNamespace
      ? {'actions.github.com/controller-watch-single-namespace': values.flags.watchSingleNamespace}
      : {}),
  }
  const podLabels = {
    ...selector,
    'app.kubernetes.io/part-of': 'gha-rs-controller',
    'app.kubernetes.io/component': 'controller-manager',
    'app.kubernetes.io/version': r.version,
  }
  const container = {
    name: 'manager',
    image: `ghcr.io/actions/gha-runner-scale-set-controller:${r.version}`,
    command: ['/manager'],
  }
  const podSpec = {serviceAccountName: sa, containers: [container]}
  const deployment = newObject('Deployment', fullname, r.namespace, {
    metadata: {labels},
    spec: {
      replicas: values.replicaCount ?? 1,
      selector: {matchLabels: selector},
      template: {metadata: {labels: podLabels}, spec: podSpec},
    },
    status: {replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1},
  })
  const objects = [deployment]
  if (values.serviceAccount?.create !== false)
    objects.unshift(newObject('ServiceAccount', sa, r.namespace, {metadata: {labels}}))
  const crds = TYPES.filter((t) => t.crd).map((t) =>
    newObject('CustomResourceDefinition', crdName(t), undefined, {
      metadata: {annotations: {'controller-gen.kubebuilder.io/version': 'v0.17.2'}},
      spec: {
        group: t.group,
        names: {kind: t.kind, listKind: `${t.kind}List`, plural: t.plural, singular: t.singular},
        scope: 'Namespaced',
        versions: [{name: t.version, served: true, storage: true, subresources: {status: {}}}],
      },
      status: {
        conditions: [{type: 'Established', status: 'True'}],
        acceptedNames: {kind: t.kind, plural: t.plural},
      },
    }),
  )
  return {objects: objects.map((o) => owned(o, r.release, r.namespace)), crds, podTemplate: podSpec}
}

/** A template execution error, worded and located as helm reports it for the 0.14.2 templates. */
const renderError = (/** @type {string} */ at, /** @type {string} */ message) =>
  new ToolError(`execution error at (gha-runner-scale-set/templates/${at}): ${message}`)

const MODES = ['dind', 'kubernetes', 'kubernetes-novolume']

const MANAGER_RULES = [
  {apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get']},
  {apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update']},
  {
    apiGroups: ['rbac.authorization.k8s.io'],
    resources: ['roles', 'rolebindings'],
    verbs: ['create', 'delete', 'get', 'patch', 'update'],
  },
]

/** The chart's controller discovery (only when controllerServiceAccount is not given). */
function discoverController(
  /** @type {any} */ cluster,
  /** @type {'name' | 'namespace'} */ field,
  /** @type {string} */ namespace,
) {
  const found = controllers(cluster)
  const single = found.filter(
    (/** @type {any} */ d) => 'actions.github.com/controller-watch-single-namespace' in d.metadata.labels,
  )
  const multi = found.filter((/** @type {any} */ d) => !single.includes(d))
  const at = field === 'name' ? 'manager_role_binding.yaml:42:11' : 'manager_role_binding.yaml:43:16'
  const hint = `Consider setting controllerServiceAccount.${field} in values.yaml to be explicit if you think the discovery is wrong.`
  if (found.length === 0)
    throw renderError(
      at,
      `No gha-rs-controller deployment found using label (app.kubernetes.io/part-of=gha-rs-controller). ${hint}`,
    )
  if (multi.length && single.length)
    throw renderError(
      at,
      `Found both gha-rs-controller installed with flags.watchSingleNamespace set and unset in cluster, this is not supported. ${hint}`,
    )
  if (multi.length > 1)
    throw renderError(
      at,
      `More than one gha-rs-controller deployment found using label (app.kubernetes.io/part-of=gha-rs-controller). ${hint}`,
    )
  const deployment =
    multi[0] ??
    single.find(
      (/** @type {any} */ d) =>
        d.metadata.labels['actions.github.com/controller-watch-single-namespace'] === namespace,
    )
  if (!deployment)
    throw renderError(
      at,
      `No gha-rs-controller deployment that watch this namespace found using label (actions.github.com/controller-watch-single-namespace). ${hint}`,
    )
  return deployment.metadata.labels[`actions.github.com/controller-service-account-${field}`]
}

/**
 * The scale set chart: fails where its templates fail (in helm's template order), otherwise returns the
 * github Secret, the runner ServiceAccount (with the kube-mode Role and RoleBinding), the manager RBAC and
 * the AutoscalingRunnerSet.
 */
export function renderScaleSet(/** @type {any} */ cluster, /** @type {any} */ r) {
  const values = computedValues(SCALE_SET_CHART, r.values)
  const name = String(values.runnerScaleSetName || r.release)
  const namespace = values.namespaceOverride || r.namespace
  const fullname = `${name}-gha-rs`.replaceAll('_', '-')
  const mode = values.containerMode?.type
  const kubeMode = mode === 'kubernetes' || mode === 'kubernetes-novolume'
  const csa = values.controllerServiceAccount ?? {}
  // manager_role_binding.yaml renders first (helm renders templates in reverse name order).
  const managerName = csa.name || discoverController(cluster, 'name', namespace)
  const managerNamespace = csa.namespace || discoverController(cluster, 'namespace', namespace)
  const secret = values.githubConfigSecret
  const objects = []
  if (typeof secret !== 'string') {
    const required = 'Values.githubConfigSecret is required for setting auth with GitHub server.'
    if (secret === null || secret === undefined) throw renderError('githubsecret.yaml:41:42', required)
    const data = Object.fromEntries(
      Object.entries(secret)
        .filter(([, v]) => v)
        .map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')]),
    )
    const valid =
      'A valid .Values.githubConfigSecret is required for setting auth with GitHub server, provide'
    if (!data.github_token && !data.github_app_id)
      throw renderError(
        'githubsecret.yaml:59:8',
        `${valid} .Values.githubConfigSecret.github_token or .Values.githubConfigSecret.github_app_id.`,
      )
    if (data.github_app_id && (!data.github_app_installation_id || !data.github_app_private_key))
      throw renderError(
        'githubsecret.yaml:62:8',
        `${valid} .Values.githubConfigSecret.github_app_installation_id and .Values.githubConfigSecret.github_app_private_key.`,
      )
    objects.push(
      newObject('Secret', `${fullname}-github-secret`, namespace, {
        metadata: {finalizers: [CLEANUP_FINALIZER]},
        type: 'Opaque',
        data,
      }),
    )
  }
  if (!name || name.length > 45)
    throw renderError('autoscalingrunnerset.yaml:7:5', 'Name must have up to 45 characters')
  if (namespace.length > 63)
    throw renderError('autoscalingrunnerset.yaml:10:5', 'Namespace must have up to 63 characters')
  if (!values.githubConfigUrl)
    throw renderError('autoscalingrunnerset.yaml:70:22', '.Values.githubConfigUrl is required')
  if (secret === '')
    throw renderError(
      'autoscalingrunnerset.yaml:71:25',
      'Values.githubConfigSecret is required for setting auth with GitHub server.',
    )
  for (const label of Array.isArray(values.scaleSetLabels) ? values.scaleSetLabels : []) {
    if (!label)
      throw renderError(
        'autoscalingrunnerset.yaml:81:8',
        'scaleSetLabels contains an empty string, each label must be a non-empty string of less than 256 characters',
      )
    if (String(label).length >= 256)
      throw renderError(
        'autoscalingrunnerset.yaml:84:8',
        'scaleSetLabels contains a label that is 256 characters or more, each label must be a non-empty string of less than 256 characters',
      )
  }
  const {minRunners: min, maxRunners: max} = values
  const isNum = (/** @type {unknown} */ v) => typeof v === 'number'
  if (isNum(min) && isNum(max) && min > max)
    throw renderError(
      'autoscalingrunnerset.yaml:142:10',
      'maxRunners has to be greater or equal to minRunners',
    )
  if (isNum(max) && max < 0)
    throw renderError('autoscalingrunnerset.yaml:148:10', 'maxRunners has to be greater or equal to 0')
  if (isNum(min) && min < 0)
    throw renderError('autoscalingrunnerset.yaml:155:10', 'minRunners has to be greater or equal to 0')
  // Stricter than the real chart, which renders these silently and leaves the controller or the API server to fail later.
  if (mode && !MODES.includes(mode))
    throw renderError(
      'autoscalingrunnerset.yaml:232:10',
      `containerMode.type must be one of ${MODES.join(', ')}, got "${mode}"`,
    )
  if (mode === 'kubernetes' && !values.containerMode.kubernetesModeWorkVolumeClaim)
    throw renderError(
      'autoscalingrunnerset.yaml:281:10',
      'containerMode.kubernetesModeWorkVolumeClaim is required when containerMode.type=kubernetes',
    )

  // kube_mode_*.yaml and no_permission_serviceaccount.yaml: the runner's ServiceAccount (plus, in the
  // kubernetes modes, the Role and RoleBinding the container hook needs), all with the cleanup finalizer.
  const spec = values.template?.spec ?? {}
  const runnerAccount = `${fullname}-${kubeMode ? 'kube-mode' : 'no-permission'}`
  const cleanup = {metadata: {finalizers: [CLEANUP_FINALIZER]}}
  if (!spec.serviceAccountName) objects.push(newObject('ServiceAccount', runnerAccount, namespace, cleanup))
  if (!spec.serviceAccountName && kubeMode) {
    objects.push(newObject('Role', runnerAccount, namespace, {...cleanup, rules: kubeModeRules(values)}))
    objects.push(
      newObject('RoleBinding', runnerAccount, namespace, {
        ...cleanup,
        roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: runnerAccount},
        subjects: [{kind: 'ServiceAccount', name: runnerAccount, namespace}],
      }),
    )
  }
  // The chart reads the server's version (.Capabilities.KubeVersion) for the dind sidecar's layout.
  const podTemplate = renderPodTemplate(values, fullname, Number(kubernetesVersion(cluster).split('.')[1]))
  const labels = {
    'app.kubernetes.io/component': 'autoscaling-runner-set',
    'helm.sh/chart': `gha-rs-${r.version}`,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/version': r.version,
    'app.kubernetes.io/part-of': 'gha-rs',
    'actions.github.com/scale-set-name': name,
    'actions.github.com/scale-set-namespace': namespace,
  }
  const annotations = {
    'actions.github.com/values-hash': crypto
      .createHash('sha256')
      .update(JSON.stringify(values))
      .digest('hex')
      .slice(0, 63),
    'actions.github.com/cleanup-manager-role-binding': `${fullname}-manager`,
    'actions.github.com/cleanup-manager-role-name': `${fullname}-manager`,
    ...(typeof secret !== 'string'
      ? {'actions.github.com/cleanup-github-secret-name': `${fullname}-github-secret`}
      : {}),
    // What the controller frees of the cleanup finalizer once this AutoscalingRunnerSet is deleted.
    ...(spec.serviceAccountName
      ? {}
      : kubeMode
        ? {
            'actions.github.com/cleanup-kubernetes-mode-role-binding-name': runnerAccount,
            'actions.github.com/cleanup-kubernetes-mode-role-name': runnerAccount,
            'actions.github.com/cleanup-kubernetes-mode-service-account-name': runnerAccount,
          }
        : {'actions.github.com/cleanup-no-permission-service-account-name': runnerAccount}),
  }
  const arsSpec = {
    githubConfigUrl: String(values.githubConfigUrl).replace(/\/$/, ''),
    githubConfigSecret: typeof secret === 'string' ? secret : `${fullname}-github-secret`,
    ...(values.runnerGroup ? {runnerGroup: values.runnerGroup} : {}),
    ...(values.runnerScaleSetName ? {runnerScaleSetName: values.runnerScaleSetName} : {}),
    ...(values.scaleSetLabels?.length ? {runnerScaleSetLabels: values.scaleSetLabels} : {}),
    ...(values.githubServerTLS ? {githubServerTLS: serverTLSSpec(values.githubServerTLS)} : {}),
    ...(values.proxy ? {proxy: proxySpec(values.proxy)} : {}),
    ...(isNum(max) ? {maxRunners: Math.trunc(max)} : {}),
    ...(isNum(min) ? {minRunners: Math.trunc(min)} : {}),
    ...(values.listenerTemplate ? {listenerTemplate: values.listenerTemplate} : {}),
    template: podTemplate,
  }
  const manager = {metadata: {finalizers: [CLEANUP_FINALIZER]}}
  // manager_role.yaml: the controller reads the CA ConfigMap named by githubServerTLS.
  const rules = values.githubServerTLS
    ? [...MANAGER_RULES, {apiGroups: [''], resources: ['configmaps'], verbs: ['get']}]
    : MANAGER_RULES
  objects.push(newObject('Role', `${fullname}-manager`, namespace, {...manager, rules}))
  objects.push(
    newObject('RoleBinding', `${fullname}-manager`, namespace, {
      ...manager,
      roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${fullname}-manager`},
      subjects: [{kind: 'ServiceAccount', name: managerName, namespace: managerNamespace}],
    }),
  )
  objects.push(
    newObject('AutoscalingRunnerSet', name.replaceAll('_', '-'), namespace, {
      metadata: {labels, annotations},
      spec: arsSpec,
    }),
  )
  return {objects: objects.map((o) => owned(o, r.release, r.namespace)), crds: [], podTemplate}
}

/** autoscalingrunnerset.yaml `proxy`: only url and credentialSecretRef per scheme, noProxy only as a list. */
function proxySpec(/** @type {any} */ proxy) {
  /** @type {any} */
  const spec = {}
  for (const scheme of ['http', 'https']) {
    const endpoint = proxy[scheme]
    if (!endpoint) continue
    spec[scheme] = {
      url: endpoint.url,
      ...(endpoint.credentialSecretRef ? {credentialSecretRef: endpoint.credentialSecretRef} : {}),
    }
  }
  if (Array.isArray(proxy.noProxy) && proxy.noProxy.length > 0) spec.noProxy = proxy.noProxy
  return spec
}

/** autoscalingrunnerset.yaml `githubServerTLS`: only the ConfigMap reference (runnerMountPath shapes the pod). */
function serverTLSSpec(/** @type {any} */ tls) {
  const ref = tls.certificateFrom?.configMapKeyRef
  return tls.certificateFrom ? {certificateFrom: {configMapKeyRef: {name: ref?.name, key: ref?.key}}} : {}
}

/**
 * With githubServerTLS.runnerMountPath, every mode's runner container gets the CA (a subPath mount of the
 * ConfigMap key), NODE_EXTRA_CA_CERTS pointing at it and RUNNER_UPDATE_CA_CERTS=1, each only when the
 * user's runner has none of that name; the pod gets the `github-server-tls-cert` volume first.
 */
function withServerTLS(/** @type {any} */ spec, /** @type {any} */ tls) {
  if (!tls?.runnerMountPath) return
  const {name, key} = tls.certificateFrom.configMapKeyRef
  const at = path.posix.normalize(`${tls.runnerMountPath}/${key}`)
  const volume = 'github-server-tls-cert'
  spec.containers = spec.containers.map((/** @type {any} */ container) => {
    if (container.name !== 'runner') return container
    const env = container.env ?? []
    const mounts = container.volumeMounts ?? []
    const absent = (/** @type {any[]} */ list, /** @type {string} */ n) => !list.some((x) => x.name === n)
    return {
      ...container,
      env: [
        ...env,
        ...(absent(env, 'NODE_EXTRA_CA_CERTS') ? [{name: 'NODE_EXTRA_CA_CERTS', value: at}] : []),
        ...(absent(env, 'RUNNER_UPDATE_CA_CERTS') ? [{name: 'RUNNER_UPDATE_CA_CERTS', value: '1'}] : []),
      ],
      volumeMounts: [
        ...mounts,
        ...(absent(mounts, volume) ? [{name: volume, mountPath: at, subPath: key}] : []),
      ],
    }
  })
  spec.volumes = [{name: volume, configMap: {name, items: [{key, path: key}]}}, ...(spec.volumes ?? [])]
}

/** kube_mode_role.yaml: what the container hook may do in the scale set's namespace. */
function kubeModeRules(/** @type {any} */ values) {
  const {type, kubernetesModeAdditionalRoleRules: more = []} = values.containerMode
  return [
    {apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'create', 'delete']},
    {apiGroups: [''], resources: ['pods/exec'], verbs: ['get', 'create']},
    {apiGroups: [''], resources: ['pods/log'], verbs: ['get', 'list', 'watch']},
    ...(type === 'kubernetes-novolume'
      ? []
      : [{apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'create', 'delete']}]),
    {apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'create', 'delete']},
    ...more,
  ]
}

/**
 * `template` of the AutoscalingRunnerSet, as autoscalingrunnerset.yaml builds it for each containerMode. On
 * servers before 1.29 (no native sidecars) the dind container is a regular container without probe.
 */
function renderPodTemplate(
  /** @type {any} */ values,
  /** @type {string} */ fullname,
  /** @type {number} */ serverMinor,
) {
  const mode = values.containerMode?.type
  const user = values.template?.spec ?? {}
  const containers = user.containers ?? []
  const runner = containers.find((/** @type {any} */ c) => c.name === 'runner') ?? {}
  /** @type {any} */
  const spec = {}
  for (const [key, value] of Object.entries(user))
    if (!['containers', 'volumes', 'initContainers', 'serviceAccountName'].includes(key)) spec[key] = value
  spec.restartPolicy ??= 'Never'
  const kubeMode = mode === 'kubernetes' || mode === 'kubernetes-novolume'
  spec.serviceAccountName =
    user.serviceAccountName || `${fullname}-${kubeMode ? 'kube-mode' : 'no-permission'}`
  /** Runner container: user's keys, then env and mounts added only when absent. */
  const withRunner = (/** @type {[string, any][]} */ env, /** @type {any[]} */ mounts, more = {}) => {
    const {name: _name, env: userEnv = [], volumeMounts: userMounts = [], ...rest} = runner
    const has = (/** @type {any[]} */ list, /** @type {string} */ n) => list.some((x) => x.name === n)
    return {
      name: 'runner',
      ...rest,
      env: [
        ...userEnv,
        ...env
          .filter(([n]) => !has(userEnv, n))
          .map(([n, v]) => (typeof v === 'string' ? {name: n, value: v} : {name: n, valueFrom: v})),
      ],
      volumeMounts: [...userMounts, ...mounts.filter((m) => !has(userMounts, m.name))],
      ...more,
    }
  }
  const others = containers.filter((/** @type {any} */ c) => c.name !== 'runner')
  const podName = {fieldRef: {fieldPath: 'metadata.name'}}
  const userVolumes = user.volumes ?? []
  const work = userVolumes.find((/** @type {any} */ v) => v.name === 'work')
  const nonWork = userVolumes.filter((/** @type {any} */ v) => v.name !== 'work')
  if (mode === 'dind') {
    const sock = {name: 'dind-sock', mountPath: '/var/run'}
    const nativeSidecar = serverMinor >= 29
    const dind = {
      name: 'dind',
      image: 'docker:dind',
      args: ['dockerd', '--host=unix:///var/run/docker.sock', '--group=$(DOCKER_GROUP_GID)'],
      env: [{name: 'DOCKER_GROUP_GID', value: '123'}],
      securityContext: {privileged: true},
      ...(nativeSidecar
        ? {
            restartPolicy: 'Always',
            startupProbe: {
              exec: {command: ['docker', 'info']},
              initialDelaySeconds: 0,
              failureThreshold: 24,
              periodSeconds: 5,
            },
          }
        : {}),
      volumeMounts: [
        {name: 'work', mountPath: '/home/runner/_work'},
        sock,
        {name: 'dind-externals', mountPath: '/home/runner/externals'},
      ],
    }
    spec.initContainers = [
      {
        name: 'init-dind-externals',
        image: runner.image,
        command: ['cp'],
        args: ['-r', '/home/runner/externals/.', '/home/runner/tmpDir/'],
        volumeMounts: [{name: 'dind-externals', mountPath: '/home/runner/tmpDir'}],
      },
      ...(nativeSidecar ? [dind] : []),
      ...(user.initContainers ?? []),
    ]
    spec.containers = [
      withRunner(
        [
          ['DOCKER_HOST', 'unix:///var/run/docker.sock'],
          ['RUNNER_WAIT_FOR_DOCKER_IN_SECONDS', '120'],
        ],
        [{name: 'work', mountPath: '/home/runner/_work'}, sock],
      ),
      ...(nativeSidecar ? [] : [dind]),
      ...others.filter((/** @type {any} */ c) => c.name !== 'dind'),
    ]
    spec.volumes = [
      {name: 'dind-sock', emptyDir: {}},
      {name: 'dind-externals', emptyDir: {}},
      work ?? {name: 'work', emptyDir: {}},
      ...nonWork,
    ]
    withServerTLS(spec, values.githubServerTLS)
    return {spec}
  }
  // `if or .Values.template.spec.initContainers (eq $containerMode.type "dind")`: an empty list is false.
  if (user.initContainers?.length) spec.initContainers = user.initContainers
  if (mode === 'kubernetes') {
    const env = [
      ['ACTIONS_RUNNER_CONTAINER_HOOKS', '/home/runner/k8s/index.js'],
      ['ACTIONS_RUNNER_POD_NAME', podName],
      ['ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER', 'true'],
    ]
    spec.containers = [
      withRunner(/** @type {[string, any][]} */ (env), [{name: 'work', mountPath: '/home/runner/_work'}]),
      ...others,
    ]
    const claim = {
      name: 'work',
      ephemeral: {volumeClaimTemplate: {spec: values.containerMode.kubernetesModeWorkVolumeClaim}},
    }
    spec.volumes = [work ?? claim, ...nonWork]
  } else if (mode === 'kubernetes-novolume') {
    const env = [
      ['ACTIONS_RUNNER_CONTAINER_HOOKS', '/home/runner/k8s-novolume/index.js'],
      ['ACTIONS_RUNNER_POD_NAME', podName],
      ['ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER', 'true'],
      ['ACTIONS_RUNNER_IMAGE', runner.image ?? ''],
    ]
    spec.containers = [withRunner(/** @type {[string, any][]} */ (env), []), ...others]
    spec.volumes = userVolumes
  } else {
    spec.containers = containers
    if (userVolumes.length) spec.volumes = userVolumes
  }
  withServerTLS(spec, values.githubServerTLS)
  const metadata = values.template?.metadata
  return metadata ? {metadata, spec} : {spec}
}
