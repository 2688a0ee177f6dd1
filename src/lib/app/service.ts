/**
 * `deskrun service install|uninstall|status`: `deskrun up` at every login, through systemd's user manager
 * (Linux) or launchd (macOS); see domain/service.ts for the files and why they look as they do.
 */
import os from 'node:os'
import path from 'node:path'

import {
  lastLines,
  prepareLogFolder,
  readIfThere,
  realFile,
  removeIfThere,
  writeServiceFile,
} from '../adapters/service-files.js'
import {NoServiceManager} from '../adapters/tools/index.js'
import {DeskrunError} from '../domain/errors.js'
import {
  LAUNCHD_LABEL,
  renderService,
  serviceEnvironment,
  serviceFile,
  serviceLogFile,
  serviceManagerFor,
  SYSTEMD_UNIT,
  type ServiceManagerKind,
} from '../domain/service.js'
import {deskrunHome} from '../domain/settings.js'
import type {ActionContext} from './context.js'

/** What the commands need besides the context: where this deskrun is installed (oclif's config.root). */
export interface ServiceOptions {
  cliRoot: string
}

export interface ServiceState {
  /** The unit or agent file is there. */
  installed: boolean
  manager: ServiceManagerKind
  /** The unit file (systemd) or the agent's plist (launchd). */
  file: string
  /** The file is what `install` would write now (same node, deskrun and PATH). */
  current?: boolean
  /** Runs at login: systemd says it is enabled, or launchd has the agent loaded. */
  atLogin?: boolean
  /** systemd: active, activating, failed, inactive; launchd: running, not running, waiting, ... */
  state?: string
  /** launchd: how `deskrun up` last ended. */
  lastExitCode?: number
  /** Why the service manager could not be asked (no systemd user manager here). */
  unreachable?: string
  log: {file: string; lines: string[]}
}

type Host = {platform: NodeJS.Platform; env: NodeJS.ProcessEnv; home: string; uid: number}

function host(context: Pick<ActionContext, 'platform'>): Host {
  return {
    platform: context.platform ?? process.platform,
    env: process.env,
    home: os.homedir(),
    uid: process.getuid?.() ?? 0,
  }
}

function managerOf(platform: NodeJS.Platform): ServiceManagerKind {
  const kind = serviceManagerFor(platform)
  if (!kind)
    throw new DeskrunError(
      `deskrun service runs deskrun up at login on Linux (systemd) and macOS (launchd), not on ${platform}.`,
      {
        code: 'SERVICE_UNSUPPORTED',
        hint: 'Run deskrun up yourself after logging in (e.g. from a scheduled task).',
      },
    )
  return kind
}

/** The unit or plist `install` writes now, and where. */
async function wanted(kind: ServiceManagerKind, at: Host, options: ServiceOptions) {
  const cli = await realFile(path.join(options.cliRoot, 'bin', 'run.js'))
  const logFile = serviceLogFile(deskrunHome(at.env))
  const spec = {node: process.execPath, cli, env: serviceEnvironment(at.env), logFile, home: at.home}
  return {file: serviceFile(kind, at.home), text: renderService(kind, spec), cli, logFile}
}

function noManagerError(manager: ServiceManagerKind, error: NoServiceManager): DeskrunError {
  if (manager === 'launchd')
    return new DeskrunError(`deskrun service needs launchd, and cannot reach it: ${error.said}`, {
      code: 'NO_SERVICE_MANAGER',
    })
  return new DeskrunError(
    `deskrun service needs systemd's user manager, and there is none to talk to here: ${error.said}`,
    {
      code: 'NO_SERVICE_MANAGER',
      hint: [
        'WSL: turn systemd on ([boot] systemd=true in /etc/wsl.conf, then wsl --shutdown). Containers have none.',
        'Over ssh or su, log in as the user (a desktop or ssh session with XDG_RUNTIME_DIR set), or run: loginctl enable-linger "$USER".',
        'Or run deskrun up yourself after each login, e.g. from your shell profile.',
      ].join('\n'),
    },
  )
}

const launchdDomain = (at: Host) => `gui/${at.uid}`
const launchdTarget = (at: Host) => `${launchdDomain(at)}/${LAUNCHD_LABEL}`

export interface InstallResult {
  manager: ServiceManagerKind
  file: string
  log: string
  /** It was installed before (and is now replaced). */
  replaced: boolean
}

/**
 * Writes the unit or agent and starts it: `deskrun up` runs now in the background and at every login.
 * With no user manager to talk to, nothing is written. Installing again replaces it (and runs up again).
 */
