/**
 * Building blocks shared by container modes (deskrun's own and those of plugins), so that every mode
 * spells the runner container, cache volumes and hook extensions the same way ARC expects them.
 * Everything here is pure and returns fresh objects: callers may change what they get.
 */

import type {
  IAffinity,
  IContainer,
  IEnvVar,
  IPodTemplateSpec,
  ISecurityContext,
  IVolume,
  IVolumeMount,
} from 'kubernetes-models/v1'

import {isInside, normalisePath} from '../installation/caches.js'
import {DEFAULT_RUNNER_IMAGE} from '../installation/image.js'
import type {HostMount} from '../installation/mounts.js'
import {hookExtensionName} from '../installation/naming.js'
import {dataRootAt, isInDockerDataRoot} from '../installation/sharing.js'
import {SCALE_SET_LABEL} from '../arc/runners.js'
import {isClaimCache, type CacheMount} from '../installation/types.js'
import type {KubeObject} from '../kube.js'
import type {RenderContext} from './api.js'
import {yaml} from '../yaml.js'

/** ARC injects the runner's JIT configuration into the container with exactly this name. */
export const RUNNER_CONTAINER = 'runner'
/** ARC's runner image: the default of `--runner-image` (RenderContext.runnerImage holds the one to use). */
export const RUNNER_IMAGE = DEFAULT_RUNNER_IMAGE
export const RUNNER_COMMAND = ['/home/runner/run.sh']
export const RUNNER_WORK_DIR = '/home/runner/_work'

/** Entry points of the container hooks shipped in the runner image. */
export const KUBERNETES_HOOK = '/home/runner/k8s/index.js'
export const KUBERNETES_NOVOLUME_HOOK = '/home/runner/k8s-novolume/index.js'

export const CONTAINER_HOOKS_ENV = 'ACTIONS_RUNNER_CONTAINER_HOOKS'
export const HOOK_TEMPLATE_ENV = 'ACTIONS_RUNNER_CONTAINER_HOOK_TEMPLATE'
/** "true": jobs without `container:` are refused; "false": they run inside the runner container. */
export const REQUIRE_JOB_CONTAINER_ENV = 'ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER'
/** run-helper.sh refuses to start as uid 0 ("Must not run interactively with sudo") unless this is set. */
export const ALLOW_RUN_AS_ROOT_ENV = 'RUNNER_ALLOW_RUNASROOT'

/** In a hook extension, the container with this name patches the job container instead of being added. */
export const JOB_CONTAINER_PATCH = '$job'
export const HOOK_EXTENSION_VOLUME = 'hook-extension'
export const HOOK_EXTENSION_MOUNT = '/home/runner/hook-extension'
export const HOOK_EXTENSION_KEY = 'content'

/** What the original deskrun granted privileged jobs (systemd, nested containers, network tools). */
export const PRIVILEGED_CAPABILITIES: readonly string[] = [
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_CHROOT',
  'SETFCAP',
  'SETPCAP',
  'NET_RAW',
  'IPC_LOCK',
  'SYS_RESOURCE',
  'MKNOD',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
]

/**
 * Whether the cluster runs init containers with `restartPolicy: Always` as sidecars (Kubernetes 1.29 and
 * newer, the same test the scale set chart makes). Older servers need a sidecar among the containers.
 */
export function nativeSidecars(context: RenderContext): boolean {
  const version = context.cluster.kubernetesVersion
  return !version || version.major > 1 || version.minor >= 29
}

/** `{A: '1'}` -> `[{name: 'A', value: '1'}]`, in the object's order. */
export function envVars(vars: Readonly<Record<string, string>>): IEnvVar[] {
  return Object.entries(vars).map(([name, value]) => ({name, value}))
}

/**
 * The volumes of the caches. A host-folder cache is a hostPath volume on the node's view of the host
 * folder (the kind node mounts the cache root, so the data lands on the user's disk); DirectoryOrCreate:
 * a fresh partition just works. Caches on a storage class share one volume of the instance's claim
 * (a pod with two volumes of one claim never starts: kubernetes issue 132921).
 */
export function cacheVolumes(caches: readonly CacheMount[]): IVolume[] {
  const volumes: IVolume[] = []
  for (const cache of caches) {
    if (!isClaimCache(cache)) {
      volumes.push({name: cache.volumeName, hostPath: {path: cache.nodePath, type: 'DirectoryOrCreate'}})
    } else if (!volumes.some((volume) => volume.name === cache.volumeName)) {
      volumes.push({name: cache.volumeName, persistentVolumeClaim: {claimName: cache.claimName}})
    }
  }
  return volumes
}

/** Each cache at its path; a cache on a storage class is its folder of the claim (the kubelet creates it). */
export function cacheVolumeMounts(caches: readonly CacheMount[]): IVolumeMount[] {
  return caches.map((cache) => ({
    name: cache.volumeName,
    mountPath: cache.target,
    ...(isClaimCache(cache) ? {subPath: cache.subPath} : {}),
  }))
}

