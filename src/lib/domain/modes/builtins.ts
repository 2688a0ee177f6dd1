/** deskrun's own container modes; they reach the registry through the same hook as plugin modes. */
import type {ContainerMode} from './api.js'
import {cachedPrivilegedMode} from './cached-privileged.js'
import {dindMode} from './dind.js'
import {kubernetesMode} from './kubernetes.js'

/** `kubernetes` first: it is the default mode, as in the original deskrun. */
export const builtinModes: ContainerMode[] = [kubernetesMode, cachedPrivilegedMode, dindMode]
