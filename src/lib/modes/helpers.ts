/**
 * Building blocks shared by container modes (deskrun's own and those of plugins), so that every mode
 * spells the runner container, cache volumes and hook extensions the same way ARC expects them.
 * Everything here is pure and returns fresh objects: callers may change what they get.
 */
import type {
  IContainer,
  IEnvVar,
  IPodTemplateSpec,
  ISecurityContext,
  IVolume,
  IVolumeMount,
} from 'kubernetes-models/v1'
import {stringify} from 'yaml'

import type {CacheMount} from '../installation/types.js'
import type {KubeObject} from '../kube.js'
import type {RenderContext} from './api.js'

/** ARC injects the runner's JIT configuration into the container with exactly this name. */
export const RUNNER_CONTAINER = 'runner'
export const RUNNER_IMAGE = 'ghcr.io/actions/actions-runner:latest'
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
 * One hostPath volume per cache, on the node's view of the host folder (the kind node mounts the
 * cache root, so the data lands on the user's disk). DirectoryOrCreate: a fresh partition just works.
 */
export function cacheVolumes(caches: readonly CacheMount[]): IVolume[] {
  return caches.map((cache) => ({
    name: cache.volumeName,
    hostPath: {path: cache.nodePath, type: 'DirectoryOrCreate'},
  }))
}

export function cacheVolumeMounts(caches: readonly CacheMount[]): IVolumeMount[] {
  return caches.map((cache) => ({name: cache.volumeName, mountPath: cache.target}))
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

export interface RunnerContainerOptions {
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
    image: RUNNER_IMAGE,
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

/** One per scale set instance: a shared name would make the last installed instance win. */
export function hookExtensionName(instanceName: string): string {
  return `${instanceName}-hook-extension`
}

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
      data: {[HOOK_EXTENSION_KEY]: stringify(podTemplate)},
    },
    volume: {name: HOOK_EXTENSION_VOLUME, configMap: {name}},
    volumeMount: {name: HOOK_EXTENSION_VOLUME, mountPath: HOOK_EXTENSION_MOUNT, readOnly: true},
    env: {name: HOOK_TEMPLATE_ENV, value: `${HOOK_EXTENSION_MOUNT}/${HOOK_EXTENSION_KEY}`},
  }
}
