import * as Errors from '@oclif/core/errors'
import type {Hook} from '@oclif/core'

import {ExitCode} from '../lib/domain/errors.js'

/**
 * Before `deskrun plugins link FOLDER` (oclif's command), checks that FOLDER holds an oclif plugin and
 * says what is wrong if not. Every other command returns at once, without loading the check.
 */
const hook: Hook<'prerun'> = async function ({Command, argv}) {
  if (Command.id !== 'plugins:link') return
  // Its flags are all switches, so the first word that is no flag is the folder (default: here).
  const folder = argv.find((arg) => !arg.startsWith('-')) ?? '.'
  const {pluginFolderProblem} = await import('../lib/adapters/plugin-folder.js')
  const problem = await pluginFolderProblem(folder)
  if (problem) Errors.error(problem.message, {exit: ExitCode.usage, suggestions: [problem.hint]})
}

export default hook
