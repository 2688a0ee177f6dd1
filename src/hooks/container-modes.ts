import type {Hook} from '@oclif/core'

import {builtinModes} from '../lib/domain/modes/builtins.js'

/** deskrun's own modes come in through the same hook event that plugins answer. */
const hook: Hook<'deskrun:container-modes'> = async function () {
  return builtinModes
}

export default hook
