/**
 * What deskrun saw of the cluster, read in a fixed number of tool calls however many installations
 * there are (see pipeline/observe.ts): the kind node, Helm's release records and deskrun's own objects.
 */
import type {KubeObject, KubernetesVersion} from '../kube.js'

/** The latest record Helm keeps of a release (its storage Secret), decoded. */
export interface ObservedRelease {
  name: string
  namespace: string
  revision: number
  /** deployed, failed, pending-install, pending-upgrade, pending-rollback, uninstalling */
  status: string
  chartName?: string
  chartVersion?: string
  /** The values the release was installed or upgraded with (what `helm get values` prints). */
  values: Record<string, unknown>
  /** The release labels (`helm upgrade --labels`), Helm's own (name, owner, status, version) left out. */
  labels: Record<string, string>
}

export interface ObservedCluster {
  exists: boolean
  /** The node container runs (after a reboot it may be stopped). */
  running: boolean
  /** The node mounts the cache root from this machine; undefined when it could not be told. */
  cacheMount?: boolean
  /** The `--mount` host paths the kind node mounts; undefined on a cluster deskrun did not create. */
  hostMounts?: string[]
  kubernetesVersion?: KubernetesVersion
  /** The Ready nodes of a cluster deskrun did not create (its kind cluster has one node). */
  nodes?: string[]
}

export interface Observation {
  cluster: ObservedCluster
  releases: ObservedRelease[]
  /**
   * The Secrets, ConfigMaps and cache claims (PersistentVolumeClaims) deskrun labelled as its own
   * (`app.kubernetes.io/managed-by=deskrun`).
   */
  objects: KubeObject[]
  /** The cluster's storage classes: read only when an installation keeps its caches on one. */
  storageClasses?: string[]
  /**
   * With `up --refresh`: the AutoscalingRunnerSets that exist. A release record says what Helm last
   * deployed; someone may have deleted its objects by hand since.
   */
  runnerSets?: string[]
}

/** What there is before a cluster exists. */
export function emptyObservation(cluster: Partial<ObservedCluster> = {}): Observation {
  return {cluster: {exists: false, running: false, ...cluster}, releases: [], objects: []}
}

/** The oldest of the nodes' kubelets (`v1.31.4+k3s1`): what a pod's features depend on. */
export function kubernetesVersionOfNodes(kubelets: string[]): KubernetesVersion | undefined {
  const versions = kubelets
    .map((kubelet) => /^v(\d+)\.(\d+)\./.exec(kubelet))
    .filter((match) => match !== null)
    .map((match) => ({major: Number(match[1]), minor: Number(match[2]), gitVersion: match.input}))
  return versions.sort((a, b) => a.major - b.major || a.minor - b.minor)[0]
}

/** `kindest/node:v1.33.1@sha256:…`: kind tags its node images with the Kubernetes release they run. */
export function kubernetesVersionOfImage(image: string): KubernetesVersion | undefined {
  const match = /:v(\d+)\.(\d+)\.(\d+)(?:@|$)/.exec(image)
  if (!match) return undefined
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    gitVersion: `v${match[1]}.${match[2]}.${match[3]}`,
  }
}
