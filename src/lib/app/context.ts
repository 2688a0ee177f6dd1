import {loadConfig, secureConfig, updateConfig} from '../adapters/config-store.js'
import type {DeskrunConfig, StoredInstallation} from '../domain/config/types.js'
import {isKindCluster, type ClusterTarget} from '../domain/settings.js'
import type {ModeRegistry} from '../domain/modes/registry.js'
import {installationProblems, installationWarnings} from '../domain/installation/validate.js'
import type {Installation} from '../domain/installation/types.js'
import {ensureWritableHome} from '../adapters/deskrun-home.js'
import {realFolder} from '../adapters/real-path.js'
import type {HostTools, Tools} from '../adapters/tools/index.js'
import {ALL_TOOLS, type ToolName} from '../adapters/tools/prerequisites.js'
import {DeskrunError, UsageError} from '../domain/errors.js'

/** What a command hands to an action: the loaded pieces and how to reach the tools. */
export interface ActionContext {
  modes: ModeRegistry
  tools: (target: ClusterTarget) => Tools
  /** systemctl and launchctl (`deskrun service`). */
  hostTools: () => HostTools
  /** Under --json progress is silent. */
  json: boolean
  /**
   * Notes for the user (stderr), e.g. a repaired file permission or a host warning; `fix` is a line
   * to act on (often a command to paste), printed as it is.
   */
  note: (message: string, fix?: string) => void
  /** --yes: install missing tools without asking. */
  yes: boolean
  /** --timeout, also for the prerequisite checks (which never wait longer than CHECK_TIMEOUT_MS). */
  timeoutMs?: number
  /** Aborted on Ctrl-C / SIGTERM, so that a hung prerequisite check is stopped too. */
  signal?: AbortSignal
  /** The host's platform (process.platform unless a test says otherwise). */
  platform?: NodeJS.Platform
}

/**
 * The config a command works from. Too-open permissions of the file and its folder are tightened
 * first, with a note (reading itself changes nothing).
 */
export async function readConfig(context: Pick<ActionContext, 'note'>): Promise<DeskrunConfig> {
  await secureConfig({onNote: (note) => context.note(note)})
  return loadConfig()
}

/**
 * The checks `deskrun doctor` runs, limited to what this command needs; missing tools may be installed
 * (unless `readOnly`). First of all, deskrun's own folder must be writable: the command will write there.
 */
export async function checkPrerequisites(
  context: ActionContext,
  config: DeskrunConfig,
  tools: readonly ToolName[] = ALL_TOOLS,
  options: {readOnly?: boolean} = {},
): Promise<void> {
  await ensureWritableHome()
  // An existing cluster needs only helm and kubectl here: its nodes, not this machine, run the runners.
  const existing = !isKindCluster(config)
  const needed = existing ? tools.filter((tool) => tool === 'helm' || tool === 'kubectl') : tools
  // The checks and what they need (tools, downloads, listr2) load here, not with every command that reads the config.
  const [{ensurePrerequisites}, {CHECK_TIMEOUT_MS}] = await Promise.all([
    import('./doctor/ensure.js'),
    import('./doctor/run.js'),
  ])
  await ensurePrerequisites({
    tools: needed,
    ...(existing ? {checks: needed} : {}),
    config,
    // A read-only command (up --dry-run) never installs anything, so it does not ask either.
    interactive: !context.json && !options.readOnly,
    yes: context.yes && !options.readOnly,
    json: context.json,
    onWarning: context.note,
    timeoutMs: Math.min(context.timeoutMs ?? CHECK_TIMEOUT_MS, CHECK_TIMEOUT_MS),
    signal: context.signal,
  })
}

/** Keeps the nodes deskrun pinned instances to (see pinToNodes), so every later `up` uses the same. */
export async function recordNodePins(
  context: Pick<ActionContext, 'note'>,
  assigned: Record<string, Record<string, string>>,
): Promise<void> {
  if (Object.keys(assigned).length === 0) return
  await updateConfig(
    (current) => {
      const installations = {...current.installations}
      for (const [name, pins] of Object.entries(assigned))
        if (installations[name])
          installations[name] = {...installations[name], nodes: {...installations[name].nodes, ...pins}}
      return {...current, installations}
    },
    {onNote: context.note},
  )
}

/**
 * What to report when a kind, helm or kubectl call failed: when Docker is down, that is the reason, given
 * as `add` gives it (the doctor's finding and "Start Docker ..."), not the tool's raw error; otherwise
 * the failure itself. Docker is asked only after a failure, so a working machine pays nothing for it.
 */
export async function explainFailure(
  context: Pick<ActionContext, 'timeoutMs' | 'signal'>,
  config: DeskrunConfig,
  error: unknown,
): Promise<unknown> {
  // An existing cluster does not depend on this machine's Docker.
  if (!(error instanceof DeskrunError) || error.code !== 'TOOL_FAILED' || !isKindCluster(config)) return error
  const [{prerequisitesError}, {CHECK_TIMEOUT_MS, createContext, runChecks}] = await Promise.all([
    import('./doctor/ensure.js'),
    import('./doctor/run.js'),
  ])
  const timeoutMs = Math.min(context.timeoutMs ?? CHECK_TIMEOUT_MS, CHECK_TIMEOUT_MS)
  const [docker] = await runChecks(createContext(config, {timeoutMs, signal: context.signal}), ['docker'])
  return docker?.status === 'fail' ? prerequisitesError([docker]) : error
}

/** The installation of that name, or a usage error that lists the ones there are. */
export function installationNamed(config: DeskrunConfig, name: string): StoredInstallation {
  const installation = config.installations[name]
  if (installation) return installation
  const known = Object.keys(config.installations)
  throw new UsageError(`No installation named "${name}".`, {
    hint:
      known.length > 0
        ? `Installations: ${known.join(', ')} (see deskrun list).`
        : 'There are none yet; add one with deskrun add.',
  })
}

/**
 * What `add` checks about a new installation and `up` about each one of the config, beside all the
 * others of the config: one list of rules for both, on this machine's real folders.
 */
export function installationProblemsIn(
  config: DeskrunConfig,
  installation: Installation,
  modes: ModeRegistry,
): string[] {
  return installationProblems(installation, {
    modes: modes.modes.map(({mode}) => mode),
    cacheRoot: config.cacheRoot,
    otherInstallations: Object.values(config.installations).filter(
      (other) => other.name !== installation.name,
    ),
    realPath: realFolder,
    networkDefaults: config.networkDefaults,
  })
}

/** What `add` (and `up`) should warn about an installation beside the others of the config; see installationWarnings. */
export function installationWarningsIn(config: DeskrunConfig, installation: Installation): string[] {
  return installationWarnings(installation, Object.values(config.installations))
}
