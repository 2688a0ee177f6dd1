/** The minimal shape deskrun needs of a Kubernetes object; kubernetes-models checks the rest. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: {
    name: string
    namespace?: string
    labels?: Record<string, string>
    annotations?: Record<string, string>
    [key: string]: unknown
  }
  [key: string]: unknown
}

/** A cluster's Kubernetes release, as its API server reports it (`kubectl version`). */
export interface KubernetesVersion {
  major: number
  minor: number
  /** e.g. `v1.33.1`, or `v1.29.4-gke.1043002` on a managed cluster. */
  gitVersion: string
}

/** Labels on every object deskrun creates, so that `up` and `remove` can find what is theirs. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by'
export const INSTALLATION_LABEL = 'deskrun.io/installation'
export const INSTANCE_LABEL = 'deskrun.io/instance'

export function deskrunLabels(installation: string, instance?: string): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: 'deskrun',
    [INSTALLATION_LABEL]: installation,
    ...(instance ? {[INSTANCE_LABEL]: instance} : {}),
  }
}

/** Helm release labels deskrun sets (helm >= 3.13), so `up` can find (and prune) only its own releases. */
export const MANAGED_RELEASE_LABEL = 'managed-by'
export const INSTALLATION_RELEASE_LABEL = 'deskrun-installation'
export const DESKRUN_RELEASE_LABELS: Record<string, string> = {[MANAGED_RELEASE_LABEL]: 'deskrun'}

export function installationReleaseLabels(installation: string): Record<string, string> {
  return {...DESKRUN_RELEASE_LABELS, [INSTALLATION_RELEASE_LABEL]: installation}
}