export {CACHE_CLAIM_VOLUME} from '../installation/claims.js'
export {isClaimCache} from '../installation/types.js'

/** The label every node carries with its name; what pins a pod to one node. */
export const NODE_LABEL = 'kubernetes.io/hostname'

/**
 * An affinity that keeps a pod on the node of the runner pods of `instance`: for job pods that mount
 * the instance's caches, and for runners whose claim a single node mounts at a time (ReadWriteOnce).
 * The first runner of an instance goes anywhere (a pod may match its own affinity); the rest follow.
 */
export function sameNodeAsRunners(instance: string): IAffinity {
  return {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {labelSelector: {matchLabels: {[SCALE_SET_LABEL]: instance}}, topologyKey: NODE_LABEL},
      ],
    },
  }
}

/**
 * One hostPath volume per `--mount`, on the node's view of the host path, with the type the user gave:
 * Socket and Directory make the pod wait for what must already be there instead of an empty folder.
 */
export function hostMountVolumes(mounts: readonly HostMount[]): IVolume[] {
  return mounts.map((mount) => ({name: mount.volumeName, hostPath: {path: mount.nodePath, type: mount.type}}))
}

export function hostMountVolumeMounts(mounts: readonly HostMount[]): IVolumeMount[] {
  return mounts.map((mount) => ({
    name: mount.volumeName,
    mountPath: mount.target,
    ...(mount.readOnly ? {readOnly: true} : {}),
  }))
}

export {DOCKER_DATA_ROOT} from '../installation/sharing.js'

/** Whether the cache is the Docker data root (or lies inside it): where a dind daemon keeps its images. */
export function isDockerDataRoot(cache: CacheMount): boolean {
  return isInDockerDataRoot(cache.target)
}

export const CACHE_INIT_CONTAINER = 'init-cache-folders'
/** Where the cache init container mounts each cache: `${CACHE_INIT_MOUNT}/<volume name>`. */
export const CACHE_INIT_MOUNT = '/deskrun-caches'
/** Like /tmp: every uid may create entries, only an entry's owner may remove or rename it. */
export const SHARED_CACHE_MODE = '1777'

/**
 * The kubelet creates a missing hostPath folder as root with mode 0755, and fsGroup never applies to
 * hostPath, so a non-root container (the runner is uid 1001; a job image may use any uid) cannot
 * write its cache. This init container runs as root before the pod's containers start and gives each
 * cache folder SHARED_CACHE_MODE (docs/caches.md says why not a chown to 1001). Pass it the caches
 * that non-root containers mount (in job pods too: they land on the runner's node and see the same
 * folders) and the runner's image (RenderContext.runnerImage), which the pod pulls anyway. Daemon data roots are left out: they
 * stay root's (dockerd and containerd set their own modes). Returns an empty list when there is nothing to prepare.
 */
/** The caches the init container opens up: all but daemon data roots. */
export function preparedCaches(caches: readonly CacheMount[]): CacheMount[] {
  return caches.filter((cache) => !dataRootAt(cache.target))
}

export function cacheInitContainers(
  caches: readonly CacheMount[],
  image: string = RUNNER_IMAGE,
): IContainer[] {
  const prepared = preparedCaches(caches)
  if (prepared.length === 0) return []
  // A claim's caches share its volume: each is mounted at its own folder's name (cache-N), as hostPath ones are.
  const mounts = prepared.map((cache) =>
    isClaimCache(cache)
      ? {name: cache.volumeName, mountPath: `${CACHE_INIT_MOUNT}/${cache.subPath}`, subPath: cache.subPath}
      : {name: cache.volumeName, mountPath: `${CACHE_INIT_MOUNT}/${cache.volumeName}`},
  )
  return [
    {
      name: CACHE_INIT_CONTAINER,
      image,
      // DirectoryOrCreate (or the kubelet, for a claim's subPath) has made the folders by now; the runner
      // image (Ubuntu) has chmod, no shell needed.
      command: ['chmod', SHARED_CACHE_MODE, ...mounts.map((mount) => mount.mountPath)],
      securityContext: {runAsUser: 0, runAsGroup: 0, runAsNonRoot: false},
      volumeMounts: mounts,
    },
  ]
}

/** Privileged, as root, with the extra capabilities: what "privileged" means in deskrun's modes. */
export function privilegedRootSecurityContext(): ISecurityContext {
  return {
    privileged: true,
    runAsUser: 0,
    runAsGroup: 0,
    runAsNonRoot: false,
    allowPrivilegeEscalation: true,
    capabilities: {add: [...PRIVILEGED_CAPABILITIES]},
  }
}

/**
 * The node's own system folders, which a privileged job mounts over its container's to run systemd or
 * a container runtime of its own (the original deskrun mounted all six). Whatever the job does there
 * happens on the node: its processes, devices, sysfs and cgroup tree.
 */
