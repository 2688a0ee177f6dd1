// Fake `systemctl --user` of systemd 255 (src/systemctl): the user manager's unit files under
// ~/.config/systemd/user, what it has loaded, enablement as [Install] WantedBy= symlinks, and each unit's
// active state. The fake runs no unit: a oneshot started with --no-block stays `activating` (its command
// would be running) and any other start makes it `active`, until a test says how it ended
// (setUnitState in state.js).
//
// Where systemd is not PID 1 (a container, WSL without systemd: setSystemdBooted(dir, false)), systemctl
// works "offline" (install_client_side): is-enabled, enable and disable read and change the unit files
// themselves, without the manager; everything else still needs the bus and fails.
import fs from 'node:fs'
import path from 'node:path'

import {ToolError, parseArgs} from './common.js'
import {invoke, runTool} from './invoke.js'

/** @type {import('./common.js').Spec} */
const SPEC = {
  user: {type: 'bool'},
  system: {type: 'bool'},
  now: {type: 'bool'},
  'no-block': {type: 'bool'},
  quiet: {type: 'bool', short: 'q'},
  'no-reload': {type: 'bool'},
}

/** The commands emulated; anything else says so. */
const VERBS = ['daemon-reload', 'is-enabled', 'is-active', 'enable', 'disable', 'start', 'restart', 'stop', 'reset-failed'] // prettier-ignore

/** One call of the fake systemctl, in process (see invoke.js). @type {import('./invoke.js').Tool} */
export const run = (argv, io) => invoke('systemctl', argv, io, systemctl, (message) => `${message}\n`)

/** The executable (../bin/systemctl). @param {string[]} argv */
export const main = (argv) => runTool(run, argv)

/** Where the user manager reads unit files (its own config folder, ~/.config/systemd/user). @param {any} env */
const unitDir = (env) => path.join(env.HOME ?? '/', '.config', 'systemd', 'user')

/**
 * systemctl --user connects to the manager's private socket in $XDG_RUNTIME_DIR (or the session bus);
 * without either variable, or without the socket, it cannot (bus-util.c, bus_log_connect_full).
 * @param {any} env @param {boolean} [booted]
 */
function connect(env, booted = true) {
  const prefix = 'Failed to connect to user scope bus via local transport'
  if (!env.XDG_RUNTIME_DIR && !env.DBUS_SESSION_BUS_ADDRESS)
    throw new ToolError(
      `${prefix}: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined (consider using --machine=<user>@.host --user to connect to bus of other user)`,
    )
  // Without systemd as PID 1 no user manager runs, whatever the folder holds.
  const socket = env.XDG_RUNTIME_DIR && path.join(env.XDG_RUNTIME_DIR, 'systemd', 'private')
  if (!booted || !socket || !fs.existsSync(socket))
    throw new ToolError(`${prefix}: No such file or directory`)
}

