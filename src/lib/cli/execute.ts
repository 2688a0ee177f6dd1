/**
 * What bin/run.js starts: oclif's `execute`, from the same build as the commands (scripts/build.mjs puts
 * @oclif/core and the commands into dist/cli.cjs), so that one copy of oclif runs the CLI and loads its
 * commands.
 */
import type {Logger} from '@oclif/core/interfaces'

import {execute as oclifExecute} from '@oclif/core/execute'
import {fileURLToPath} from 'node:url'

/** A logger that says nothing: oclif's own loads the `debug` library, with its terminal checks, on every start. */
const silent: Logger = {
  child: () => silent,
  debug() {},
  error() {},
  info() {},
  namespace: 'oclif',
  trace() {},
  warn() {},
}

/** Runs the command line. oclif's debug output (`DEBUG=*`, `DEBUG=oclif:*`) comes from oclif's own logger. */
export async function execute({dir}: {dir: string}): Promise<unknown> {
  if (process.env.DEBUG) return oclifExecute({dir})
  return oclifExecute({dir, loadOptions: {logger: silent, root: fileURLToPath(dir)}})
}
