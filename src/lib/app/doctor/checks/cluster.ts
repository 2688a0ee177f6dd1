/** The kind cluster: there, answering, mounting the cache root, and running a matching ARC controller. */
import {
  ARC_CRDS,
  CONTROLLER_CHART_NAME,
  CONTROLLER_NAMESPACE,
  CONTROLLER_RELEASE,
  SCALE_SET_NAMESPACE,
  chartVersionOf,
} from '../../../domain/arc/charts.js'
import {minorOf} from '../../../domain/arc/chart-versions.js'
import {hasCacheMount} from '../../../domain/kind-config.js'
import {NODE_CACHE_ROOT, kubeContext} from '../../../domain/settings.js'
import {nodeContainer} from '../../../pipeline/cluster.js'
import {probe, reason} from '../../../adapters/tools/index.js'
import {usable, type CheckState, type DoctorContext} from '../context.js'
import {fail, ok, warn, type Check} from '../types.js'

const RECREATE = 'deskrun cluster delete && deskrun up (your config and the caches on disk are kept)'

/** Without installations nothing needs to run yet, so an absent cluster or controller is fine. */
function notYet(ctx: DoctorContext, base: Pick<Check, 'id' | 'title'>, what: string): Check {
  return ctx.installations > 0
    ? warn({...base, found: `${what} not there yet`, fix: 'deskrun up brings it up from your config.'})
    : ok({...base, found: `${what} not there yet (deskrun add creates it)`})
}

const notChecked = (base: Pick<Check, 'id' | 'title'>, needs: string): Check =>
  warn({...base, found: `not checked: needs ${needs}`, fix: 'Fix the checks above first.'})

export async function checkCluster(ctx: DoctorContext, state: CheckState): Promise<Check> {
  const base = {id: 'cluster', title: 'Cluster'} as const
  if (ctx.existingContext) return checkExistingCluster(ctx, state, ctx.existingContext)
  if (!usable(state, 'docker') || !usable(state, 'kind')) return notChecked(base, 'Docker and kind')
  const clusters = await probe(ctx.tools.kind.clusters())
  if (!clusters.ok) {
    return fail({
      ...base,
      found: `kind cannot list clusters: ${reason(clusters.error)}`,
      fix: 'Check that `docker ps` works.',
    })
  }
  state.clusterExists = clusters.value.includes(ctx.clusterName)
  if (!state.clusterExists) return notYet(ctx, base, `kind cluster "${ctx.clusterName}"`)

  const context = kubeContext(ctx.clusterName)
  if (!usable(state, 'kubectl')) return notChecked(base, 'kubectl to reach the cluster')
  const nodes = await probe(ctx.tools.kubectl.nodes())
  if (!nodes.ok) {
    state.clusterReachable = false
    return fail({
      ...base,
      found: `"${ctx.clusterName}" exists but does not answer: ${reason(nodes.error)}`,
      fix: `After a reboot its node may be stopped: docker start ${nodeContainer(ctx.clusterName)}. Otherwise recreate it: ${RECREATE}`,
    })
  }
  state.clusterReachable = true
  const notReady = nodes.value.filter((node) => !node.ready)
  if (nodes.value.length === 0 || notReady.length > 0) {
    return warn({
      ...base,
      found: `"${ctx.clusterName}" answers, but ${nodes.value.length === 0 ? 'has no nodes' : `${notReady.map((node) => node.name).join(', ')} not Ready`}`,
      fix: `Give it a minute; if it stays so: docker logs ${nodeContainer(ctx.clusterName)}`,
    })
  }
  return ok({
    ...base,
    found: `"${ctx.clusterName}" (context ${context}): ${nodes.value.length} node(s) Ready`,
  })
}

/** A cluster deskrun did not create: it must answer at its context and have Ready nodes. */
async function checkExistingCluster(ctx: DoctorContext, state: CheckState, context: string): Promise<Check> {
  const base = {id: 'cluster', title: 'Cluster'} as const
  if (!usable(state, 'kubectl')) return notChecked(base, 'kubectl to reach the cluster')
  const nodes = await probe(ctx.tools.kubectl.nodes())
  state.clusterExists = nodes.ok
  state.clusterReachable = nodes.ok
  if (!nodes.ok)
    return fail({
      ...base,
      found: `kube context "${context}" does not answer: ${reason(nodes.error)}`,
      fix: `Check it with: kubectl --context ${context} get nodes. Or go back to deskrun's own kind cluster: deskrun cluster use --kind`,
    })
  const notReady = nodes.value.filter((node) => !node.ready).map((node) => node.name)
  if (notReady.length > 0)
    return warn({
      ...base,
      found: `context ${context}: ${notReady.join(', ')} not Ready`,
      fix: `kubectl --context ${context} describe nodes`,
    })
  return ok({...base, found: `existing cluster, context ${context}: ${nodes.value.length} node(s) Ready`})
}

/**
 * What deskrun does that needs more than a namespace's rights: read the nodes (up reads them to pin
 * instances with caches), create namespaces, ARC's CRDs and its cluster roles.
 */
