/**
 * deskrun's public API for container mode plugins. A plugin answers the `deskrun:container-modes`
 * oclif hook with modes built from these types; at run time the hook receives deskrun's helpers in
 * `options.helpers`, so a plugin needs deskrun only for its types (and its tests).
 * docs/plugins.md walks through it with examples/deskrun-plugin-gpu.
 */
export {defineContainerMode} from './lib/domain/modes/api.js'
export type {
  ContainerMode,
  ContainerModesHookResult,
  InstallationView,
  ModeValues,
  RenderContext,
  RenderResult,
} from './lib/domain/modes/api.js'
export type {
  AuthType,
  CacheMount,
  CacheSpec,
  HostMountSpec,
  HostMountType,
  Installation,
  Instance,
} from './lib/domain/installation/types.js'
export type {HostMount} from './lib/domain/installation/mounts.js'
export type {KubeObject, KubernetesVersion} from './lib/domain/kube.js'
export {
  cacheInitContainers,
  cacheVolumeMounts,
  cacheVolumes,
  envVars,
  hookExtension,
  hookExtensionName,
  hostMountVolumeMounts,
  hostMountVolumes,
  isDockerDataRoot,
  isInNodeSystemPath,
  jobContainerPatch,
  nativeSidecars,
  nodeSystemVolumeMounts,
  nodeSystemVolumes,
  privilegedRootSecurityContext,
  runnerContainer,
  ALLOW_RUN_AS_ROOT_ENV,
  CACHE_INIT_CONTAINER,
  CACHE_INIT_MOUNT,
  CONTAINER_HOOKS_ENV,
  DOCKER_DATA_ROOT,
  HOOK_EXTENSION_KEY,
  HOOK_EXTENSION_MOUNT,
  HOOK_EXTENSION_VOLUME,
  HOOK_TEMPLATE_ENV,
  JOB_CONTAINER_PATCH,
  KUBERNETES_HOOK,
  KUBERNETES_NOVOLUME_HOOK,
  NODE_SYSTEM_PATHS,
  PRIVILEGED_CAPABILITIES,
  REQUIRE_JOB_CONTAINER_ENV,
  RUNNER_COMMAND,
  RUNNER_CONTAINER,
  RUNNER_IMAGE,
  RUNNER_WORK_DIR,
  SHARED_CACHE_MODE,
} from './lib/domain/modes/helpers.js'
export type {HookExtension, NodeSystemPath, RunnerContainerOptions} from './lib/domain/modes/helpers.js'
/** What deskrun checks before anything reaches helm or kubectl; plugin tests call it on their output. */
export {checkRender} from './lib/domain/modes/check.js'
export {MODES_HOOK, modeHelpers} from './lib/domain/modes/registry.js'
export type {ContainerModesHook, ContainerModesHookOptions, ModeHelpers} from './lib/domain/modes/registry.js'