export async function installService(
  context: ActionContext,
  options: ServiceOptions,
): Promise<InstallResult> {
  const at = host(context)
  const manager = managerOf(at.platform)
  const {file, text, cli, logFile} = await wanted(manager, at, options)
  // npx keeps its packages in a cache it may clear: the unit would then point at nothing.
  if (cli.split(path.sep).includes('_npx'))
    context.note(
      `deskrun runs from npx's cache (${cli}), which npm may clear; the service would then find no deskrun.`,
      'npm install -g deskrun && deskrun service install',
    )
  const replaced = (await readIfThere(file)) !== undefined
  const {systemctl, launchctl} = context.hostTools()
  try {
    if (manager === 'systemd') {
      // Asked first, so that a machine without a user manager is told so before anything is written.
      // is-active needs the manager; is-enabled does not where systemd is not PID 1 (WSL, containers):
      // systemctl then reads the unit files itself and answers.
      await systemctl.isActive(SYSTEMD_UNIT)
      await prepareLogFolder(logFile)
      await writeServiceFile(file, text)
      await systemctl.daemonReload()
      await systemctl.enable(SYSTEMD_UNIT)
      await systemctl.restart(SYSTEMD_UNIT)
    } else {
      // A loaded agent keeps its old definition: unload it first (bootstrap refuses a loaded one).
      await launchctl.bootout(launchdTarget(at))
      await prepareLogFolder(logFile)
      await writeServiceFile(file, text)
      await launchctl.bootstrap(launchdDomain(at), file)
    }
  } catch (error) {
    throw error instanceof NoServiceManager ? noManagerError(manager, error) : error
  }
  return {manager, file, log: logFile, replaced}
}

export interface UninstallResult {
  manager: ServiceManagerKind
  /** What was removed (the unit or plist, the log); empty when nothing was installed. */
  removed: string[]
  /** The service manager could not be told (no user manager here); the files are gone all the same. */
  unreachable?: string
}

/** Stops and removes what `install` wrote, and the log; nothing there is no failure. */
export async function uninstallService(context: ActionContext): Promise<UninstallResult> {
  const at = host(context)
  const manager = managerOf(at.platform)
  const file = serviceFile(manager, at.home)
  const logFile = serviceLogFile(deskrunHome(at.env))
  const {systemctl, launchctl} = context.hostTools()
  let unreachable: string | undefined
  try {
    if (manager === 'systemd') await systemctl.disable(SYSTEMD_UNIT)
    else await launchctl.bootout(launchdTarget(at))
  } catch (error) {
    if (!(error instanceof NoServiceManager)) throw error
    unreachable = error.said
  }
  const removed = []
  // systemctl enable made this link (WantedBy=default.target); with no manager to disable it, it goes here.
  if (manager === 'systemd' && unreachable)
    await removeIfThere(path.join(path.dirname(file), 'default.target.wants', SYSTEMD_UNIT))
  if (await removeIfThere(file)) removed.push(file)
  if (await removeIfThere(logFile)) removed.push(logFile)
  // The manager still knows the unit it read: reload so that it forgets it.
  if (manager === 'systemd' && !unreachable && removed.includes(file)) {
    await systemctl.daemonReload()
    await systemctl.resetFailed(SYSTEMD_UNIT)
  }
  return {manager, removed, ...(unreachable ? {unreachable} : {})}
}

/** Whether it is installed and current, what the service manager says about it, and the log's last lines. */
export async function serviceStatus(
  context: ActionContext,
  options: ServiceOptions & {lines: number},
): Promise<ServiceState> {
  const at = host(context)
  const manager = managerOf(at.platform)
  const {file, text, logFile} = await wanted(manager, at, options)
  const installed = await readIfThere(file)
  const state: ServiceState = {
    installed: installed !== undefined,
    manager,
    file,
    ...(installed !== undefined ? {current: installed === text} : {}),
    log: {file: logFile, lines: await lastLines(logFile, options.lines)},
  }
  const {systemctl, launchctl} = context.hostTools()
  try {
    if (manager === 'systemd') {
      const active = await systemctl.isActive(SYSTEMD_UNIT)
      return {...state, atLogin: (await systemctl.isEnabled(SYSTEMD_UNIT)) === 'enabled', state: active}
    }
    const job = await launchctl.print(launchdTarget(at))
    return {
      ...state,
      atLogin: job !== undefined,
      state: job?.state ?? 'not loaded',
      ...(job?.lastExitCode !== undefined ? {lastExitCode: job.lastExitCode} : {}),
    }
  } catch (error) {
    if (!(error instanceof NoServiceManager)) throw error
    return {...state, unreachable: error.said}
  }
}
