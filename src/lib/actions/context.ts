import type {DeskrunConfig} from '../config/types.js'
import type {ModeRegistry} from '../modes/registry.js'
import type {Tools} from '../tools/index.js'
import {ALL_TOOLS, type ToolName} from '../tools/prerequisites.js'
import {ensurePrerequisites} from '../doctor/ensure.js'
import {CHECK_TIMEOUT_MS} from '../doctor/run.js'

/** What a command hands to an action: the loaded pieces and how to reach the tools. */
export interface ActionContext {
  modes: ModeRegistry
  tools: (clusterName: string) => Tools
  /** Under --json progress is silent. */
  json: boolean
  /** One-line notes for the user (stderr), e.g. a repaired file permission. */
  note: (message: string) => void
  /** --yes: install missing tools without asking. */
  yes: boolean
  /** --timeout, also for the prerequisite checks (which never wait longer than CHECK_TIMEOUT_MS). */
  timeoutMs?: number
  /** Aborted on Ctrl-C / SIGTERM, so that a hung prerequisite check is stopped too. */
  signal?: AbortSignal
}

/** The checks `deskrun doctor` runs, limited to what this command needs; missing tools may be installed. */
export async function checkPrerequisites(
  context: ActionContext,
  config: DeskrunConfig,
  tools: readonly ToolName[] = ALL_TOOLS,
): Promise<void> {
  await ensurePrerequisites({
    tools,
    config,
    interactive: !context.json,
    yes: context.yes,
    json: context.json,
    onWarning: context.note,
    timeoutMs: Math.min(context.timeoutMs ?? CHECK_TIMEOUT_MS, CHECK_TIMEOUT_MS),
    signal: context.signal,
  })
}