const NEEDED: [verb: string, resource: string, namespace?: string][] = [
  ['list', 'nodes'],
  ['create', 'namespaces'],
  ['create', 'customresourcedefinitions.apiextensions.k8s.io'],
  ['create', 'clusterroles.rbac.authorization.k8s.io'],
  ['create', 'clusterrolebindings.rbac.authorization.k8s.io'],
]
/** With caches on a storage class: up reads the cluster's storage classes and creates a claim per instance. */
const NEEDED_FOR_CLAIMS: typeof NEEDED = [
  ['list', 'storageclasses.storage.k8s.io'],
  ['create', 'persistentvolumeclaims', SCALE_SET_NAMESPACE],
]

/** On an existing cluster the user's rights are not a given (kind makes them cluster-admin). */
export async function checkPermissions(ctx: DoctorContext, state: CheckState): Promise<Check | undefined> {
  if (!ctx.existingContext) return undefined
  const base = {id: 'permissions', title: 'Permissions'} as const
  if (!state.clusterReachable) return notChecked(base, 'a cluster that answers')
  const needed = [...NEEDED, ...(ctx.cacheClaims ? NEEDED_FOR_CLAIMS : [])]
  const answers = await Promise.all(
    needed.map(([verb, resource, namespace]) => probe(ctx.tools.kubectl.canI(verb, resource, namespace))),
  )
  const missing = needed
    .filter((_, i) => !answers[i].ok || !answers[i].value)
    .map(([verb, resource, namespace]) => `${verb} ${resource}${namespace ? ` in ${namespace}` : ''}`)
  if (missing.length > 0)
    return fail({
      ...base,
      found: `you may not ${missing.join(', ')} (kubectl auth can-i)`,
      fix: `deskrun installs ARC's CRDs and cluster roles, and its namespaces: ask the cluster's admin for these rights (e.g. a ClusterRoleBinding to cluster-admin for your user), or use a cluster you own.`,
    })
  const claims = ctx.cacheClaims ? ', and list storage classes and create cache claims' : ''
  return ok({
    ...base,
    found: `may list nodes and create namespaces, CRDs, cluster roles and their bindings${claims}`,
  })
}

export async function checkCacheMount(ctx: DoctorContext, state: CheckState): Promise<Check> {
  const base = {id: 'cache-mount', title: 'Cache mount'} as const
  if (state.clusterExists === undefined) return notChecked(base, 'the cluster check')
  if (!state.clusterExists)
    return ok({...base, found: 'no cluster yet: deskrun creates it with the cache mount'})
  const container = nodeContainer(ctx.clusterName)
  const mounts = await probe(ctx.tools.docker.mounts(container))
  if (!mounts.ok) {
    return fail({
      ...base,
      found: `cannot inspect the node container ${container}: ${reason(mounts.error)}`,
      fix: RECREATE,
    })
  }
  if (hasCacheMount(mounts.value, ctx.cacheRoot, NODE_CACHE_ROOT)) {
    return ok({...base, found: `${ctx.cacheRoot} is mounted at ${NODE_CACHE_ROOT} in the node`})
  }
  return fail({
    ...base,
    found: `the node does not mount ${ctx.cacheRoot}: caches would not persist on this machine`,
    fix: `kind fixes mounts when a cluster is created. Recreate it: ${RECREATE}`,
  })
}

export async function checkController(ctx: DoctorContext, state: CheckState): Promise<Check> {
  const base = {id: 'controller', title: 'ARC controller'} as const
  if (state.clusterExists === false) return notYet(ctx, base, 'the ARC controller')
  if (!state.clusterReachable) return notChecked(base, 'a reachable cluster')
  if (!usable(state, 'helm') || !usable(state, 'kubectl')) return notChecked(base, 'helm and kubectl')
  const found = await probe(ctx.tools.helm.release(CONTROLLER_NAMESPACE, CONTROLLER_RELEASE))
  if (!found.ok) {
    return fail({
      ...base,
      found: `helm cannot list releases: ${reason(found.error)}`,
      fix: 'Check the cluster check above.',
    })
  }
  const release = found.value
  if (!release)
    return notYet(ctx, base, `the ARC controller (release ${CONTROLLER_RELEASE} in ${CONTROLLER_NAMESPACE})`)

  const version = chartVersionOf(release.chart, CONTROLLER_CHART_NAME) ?? release.chart
  if (release.status !== 'deployed') {
    return fail({
      ...base,
      found: `release ${CONTROLLER_RELEASE} (${version}) is ${release.status}`,
      fix: 'deskrun up repairs a stuck release.',
    })
  }
  if (minorOf(version) !== minorOf(ctx.chartVersion)) {
    return fail({
      ...base,
      found: `controller ${version}, but deskrun is set to ${ctx.chartVersion}: ARC deletes scale sets of another minor version`,
      fix: `Move everything to ${ctx.chartVersion}: ${RECREATE}. Or stay on ${version}: set "chart_version": "${version}" in ${ctx.configFile}.`,
    })
  }

  const missing: string[] = []
  for (const crd of ARC_CRDS) {
    const got = await probe(ctx.tools.kubectl.get('crd', crd))
    if (!got.ok || !got.value) missing.push(crd)
  }
  if (missing.length > 0) {
    return fail({
      ...base,
      found: `controller ${version} is deployed, but CRDs are missing: ${missing.join(', ')}`,
      fix: `helm installs CRDs only on a fresh install: ${RECREATE}`,
    })
  }
  return ok({...base, found: `${CONTROLLER_RELEASE} ${version} deployed, ${ARC_CRDS.length} CRDs present`})
}