export const NODE_SYSTEM_PATHS = ['/sys', '/sys/fs/cgroup', '/proc', '/dev', '/dev/pts', '/dev/shm'] as const
export type NodeSystemPath = (typeof NODE_SYSTEM_PATHS)[number]

/**
 * A runtime in the job makes cgroup mounts that the node must see, and sees the node's: Bidirectional.
 * The API server allows Bidirectional only in privileged containers, and the container runtime only on
 * a shared mount (kind's nodes make every mount shared).
 */
const BIDIRECTIONAL: ReadonlySet<string> = new Set<NodeSystemPath>(['/sys/fs/cgroup'])

/** `/sys/fs/cgroup` -> `node-sys-fs-cgroup`: apart from the caches' `cache-N` and the hook's own volumes. */
function nodeVolumeName(path: NodeSystemPath): string {
  return `node${path.replaceAll('/', '-')}`
}

/**
 * hostPath volumes of the node's system folders. Type Directory: they exist on every Linux node, and a
 * node without one refuses the pod instead of handing it an empty folder the kubelet made.
 */
export function nodeSystemVolumes(paths: readonly NodeSystemPath[] = NODE_SYSTEM_PATHS): IVolume[] {
  return paths.map((path) => ({name: nodeVolumeName(path), hostPath: {path, type: 'Directory'}}))
}

/** Mounts of `nodeSystemVolumes` at the same paths; the container must be privileged (see BIDIRECTIONAL). */
export function nodeSystemVolumeMounts(paths: readonly NodeSystemPath[] = NODE_SYSTEM_PATHS): IVolumeMount[] {
  return paths.map((path) => ({
    name: nodeVolumeName(path),
    mountPath: path,
    ...(BIDIRECTIONAL.has(path) ? {mountPropagation: 'Bidirectional'} : {}),
  }))
}

/** Whether a cache at `target` would land in (or replace) one of the node's system folders. */
export function isInNodeSystemPath(target: string): boolean {
  const at = normalisePath(target)
  return NODE_SYSTEM_PATHS.some((path) => at === path || isInside(at, path))
}

export interface RunnerContainerOptions {
  /** Pass RenderContext.runnerImage; default: ARC's runner image. */
  image?: string
  env?: IEnvVar[]
  volumeMounts?: IVolumeMount[]
  securityContext?: ISecurityContext
}

/**
 * The `runner` container as the chart's defaults spell it. The chart adds the env and mounts its
 * container mode needs when they are absent, so modes pass only what they mean to change.
 */
export function runnerContainer(options: RunnerContainerOptions = {}): IContainer {
  return {
    name: RUNNER_CONTAINER,
    image: options.image ?? RUNNER_IMAGE,
    command: [...RUNNER_COMMAND],
    ...(options.env?.length ? {env: options.env} : {}),
    ...(options.volumeMounts?.length ? {volumeMounts: options.volumeMounts} : {}),
    ...(options.securityContext ? {securityContext: options.securityContext} : {}),
  }
}

/**
 * The `$job` entry of a hook extension. The hook appends its env, volumeMounts and ports to the job
 * container and replaces every other field it sets; it ignores `image`, so there is none here.
 */
export function jobContainerPatch(patch: Omit<IContainer, 'name' | 'image'>): IContainer {
  const entries = Object.entries(patch).filter(([, value]) => !(Array.isArray(value) && value.length === 0))
  return {name: JOB_CONTAINER_PATCH, ...Object.fromEntries(entries)}
}

export {hookExtensionName} from '../installation/naming.js'

export interface HookExtension {
  /** Holds the PodTemplateSpec as YAML under HOOK_EXTENSION_KEY; return it from render. */
  configMap: KubeObject
  /** Add to template.spec.volumes. */
  volume: IVolume
  /** Add to the runner container. */
  volumeMount: IVolumeMount
  /** Add to the runner container: tells the hook where the template is. */
  env: IEnvVar
}

/**
 * Everything that makes the container hook apply `podTemplate` to the job pods of one instance.
 * Mind the hook's merge rules: pod-level keys other than `volumes` (appended) REPLACE the hook's own,
 * so do not set `initContainers` (the hook needs its own) nor a pod `securityContext` (it sets fsGroup);
 * patch the job container through `jobContainerPatch` instead.
 */
export function hookExtension(context: RenderContext, podTemplate: IPodTemplateSpec): HookExtension {
  const name = hookExtensionName(context.instance.name)
  return {
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name, namespace: context.namespace, labels: {...context.labels}},
      data: {[HOOK_EXTENSION_KEY]: yaml().stringify(podTemplate)},
    },
    volume: {name: HOOK_EXTENSION_VOLUME, configMap: {name}},
    volumeMount: {name: HOOK_EXTENSION_VOLUME, mountPath: HOOK_EXTENSION_MOUNT, readOnly: true},
    env: {name: HOOK_TEMPLATE_ENV, value: `${HOOK_EXTENSION_MOUNT}/${HOOK_EXTENSION_KEY}`},
  }
}
