/**
 * Two container modes for NVIDIA GPU jobs. Both need a cluster that can run GPU pods: the NVIDIA
 * device plugin (or GPU Operator) advertising `nvidia.com/gpu`, and a RuntimeClass named `nvidia`.
 *
 * - `gpu`: ARC's kubernetes-novolume mode. Each job runs in its own pod from the workflow's
 *   `container:` image (for example nvidia/cuda), and that job pod gets the GPU through a hook
 *   extension. The runner pod itself stays small and holds no GPU while it waits for work.
 * - `gpu-runner`: no container mode. Steps run inside the runner container, which gets the GPU;
 *   for workflows without `container:`. An idle runner holds its GPU, so keep --min-runners low.
 *
 * Everything is built with deskrun's own helpers (`helpers`), which deskrun hands to the hook.
 */
import type {ContainerMode, ModeHelpers, RenderContext, RenderResult} from 'deskrun'

export const GPU_RESOURCE = 'nvidia.com/gpu'
export const GPU_RUNTIME_CLASS = 'nvidia'
export const GPUS_PER_JOB = 1

/** GPU nodes of cloud clusters (GKE, AKS, EKS) carry this taint so that only GPU pods land there. */
const gpuTolerations = () => [{key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule'} as const]
// Fresh objects on every call: render results must not share parts (YAML would turn them into aliases).
const gpuLimit = () => ({limits: {[GPU_RESOURCE]: String(GPUS_PER_JOB)}})

export function gpuModes(helpers: ModeHelpers): ContainerMode[] {
  return [jobPodMode(helpers), runnerMode(helpers)]
}

function jobPodMode(h: ModeHelpers): ContainerMode {
  function render(context: RenderContext): RenderResult {
    const {caches, mounts} = context
    // --cache and --mount paths, the same way in job pods and runner pods.
    const volumes = [...h.cacheVolumes(caches), ...h.hostMountVolumes(mounts)]
    const volumeMounts = [...h.cacheVolumeMounts(caches), ...h.hostMountVolumeMounts(mounts)]
    // What the container hook merges into every job pod: pod-level keys replace the hook's own,
    // so set only those the hook leaves alone (no initContainers, no pod securityContext).
    const extension = h.hookExtension(context, {
      spec: {
        runtimeClassName: GPU_RUNTIME_CLASS,
        tolerations: gpuTolerations(),
        containers: [h.jobContainerPatch({resources: gpuLimit(), volumeMounts})],
        ...(volumes.length > 0 ? {volumes} : {}),
      },
    })
    const runner = h.runnerContainer({
      image: context.runnerImage,
      env: [
        ...h.envVars({
          [h.CONTAINER_HOOKS_ENV]: h.KUBERNETES_NOVOLUME_HOOK,
          // A job without `container:` would run in the runner container, which has no GPU.
          [h.REQUIRE_JOB_CONTAINER_ENV]: 'true',
        }),
        extension.env,
      ],
      volumeMounts: [extension.volumeMount],
    })
    // The kubelet creates cache folders as root's: the runner pod's init container opens them up for job
    // images that do not run as root (the job pods share the folders on the node).
    const initContainers = h.cacheInitContainers(caches, context.runnerImage)
    return {
      values: {
        containerMode: {type: 'kubernetes-novolume'},
        // The hook may place job pods on the runner's node, so the runner may go to GPU nodes too.
        template: {
          spec: {
            tolerations: gpuTolerations(),
            ...(initContainers.length > 0 ? {initContainers} : {}),
            containers: [runner],
            volumes: [extension.volume, ...(initContainers.length > 0 ? h.cacheVolumes(caches) : [])],
          },
        },
      },
      objects: [extension.configMap],
    }
  }

  return h.defineContainerMode({
    name: 'gpu',
    summary:
      'Each job runs in its own pod with an NVIDIA GPU; jobs declare a container: image such as nvidia/cuda.',
    description:
      `kubernetes-novolume mode whose job pods request ${GPUS_PER_JOB} ${GPU_RESOURCE} and run with RuntimeClass ` +
      `"${GPU_RUNTIME_CLASS}" (tolerating the ${GPU_RESOURCE} taint). The runner pod holds no GPU. --cache ` +
      'and --mount paths are mounted into the job pods. Needs the NVIDIA device plugin or GPU Operator in the cluster.',
    takesCaches: true,
    render,
  })
}

function runnerMode(h: ModeHelpers): ContainerMode {
  function render(context: RenderContext): RenderResult {
    const {caches, mounts} = context
    const volumes = [...h.cacheVolumes(caches), ...h.hostMountVolumes(mounts)]
    const runner = {
      ...h.runnerContainer({
        image: context.runnerImage,
        volumeMounts: [...h.cacheVolumeMounts(caches), ...h.hostMountVolumeMounts(mounts)],
      }),
      resources: gpuLimit(),
    }
    // The runner runs as uid 1001, and the kubelet creates cache folders as root's: open them up first.
    const initContainers = h.cacheInitContainers(caches, context.runnerImage)
    return {
      values: {
        template: {
          spec: {
            runtimeClassName: GPU_RUNTIME_CLASS,
            tolerations: gpuTolerations(),
            ...(initContainers.length > 0 ? {initContainers} : {}),
            containers: [runner],
            ...(volumes.length > 0 ? {volumes} : {}),
          },
        },
      },
    }
  }

  return h.defineContainerMode({
    name: 'gpu-runner',
    summary: 'Steps run in the runner container, which gets an NVIDIA GPU; for jobs without container:.',
    description:
      `The runner container requests ${GPUS_PER_JOB} ${GPU_RESOURCE} and runs with RuntimeClass ` +
      `"${GPU_RUNTIME_CLASS}"; jobs run directly in it (no job container, no Docker). An idle runner keeps its ` +
      'GPU, so use --min-runners 0 on a machine with few GPUs. --cache and --mount paths are mounted into the runner.',
    takesCaches: true,
    render,
  })
}
