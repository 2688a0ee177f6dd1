/**
 * The container mode API. Built-in modes and modes from oclif plugins implement the same interface
 * and reach deskrun through the same hook event (`deskrun:container-modes`).
 */
import type {HostMount} from '../installation/mounts.js'
import type {CacheMount, Installation} from '../installation/types.js'
import type {KubeObject, KubernetesVersion} from '../kube.js'

/** What a mode may read about the installation: everything but the credentials. */
export type InstallationView = Readonly<Omit<Installation, 'auth'>> & {
  readonly authType: Installation['auth']['type']
}

/** Everything a mode's render step knows. It is plain data: render must not read files or spawn. */
export interface RenderContext {
  installation: InstallationView
  instance: {
    /** Scale set name = Helm release = `runs-on:` value. */
    name: string
    /** 1-based index and the installation's instance count. */
    index: number
    count: number
    minRunners: number
    maxRunners: number
  }
  /**
   * The image of the runner container (`--runner-image`, or ARC's ghcr.io/actions/actions-runner:latest):
   * use it for the runner and for any container that needs the runner's files or tools.
   */
  runnerImage: string
  /** Resolved cache mounts of this instance (empty when the mode does not take caches). */
  caches: readonly CacheMount[]
  /**
   * `--mount` host paths (the Docker socket, a read-only folder), for every mode: mount them wherever
   * the mode mounts caches (`hostMountVolumes`, `hostMountVolumeMounts`). Unlike caches they are the
   * same for every instance and are never prepared or partitioned.
   */
  mounts: readonly HostMount[]
  /** Namespace of the scale set, its pods and any object the mode returns. */
  namespace: string
  /** gha-runner-scale-set chart version that will be installed. */
  chartVersion: string
  /** Labels every object returned by render must carry (deskrun uses them to find and clean up). */
  labels: Readonly<Record<string, string>>
  cluster: {
    name: string
    /** Host folder that holds all caches. */
    cacheRoot: string
    /** The same folder inside the kind node. */
    nodeCacheRoot: string
    /**
     * The cluster's Kubernetes version, for features that need a recent one (see `nativeSidecars`).
     * Undefined while deskrun checks the config before it has reached the cluster: render for a current
     * Kubernetes then; deskrun renders again with the version before it deploys.
     */
    kubernetesVersion?: KubernetesVersion
    /**
     * A cluster deskrun did not create (`deskrun cluster use`): its storage classes are its own, so a
     * volume claim takes its default class rather than kind's `standard`.
     */
    existing?: boolean
  }
}

/** Mode-specific part of the gha-runner-scale-set values (deskrun adds the GitHub, scaling and controller keys). */
export interface ModeValues {
  containerMode?: {type?: 'dind' | 'kubernetes' | 'kubernetes-novolume' | ''; [key: string]: unknown}
  template?: {metadata?: Record<string, unknown>; spec: Record<string, unknown>}
  listenerTemplate?: Record<string, unknown>
  [key: string]: unknown
}

export interface RenderResult {
  values: ModeValues
  /** Extra objects applied before the scale set is installed (e.g. a hook extension ConfigMap). */
  objects?: KubeObject[]
}

export interface ContainerMode {
  /** Lower-case DNS-style name users pass to `--mode`. */
  name: string
  /** One line for `deskrun modes` and completion. */
  summary: string
  /** Longer text for `deskrun modes --json` and docs. */
  description?: string
  /** Whether the mode can use `--cache` mounts. A mode that cannot makes deskrun reject them. */
  takesCaches: boolean
  /** Extra checks on the installation; return one message per problem (empty = fine). */
  validate?(installation: InstallationView): string[]
  /** Pure: the same context always gives the same result. */
  render(context: RenderContext): RenderResult
}

/** Identity helper that gives plugin authors type checking and fills optional members. */
export function defineContainerMode(mode: ContainerMode): ContainerMode {
  return mode
}

/** What a `deskrun:container-modes` hook returns. */
export type ContainerModesHookResult = ContainerMode[]
