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

import {resourceRequirements} from '../installation/resources.js'
import type {CacheMount} from '../installation/types.js'
import {defineContainerMode, type RenderContext, type RenderResult} from './api.js'
import {
  cacheInitContainers,
  cacheVolumeMounts,
  cacheVolumes,
  envVars,
  isDockerDataRoot,
  nativeSidecars,
  RUNNER_IMAGE,
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
function externalsInitContainer(): IContainer {
  return {
    name: 'init-dind-externals',
    image: RUNNER_IMAGE,
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

function fullTemplate(caches: readonly CacheMount[], sidecar: boolean): RenderResult {
  const daemonCaches = caches.filter(isDockerDataRoot)
  const runnerCaches = caches.filter((cache) => !isDockerDataRoot(cache))
  const runner = runnerContainer({
    env: envVars({DOCKER_HOST, RUNNER_WAIT_FOR_DOCKER_IN_SECONDS: '120'}),
    volumeMounts: [
      {name: VOLUME.work, mountPath: RUNNER_WORK_DIR},
      {name: VOLUME.socket, mountPath: SOCKET_DIR},
      ...cacheVolumeMounts(runnerCaches),
    ],
  })
  const daemon = daemonContainer(daemonCaches, sidecar)
  const volumes: IVolume[] = [
    {name: VOLUME.work, emptyDir: {}},
    {name: VOLUME.socket, emptyDir: {}},
    {name: VOLUME.externals, emptyDir: {}},
    ...cacheVolumes(caches),
  ]
  return {
    values: {
      template: {
        spec: {
          // The daemon runs as root; the runner (uid 1001) needs its cache folders opened up first.
          initContainers: [
            ...cacheInitContainers(runnerCaches, runner.image),
            externalsInitContainer(),
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
  // The chart's dind container takes no resources: with --cpus / --memory deskrun writes the pod itself.
  const limited = resourceRequirements(context.installation) !== undefined
  if (context.caches.length > 0 || limited) return fullTemplate(context.caches, nativeSidecars(context))
  return {values: {containerMode: {type: 'dind'}, template: {spec: {containers: [runnerContainer()]}}}}
}

export const dindMode = defineContainerMode({
  name: 'dind',
  summary:
    'Jobs get their own Docker daemon (Docker-in-Docker sidecar); --cache /var/lib/docker keeps its layers.',
  description:
    'A privileged docker:dind sidecar next to the runner; DOCKER_HOST points the runner at it. A --cache at ' +
    '/var/lib/docker is mounted into the daemon, so image layers survive between jobs; other --cache paths are ' +
    'mounted into the runner container.',
  takesCaches: true,
  render,
})
