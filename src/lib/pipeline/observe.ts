/**
 * The reconciler's first stage: what the cluster has, in three tool calls however many installations
 * there are. `docker inspect` of the kind node (there, running, its mounts, its Kubernetes version from
 * the node image's tag), then at once: everything in the scale sets' namespace (Helm's release records
 * and deskrun's Secrets and ConfigMaps, and with caches on a storage class its claims and the cluster's
 * storage classes) and the controller's release record.
 */
import {CONTROLLER_NAMESPACE, CONTROLLER_RELEASE, SCALE_SET_NAMESPACE} from '../domain/arc/charts.js'
import {nodeMounts} from '../domain/kind-config.js'
import {MANAGED_BY_LABEL, type KubeObject} from '../domain/kube.js'
import {
  emptyObservation,
  kubernetesVersionOfImage,
  kubernetesVersionOfNodes,
  type Observation,
  type ObservedCluster,
} from '../domain/reconcile/observation.js'
import {registerSecret} from '../domain/redact.js'
import {DeskrunError} from '../domain/errors.js'
import {isKindCluster, targetContext} from '../domain/settings.js'
import {RELEASE_SECRET_TYPE, latestReleases} from '../adapters/tools/helm-records.js'
import {nodeContainer} from './cluster.js'
import type {Deps} from './deps.js'

/** Older revisions (`superseded`) are never needed; objects without the label pass `!=`. */
const CURRENT = 'status!=superseded'
const RUNNER_SETS = 'autoscalingrunnersets.actions.github.com'
const STORAGE_CLASS = 'StorageClass'

/** `refresh`: also list the AutoscalingRunnerSets, to find those deleted behind Helm's back. */
export async function observe(deps: Deps, options: {refresh?: boolean} = {}): Promise<Observation> {
  const cluster = isKindCluster(deps.config) ? await observeKindNode(deps) : await observeExisting(deps)
  if (!cluster.exists || !cluster.running) return {...emptyObservation(), cluster}
  const {kubectl} = deps.tools
  // Only then: claims and storage classes are more than some users of a shared cluster may list.
  const claims = Object.values(deps.config.installations).some((one) => one.cacheStorage)
  const [runners, controller, runnerSets] = await Promise.all([
    kubectl.list(
      claims ? 'secrets,configmaps,persistentvolumeclaims,storageclasses' : 'secrets,configmaps',
      {namespace: SCALE_SET_NAMESPACE, selector: CURRENT},
      `read what deskrun deployed in ${SCALE_SET_NAMESPACE}`,
    ),
    kubectl.list(
      'secrets',
      {namespace: CONTROLLER_NAMESPACE, selector: `owner=helm,name=${CONTROLLER_RELEASE},${CURRENT}`},
      'read the release of the ARC controller',
    ),
    options.refresh
      ? kubectl.list(RUNNER_SETS, {namespace: SCALE_SET_NAMESPACE}, 'list the AutoscalingRunnerSets')
      : undefined,
  ])
  // A node image without a version tag: ask the API server.
  cluster.kubernetesVersion ??= await deps.tools.kubectl.serverVersion()
  deps.kubernetesVersion ??= Promise.resolve(cluster.kubernetesVersion)
  const objects = runners.filter(
    (object) =>
      object.type !== RELEASE_SECRET_TYPE &&
      object.kind !== STORAGE_CLASS &&
      object.metadata.labels?.[MANAGED_BY_LABEL] === 'deskrun',
  )
  for (const object of objects) if (object.kind === 'Secret') maskData(object)
  return {
    cluster,
    releases: latestReleases([...runners, ...controller]),
    objects,
    ...(claims
      ? {storageClasses: runners.filter((o) => o.kind === STORAGE_CLASS).map((o) => o.metadata.name)}
      : {}),
    ...(runnerSets ? {runnerSets: runnerSets.map((set) => set.metadata.name)} : {}),
  }
}

/** The kind node: there, running, its mounts, and its Kubernetes version from the node image's tag. */
async function observeKindNode(deps: Deps): Promise<ObservedCluster> {
  const {clusterName, cacheRoot} = deps.config
  const node = await deps.tools.docker.inspect(nodeContainer(clusterName))
  if (!node) return emptyObservation().cluster
  return {
    exists: true,
    running: node.running,
    ...nodeMounts(node.mounts, cacheRoot),
    kubernetesVersion: kubernetesVersionOfImage(node.image),
  }
}

/**
 * A cluster deskrun did not create: it is there by definition, so one it cannot reach is an error that
 * says which context and what to check. Caches live on its nodes (no mount from this machine).
 */
async function observeExisting(deps: Deps): Promise<ObservedCluster> {
  const context = targetContext(deps.config)
  try {
    const nodes = await deps.tools.kubectl.nodes()
    const ready = nodes.filter((node) => node.ready)
    const kubernetesVersion = kubernetesVersionOfNodes(nodes.flatMap((node) => node.kubeletVersion ?? []))
    return {exists: true, running: true, kubernetesVersion, nodes: ready.map((node) => node.name)}
  } catch (error) {
    if (!(error instanceof DeskrunError) || error.code !== 'TOOL_FAILED') throw error
    throw new DeskrunError(`The cluster of kube context "${context}" does not answer.\n${error.message}`, {
      code: 'CLUSTER_UNREACHABLE',
      hint: `Check it with: kubectl --context ${context} get nodes\nOr go back to deskrun's own kind cluster: deskrun cluster use --kind`,
    })
  }
}

/** The credentials read back are as secret as those in the config. */
function maskData(secret: KubeObject): void {
  for (const value of Object.values((secret.data as Record<string, string> | undefined) ?? {})) {
    registerSecret(value)
    registerSecret(Buffer.from(value, 'base64').toString('utf8'))
  }
}

/** The cluster's Kubernetes version (modes may render for it): the node image's tag, else the API server. */
export async function kubernetesVersionOf(deps: Deps) {
  deps.kubernetesVersion ??= (async () => {
    const node = await deps.tools.docker.inspect(nodeContainer(deps.config.clusterName))
    return (node && kubernetesVersionOfImage(node.image)) ?? deps.tools.kubectl.serverVersion()
  })()
  return deps.kubernetesVersion
}
