/**
 * `cached-privileged-kubernetes`: jobs that need systemd, cgroups, nested containers or raw network
 * access, with host-backed caches (typically /var/lib/docker). ARC's kubernetes-novolume mode plus a
 * hook extension that makes every job container privileged and root and mounts the caches.
 */
import {defineContainerMode, type RenderContext, type RenderResult} from './api.js'
import {
  ALLOW_RUN_AS_ROOT_ENV,
  cacheVolumeMounts,
  cacheVolumes,
  CONTAINER_HOOKS_ENV,
  envVars,
  hookExtension,
  jobContainerPatch,
  KUBERNETES_NOVOLUME_HOOK,
  privilegedRootSecurityContext,
  REQUIRE_JOB_CONTAINER_ENV,
  runnerContainer,
} from './helpers.js'

/** Lets systemctl talk to systemd although it detects a chroot-like container. */
const SYSTEMD_ENV = {SYSTEMD_IGNORE_CHROOT: '1'}

function render(context: RenderContext): RenderResult {
  const {caches} = context
  const extension = hookExtension(context, {
    spec: {
      containers: [
        jobContainerPatch({
          securityContext: privilegedRootSecurityContext(),
          env: envVars(SYSTEMD_ENV),
          volumeMounts: cacheVolumeMounts(caches),
        }),
      ],
      ...(caches.length > 0 ? {volumes: cacheVolumes(caches)} : {}),
    },
  })

  // Jobs without `container:` are allowed and run inside the runner container itself, so it gets the
  // same privileges, environment and caches; otherwise such jobs would silently not be privileged.
  // Every container that mounts the caches runs as root, so the root-owned folders the kubelet makes
  // need no cacheInitContainers (docs/caches.md).
  const runner = runnerContainer({
    env: [
      ...envVars({
        [CONTAINER_HOOKS_ENV]: KUBERNETES_NOVOLUME_HOOK,
        [REQUIRE_JOB_CONTAINER_ENV]: 'false',
        [ALLOW_RUN_AS_ROOT_ENV]: '1',
        ...SYSTEMD_ENV,
      }),
      extension.env,
    ],
    volumeMounts: [...cacheVolumeMounts(caches), extension.volumeMount],
    securityContext: privilegedRootSecurityContext(),
  })

  return {
    values: {
      containerMode: {type: 'kubernetes-novolume'},
      template: {spec: {containers: [runner], volumes: [...cacheVolumes(caches), extension.volume]}},
    },
    objects: [extension.configMap],
  }
}

export const cachedPrivilegedMode = defineContainerMode({
  name: 'cached-privileged-kubernetes',
  summary: 'Privileged root jobs (systemd, nested Docker) with host-backed caches such as /var/lib/docker.',
  description:
    'kubernetes-novolume mode with a hook extension: job containers, and the runner container that runs jobs ' +
    'without `container:`, are privileged, run as root with SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_CHROOT and ' +
    'more, set SYSTEMD_IGNORE_CHROOT=1 and mount the --cache paths from the host.',
  takesCaches: true,
  render,
})