/** @param {string} file */
const read = (file) => {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** The targets of [Install] WantedBy=. @param {string} text */
function wantedBy(text) {
  const install = text.split(/^\[Install\]\s*$/m)[1]?.split(/^\[/m)[0] ?? ''
  return [...install.matchAll(/^WantedBy=(.+)$/gm)].flatMap((m) => m[1].trim().split(/\s+/))
}

/** @param {any} ctx */
function systemctl(ctx) {
  let parsed
  try {
    parsed = parseArgs(ctx.argv, SPEC)
  } catch (error) {
    throw new ToolError(`systemctl: ${/** @type {Error} */ (error).message}`)
  }
  const {flags, args} = parsed
  if (!flags.user) throw new ToolError('fake systemctl: only the user manager (--user) is emulated')
  const [verb, ...units] = args
  if (!VERBS.includes(verb)) throw new ToolError(`fake systemctl: "systemctl ${verb ?? ''}" is not emulated`)
  const dir = unitDir(ctx.env)
  const manager = (ctx.state.systemd ??= {units: {}})
  const offline = manager.booted === false
  const clientSide = offline && ['is-enabled', 'enable', 'disable'].includes(verb)
  if (!clientSide) connect(ctx.env, !offline)
  /** The manager's record of a unit (loaded text, active state). @param {string} name */
  const unit = (name) => (manager.units[name] ??= {state: 'inactive'})
  /** Loads a unit file the manager has not read yet, as it does when a unit is first referenced. @param {string} name */
  const load = (name) => {
    const record = unit(name)
    if (record.loaded === undefined) {
      const text = read(path.join(dir, name))
      if (text !== undefined) record.loaded = text
    }
    return record
  }
  const changedOnDisk = (/** @type {string} */ name) => {
    const text = read(path.join(dir, name))
    if (
      text !== undefined &&
      manager.units[name]?.loaded !== undefined &&
      manager.units[name].loaded !== text
    )
      ctx.err(
        `Warning: The unit file, source configuration file or drop-ins of ${name} changed on disk. Run 'systemctl --user daemon-reload' to reload units.\n`,
      )
  }
  const needUnits = () => {
    if (units.length === 0) throw new ToolError(`Too few arguments.`)
  }

  switch (verb) {
    case 'daemon-reload': {
      for (const [name, record] of Object.entries(manager.units)) {
        const text = read(path.join(dir, name))
        if (text === undefined) delete record.loaded
        else record.loaded = text
        // A unit whose file is gone and that does not run is forgotten.
        if (text === undefined && record.state === 'inactive') delete manager.units[name]
      }
      return 0
    }
    case 'is-enabled': {
      needUnits()
      let enabled = false
      let found = false
      for (const name of units) {
        const text = read(path.join(dir, name))
        if (text === undefined) {
          if (!flags.quiet) ctx.out('not-found\n')
          continue
        }
        found = true
        const targets = wantedBy(text)
        const linked = targets.some((target) => fs.existsSync(path.join(dir, `${target}.wants`, name)))
        const state = targets.length === 0 ? 'static' : linked ? 'enabled' : 'disabled'
        if (state !== 'disabled') enabled = true
        if (!flags.quiet) ctx.out(`${state}\n`)
      }
      return enabled ? 0 : found ? 1 : 4
    }
    case 'is-active': {
      needUnits()
      const states = units.map((name) => manager.units[name]?.state ?? 'inactive')
      if (!flags.quiet) ctx.out(states.map((state) => `${state}\n`).join(''))
      return states.includes('active') ? 0 : 3
    }
    case 'enable':
    case 'disable': {
      needUnits()
      for (const name of units) {
        const file = path.join(dir, name)
        const text = read(file)
        if (text === undefined)
          throw new ToolError(`Failed to ${verb} unit: Unit file ${name} does not exist.`)
        for (const target of wantedBy(text)) {
          const link = path.join(dir, `${target}.wants`, name)
          if (verb === 'enable' && !fs.existsSync(link)) {
            fs.mkdirSync(path.dirname(link), {recursive: true})
            fs.symlinkSync(file, link)
            ctx.err(`Created symlink ${link} → ${file}.\n`)
          }
          if (verb === 'disable' && fs.existsSync(link)) {
            fs.rmSync(link)
            ctx.err(`Removed "${link}".\n`)
          }
        }
      }
      // enable and disable reload the manager afterwards (unless --no-reload); offline there is none.
      if (offline) {
        if (flags.now) connect(ctx.env, false)
        return 0
      }
      if (!flags['no-reload'])
        for (const name of units) {
          const text = read(path.join(dir, name))
          if (text !== undefined) unit(name).loaded = text
        }
      if (flags.now)
        for (const name of units) {
          if (verb === 'enable') start(load(name), flags)
          else if (manager.units[name]) manager.units[name].state = 'inactive'
        }
      return 0
    }
    case 'start':
    case 'restart': {
      needUnits()
      for (const name of units) {
        const record = load(name)
        if (record.loaded === undefined) {
          if (record.state === 'inactive') delete manager.units[name]
          ctx.err(`Failed to ${verb} ${name}: Unit ${name} not found.\n`)
          return 5
        }
        changedOnDisk(name)
        if (verb === 'restart' || record.state !== 'active') start(record, flags)
      }
      return 0
    }
    case 'stop': {
      needUnits()
      for (const name of units) {
        const record = manager.units[name]
        if (!record || (record.loaded === undefined && record.state === 'inactive')) {
          ctx.err(`Failed to stop ${name}: Unit ${name} not loaded.\n`)
          return 5
        }
        record.state = 'inactive'
      }
      return 0
    }
    case 'reset-failed': {
      needUnits()
      for (const name of units) {
        const record = manager.units[name]
        if (!record)
          throw new ToolError(`Failed to reset failed state of unit ${name}: Unit ${name} not loaded.`)
        if (record.state === 'failed') record.state = 'inactive'
        if (record.loaded === undefined && record.state === 'inactive') delete manager.units[name]
      }
      return 0
    }
  }
}

/** A start job: queued and left running with --no-block (a oneshot activates until its command exits). @param {any} record @param {any} flags */
function start(record, flags) {
  const oneshot = /^Type=oneshot\s*$/m.test(record.loaded ?? '')
  record.state = flags['no-block'] && oneshot ? 'activating' : 'active'
}
