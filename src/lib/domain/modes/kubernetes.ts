/**
 * `kubernetes`: ARC's kubernetes container mode. The runner pod only coordinates; each job runs in
 * its own pod, created by the container hook, sharing the runner's work volume.
 */
import {resourceRequirements} from '../installation/resources.js'
import {defineContainerMode, type RenderContext, type RenderResult} from './api.js'
import {
  cacheInitContainers,
  cacheVolumeMounts,
  cacheVolumes,
  envVars,
  hookExtension,
  hostMountVolumeMounts,
  hostMountVolumes,
  isClaimCache,
  jobContainerPatch,
  preparedCaches,
  REQUIRE_JOB_CONTAINER_ENV,
  runnerContainer,
} from './helpers.js'

/** kind's local-path provisioner; other clusters need a class of their own. */
export const KIND_STORAGE_CLASS = 'standard'

/**
 * Required by the chart in this mode: the runner and its job pods share this volume. On kind, its
 * local-path class; on a cluster deskrun did not create, that cluster's default class.
 */
export function workVolumeClaim(existingCluster = false): Record<string, unknown> {
  return {
    accessModes: ['ReadWriteOnce'],
    ...(existingCluster ? {} : {storageClassName: KIND_STORAGE_CLASS}),
    resources: {requests: {storage: '1Gi'}},
  }
}

/**
 * Caches are taken (the original's README shows `--cache` with this default mode). Steps run in the
 * job pod, never in the runner container (a job container is required), so the caches and --mount
 * paths are mounted into job pods only, through a hook extension; the runner pod just carries that extension. Job
 * images run as any uid, and job pods land on the runner's node, so an init container of the runner
 * pod opens the cache folders up before any job starts; that is the only use of the caches' volumes
 * in the runner pod.
 */
function render(context: RenderContext): RenderResult {
  const containerMode = {
    type: 'kubernetes' as const,
    kubernetesModeWorkVolumeClaim: workVolumeClaim(context.cluster.existing),
  }
  // Spelled out although it is the chart's default: the error users see (ARC issue 2977) names it.
  const env = envVars({[REQUIRE_JOB_CONTAINER_ENV]: 'true'})
  // --cpus / --memory reach the job container (where the steps run) only through a hook extension.
  const resources = resourceRequirements(context.installation)
  if (context.caches.length === 0 && context.mounts.length === 0 && !resources) {
    return {
      values: {
        containerMode,
        template: {spec: {containers: [runnerContainer({image: context.runnerImage, env})]}},
      },
    }
  }

  const extension = hookExtension(context, {
    spec: {
      containers: [
        jobContainerPatch({
          volumeMounts: [...cacheVolumeMounts(context.caches), ...hostMountVolumeMounts(context.mounts)],
          ...(resources ? {resources} : {}),
        }),
      ],
      volumes: [...cacheVolumes(context.caches), ...hostMountVolumes(context.mounts)],
    },
  })
  const runner = runnerContainer({
    image: context.runnerImage,
    env: [...env, extension.env],
    volumeMounts: [extension.volumeMount],
  })
  // Only the init container mounts the caches in the runner pod. A claim is there in any case: it is bound
  // on the node of the first pod the scheduler places, and the hook places job pods itself (nodeName).
  const prepared = preparedCaches(context.caches)
  const inRunnerPod = context.caches.filter((cache) => isClaimCache(cache) || prepared.includes(cache))
  const spec = {
    ...(prepared.length > 0 ? {initContainers: cacheInitContainers(prepared, runner.image)} : {}),
    containers: [runner],
    volumes: [...cacheVolumes(inRunnerPod), extension.volume],
  }
  return {
    values: {containerMode, template: {spec}},
    objects: [extension.configMap],
  }
}

export const kubernetesMode = defineContainerMode({
  name: 'kubernetes',
  summary: 'Each job runs in its own pod beside the runner; jobs must declare a container: image.',
  description:
    "ARC's kubernetes container mode. Jobs need `container:` in the workflow; their steps run in a job pod " +
    'that shares a 1Gi work volume (kind: storage class standard; a cluster of your own: its default class) with the runner. --cache paths are mounted into ' +
    'the job pods, and so are --mount paths.',
  takesCaches: true,
  render,
})
