/**
 * `cached-privileged-kubernetes`: jobs that need systemd, cgroups, nested containers or raw network
 * access, with host-backed caches (typically /var/lib/docker). ARC's kubernetes-novolume mode plus a
 * hook extension that makes every job pod root, shares the node's processes, devices, sysfs and cgroup
 * tree with its job container, makes that container privileged and mounts the caches.
 */
import type {IPodSecurityContext} from 'kubernetes-models/v1'

import {resourceRequirements} from '../installation/resources.js'
import {defineContainerMode, type InstallationView, type RenderContext, type RenderResult} from './api.js'
import {
  ALLOW_RUN_AS_ROOT_ENV,
  cacheVolumeMounts,
  cacheVolumes,
  CONTAINER_HOOKS_ENV,
  envVars,
  hookExtension,
  hostMountVolumeMounts,
  hostMountVolumes,
  isInNodeSystemPath,
  jobContainerPatch,
  KUBERNETES_NOVOLUME_HOOK,
  NODE_SYSTEM_PATHS,
  nodeSystemVolumeMounts,
  nodeSystemVolumes,
  privilegedRootSecurityContext,
  REQUIRE_JOB_CONTAINER_ENV,
  runnerContainer,
  sameNodeAsRunners,
} from './helpers.js'

/** Lets systemctl talk to systemd although it detects a chroot-like container. */
const SYSTEMD_ENV = {SYSTEMD_IGNORE_CHROOT: '1'}

/**
 * The job pod's securityContext. It REPLACES the hook's own ({fsGroup: 1001}, there so that job images
 * running as 1001 can write the pod's volumes), so fsGroup is set again: 0, as every container of the
 * pod now runs as root. The hook's init container keeps its own uid (it sets one per container); the
 * workflow's service containers run as root too, whatever USER their image names.
 */
function jobPodSecurityContext(): IPodSecurityContext {
  return {runAsUser: 0, runAsGroup: 0, fsGroup: 0}
}

function render(context: RenderContext): RenderResult {
  const {caches, mounts} = context
  const resources = resourceRequirements(context.installation)
  const extension = hookExtension(context, {
    spec: {
      // The node's /proc names processes by their pid on the node: a job in a PID namespace of its own
      // would find other processes at /proc/<its pids>, which breaks runtimes and systemd in it.
      // hostIPC goes with the node's /dev/shm. The hook sets neither, so nothing of its own is lost.
      hostPID: true,
      hostIPC: true,
      securityContext: jobPodSecurityContext(),
      // This mode's hook (kubernetes-novolume) lets the scheduler place job pods anywhere; the caches are
      // on the runner's node (a host folder, or a claim only that node may mount).
      ...(caches.length > 0 ? {affinity: sameNodeAsRunners(context.instance.name)} : {}),
      containers: [
        jobContainerPatch({
          securityContext: privilegedRootSecurityContext(),
          env: envVars(SYSTEMD_ENV),
          volumeMounts: [
            ...cacheVolumeMounts(caches),
            ...hostMountVolumeMounts(mounts),
            ...nodeSystemVolumeMounts(),
          ],
          ...(resources ? {resources} : {}),
        }),
      ],
      volumes: [...cacheVolumes(caches), ...hostMountVolumes(mounts), ...nodeSystemVolumes()],
    },
  })

  // Jobs without `container:` are allowed and run inside the runner container itself, so it gets the
  // same privileges, environment and caches; otherwise such jobs would silently not be privileged.
  // It does not get the node's system folders: the runner keeps its own PID namespace and manages its
  // step processes by pid, which the node's /proc would answer for other processes (docs/privileged.md).
  // Every container that mounts the caches runs as root, so the root-owned folders the kubelet makes
  // need no cacheInitContainers (docs/caches.md).
  const runner = runnerContainer({
    image: context.runnerImage,
    env: [
      ...envVars({
        [CONTAINER_HOOKS_ENV]: KUBERNETES_NOVOLUME_HOOK,
        [REQUIRE_JOB_CONTAINER_ENV]: 'false',
        [ALLOW_RUN_AS_ROOT_ENV]: '1',
        ...SYSTEMD_ENV,
      }),
      extension.env,
    ],
    volumeMounts: [...cacheVolumeMounts(caches), ...hostMountVolumeMounts(mounts), extension.volumeMount],
    securityContext: privilegedRootSecurityContext(),
  })

  return {
    values: {
      containerMode: {type: 'kubernetes-novolume'},
      template: {
        spec: {
          containers: [runner],
          volumes: [...cacheVolumes(caches), ...hostMountVolumes(mounts), extension.volume],
        },
      },
    },
    objects: [extension.configMap],
  }
}

/** A cache or mount inside the node's /sys, /proc or /dev would be made there, on the node, and hide what the job needs. */
function validate(installation: InstallationView): string[] {
  const paths = [
    ...installation.caches.map((cache) => ({flag: '--cache', target: cache.target})),
    ...(installation.mounts ?? []).map((mount) => ({flag: '--mount', target: mount.target})),
  ]
  return paths
    .filter((one) => isInNodeSystemPath(one.target))
    .map(
      (one) =>
        `${one.flag} ${one.target}: this mode mounts the node's ${NODE_SYSTEM_PATHS.join(', ')} into jobs; ` +
        `${one.flag.slice(2)} a path outside /sys, /proc and /dev.`,
    )
}

export const cachedPrivilegedMode = defineContainerMode({
  name: 'cached-privileged-kubernetes',
  summary:
    "Privileged root jobs with the node's /proc, /sys, /dev and cgroups; jobs without container: run privileged in the runner.",
  description:
    "kubernetes-novolume mode with a hook extension: job pods run as root in the node's PID and IPC namespaces; " +
    'their job container is privileged with SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_CHROOT and more, sets ' +
    "SYSTEMD_IGNORE_CHROOT=1, and mounts the node's /sys, /sys/fs/cgroup (Bidirectional), /proc, /dev, /dev/pts " +
    'and /dev/shm and the --cache and --mount paths. Jobs without `container:` run in the runner container: privileged root ' +
    'with the caches, but with its own /proc, /sys and /dev. On kind this is root on your machine.',
  takesCaches: true,
  validate,
  render,
})
