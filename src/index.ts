/**
 * deskrun's public API for container mode plugins. A plugin answers the `deskrun:container-modes`
 * oclif hook with modes built from these types and helpers; docs/plugins.md walks through it.
 */
export {defineContainerMode} from './lib/modes/api.js'
export type {
  ContainerMode,
  ContainerModesHookResult,
  InstallationView,
  ModeValues,
  RenderContext,
  RenderResult,
} from './lib/modes/api.js'
export type {CacheMount, CacheSpec, Installation, Instance} from './lib/installation/types.js'
export type {KubeObject} from './lib/kube.js'
export {
  cacheVolumeMounts,
  cacheVolumes,
  envVars,
  hookExtension,
  hookExtensionName,
  jobContainerPatch,
  privilegedRootSecurityContext,
  runnerContainer,
  HOOK_TEMPLATE_ENV,
  JOB_CONTAINER_PATCH,
  KUBERNETES_HOOK,
  KUBERNETES_NOVOLUME_HOOK,
  PRIVILEGED_CAPABILITIES,
  RUNNER_CONTAINER,
  RUNNER_IMAGE,
} from './lib/modes/helpers.js'
export type {HookExtension, RunnerContainerOptions} from './lib/modes/helpers.js'
export {checkRender} from './lib/modes/check.js'
export {MODES_HOOK} from './lib/modes/registry.js'
