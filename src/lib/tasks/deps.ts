import type {DeskrunConfig} from '../config/types.js'
import type {ModeRegistry} from '../modes/registry.js'
import type {Tools} from '../tools/index.js'

/** What every pipeline step works with. */
export interface Deps {
  config: DeskrunConfig
  tools: Tools
  modes: ModeRegistry
}

/** What the steps report back, for the summary a command prints (and its --json result). */
export interface Outcome {
  changed: string[]
  unchanged: string[]
}

export function newOutcome(): Outcome {
  return {changed: [], unchanged: []}
}
