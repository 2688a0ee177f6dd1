/**
 * `dind`: the runner talks to its own Docker daemon in a privileged `docker:dind` sidecar.
 *
 * Without caches the chart's dind container mode builds the pod. With caches deskrun writes the whole
 * pod itself (containerMode left out), because the chart drops any user container named `dind` and so
 * offers no way to mount a cache into the daemon, where /var/lib/docker (the layer cache) lives.
 * The layout below mirrors what chart 0.14.2 generates for the cluster's Kubernetes version: the daemon
 * as a native sidecar from 1.29 on, as a plain container beside the runner before.
 */
import type {IContainer, IVolume, IVolumeMount} from 'kubernetes-models/v1'

import {isInside} from '../installation/caches.js'
import {resourceRequirements} from '../installation/resources.js'
import type {HostMount} from '../installation/mounts.js'
import type {CacheMount} from '../installation/types.js'
import {defineContainerMode, type InstallationView, type RenderContext, type RenderResult} from './api.js'
import {
  cacheInitContainers,
  cacheVolumeMounts,
  cacheVolumes,
  envVars,
  hostMountVolumeMounts,
  hostMountVolumes,
  isDockerDataRoot,
  nativeSidecars,
  RUNNER_WORK_DIR,
  runnerContainer,
} from './helpers.js'

export const DIND_CONTAINER = 'dind'
export const DIND_IMAGE = 'docker:dind'

const SOCKET_DIR = '/var/run'
const DOCKER_HOST = `unix://${SOCKET_DIR}/docker.sock`
/** The docker group of the runner image, so that the runner user may use the socket. */
const DOCKER_GROUP_GID = '123'
const EXTERNALS_DIR = '/home/runner/externals'
const EXTERNALS_COPY_DIR = '/home/runner/tmpDir'

const VOLUME = {work: 'work', socket: 'dind-sock', externals: 'dind-externals'} as const

/** Copies the runner's externals (node for actions) where the daemon can bind-mount them into job containers. */
function externalsInitContainer(runnerImage: string): IContainer {
  return {
    name: 'init-dind-externals',
    image: runnerImage,
    command: ['cp'],
    args: ['-r', `${EXTERNALS_DIR}/.`, `${EXTERNALS_COPY_DIR}/`],
    volumeMounts: [{name: VOLUME.externals, mountPath: EXTERNALS_COPY_DIR}],
  }
}

/**
 * As a native sidecar (init container that keeps running) it starts before the runner, is ready once
 * `docker info` answers, and stops when the runner exits so the ephemeral pod can complete. Older
 * servers would drop or reject `restartPolicy` there and wait forever for dockerd to exit, so it is
 * then a plain container, as the chart makes it: the runner waits for the daemon itself
 * (RUNNER_WAIT_FOR_DOCKER_IN_SECONDS) and ARC deletes the pod once the runner has exited. Work and
 * externals sit at the runner's paths because the daemon resolves bind mounts in its own filesystem.
 */
function daemonContainer(caches: readonly CacheMount[], sidecar: boolean): IContainer {
  const mounts: IVolumeMount[] = [
    {name: VOLUME.work, mountPath: RUNNER_WORK_DIR},
    {name: VOLUME.socket, mountPath: SOCKET_DIR},
    {name: VOLUME.externals, mountPath: EXTERNALS_DIR},
    ...cacheVolumeMounts(caches),
  ]
  return {
    name: DIND_CONTAINER,
    image: DIND_IMAGE,
    args: ['dockerd', `--host=${DOCKER_HOST}`, '--group=$(DOCKER_GROUP_GID)'],
    env: envVars({DOCKER_GROUP_GID}),
    securityContext: {privileged: true},
    ...(sidecar
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
    volumeMounts: mounts,
  }
}

function fullTemplate(
  caches: readonly CacheMount[],
  mounts: readonly HostMount[],
  sidecar: boolean,
  runnerImage: string,
): RenderResult {
  const daemonCaches = caches.filter(isDockerDataRoot)
  const runnerCaches = caches.filter((cache) => !isDockerDataRoot(cache))
  const runner = runnerContainer({
    image: runnerImage,
    env: envVars({DOCKER_HOST, RUNNER_WAIT_FOR_DOCKER_IN_SECONDS: '120'}),
    volumeMounts: [
      {name: VOLUME.work, mountPath: RUNNER_WORK_DIR},
      {name: VOLUME.socket, mountPath: SOCKET_DIR},
      ...cacheVolumeMounts(runnerCaches),
      ...hostMountVolumeMounts(mounts),
    ],
  })
  const daemon = daemonContainer(daemonCaches, sidecar)
  const volumes: IVolume[] = [
    {name: VOLUME.work, emptyDir: {}},
    {name: VOLUME.socket, emptyDir: {}},
    {name: VOLUME.externals, emptyDir: {}},
    ...cacheVolumes(caches),
    ...hostMountVolumes(mounts),
  ]
  return {
    values: {
      template: {
        spec: {
          // The daemon runs as root; the runner (uid 1001) needs its cache folders opened up first.
          initContainers: [
            ...cacheInitContainers(runnerCaches, runner.image),
            externalsInitContainer(runnerImage),
            ...(sidecar ? [daemon] : []),
          ],
          containers: [runner, ...(sidecar ? [] : [daemon])],
          volumes,
        },
      },
    },
  }
}

function render(context: RenderContext): RenderResult {
  const {caches, mounts} = context
  // The chart's dind container takes no resources: with --cpus / --memory deskrun writes the pod itself.
  const limited = resourceRequirements(context.installation) !== undefined
  if (caches.length > 0 || limited)
    return fullTemplate(caches, mounts, nativeSidecars(context), context.runnerImage)
  // The chart copies the runner's image into its own init container (the externals copy), and keeps
  // the runner's mounts and the template's volumes beside its own.
  const runner = runnerContainer({image: context.runnerImage, volumeMounts: hostMountVolumeMounts(mounts)})
  const volumes = hostMountVolumes(mounts)
  return {
    values: {
      containerMode: {type: 'dind'},
      template: {spec: {containers: [runner], ...(volumes.length > 0 ? {volumes} : {})}},
    },
  }
}

/** The runner's /var/run holds the sidecar daemon's socket: a --mount there would hide it or be hidden. */
function validate(installation: InstallationView): string[] {
  return (installation.mounts ?? [])
    .filter((mount) => mount.target === SOCKET_DIR || isInside(mount.target, SOCKET_DIR))
    .map(
      (mount) =>
        `--mount ${mount.target}: in dind mode ${SOCKET_DIR} holds the sidecar daemon's socket (DOCKER_HOST); ` +
        'mount elsewhere, or use another mode to give jobs the host Docker daemon.',
    )
}

export const dindMode = defineContainerMode({
  name: 'dind',
  summary:
    'Jobs get their own Docker daemon (Docker-in-Docker sidecar); --cache /var/lib/docker keeps its layers.',
  description:
    'A privileged docker:dind sidecar next to the runner; DOCKER_HOST points the runner at it. A --cache at ' +
    '/var/lib/docker is mounted into the daemon, so image layers survive between jobs; other --cache paths are ' +
    'mounted into the runner container, and so are --mount paths.',
  takesCaches: true,
  validate,
  render,
})
