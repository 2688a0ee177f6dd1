/** The example container mode plugin, as `deskrun plugins link` loads it: its build, made once per test run. */
import path from 'node:path'

import {execa} from 'execa'

import {REPO_ROOT} from './fake-tools.js'

export const EXAMPLE_PLUGIN = path.join(REPO_ROOT, 'examples', 'deskrun-plugin-gpu')

let built: Promise<unknown> | undefined

/** Builds the example from its current source (the first caller waits; the others share that build). */
export function buildExamplePlugin(): Promise<unknown> {
  built ??= execa('npm', ['run', 'build'], {cwd: EXAMPLE_PLUGIN})
  return built
}
