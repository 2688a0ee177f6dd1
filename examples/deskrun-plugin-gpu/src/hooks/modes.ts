/**
 * deskrun runs every plugin's `deskrun:container-modes` hook (package.json `oclif.hooks`) to
 * collect container modes. `helpers` are deskrun's own: the same code its built-in modes use.
 */
import type {ContainerModesHook} from 'deskrun'

import {gpuModes} from '../modes.js'

const hook: ContainerModesHook = async function ({helpers}) {
  return gpuModes(helpers)
}

export default hook
