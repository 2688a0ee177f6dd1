/**
 * The two service managers `deskrun service` talks to: systemd's user manager through `systemctl --user`
 * and launchd through `launchctl`, as child processes of the ToolRunner like every other tool.
 */
import {DeskrunError} from '../../domain/errors.js'
import {type RunOptions, type ToolRunner, toolFailure} from './runner.js'

/**
 * systemctl's words when there is no user manager to talk to: no session bus variables (a cron job, su,
 * a container), no socket behind them (WSL without systemd), or no systemd at all. systemd 254 and later
 * say "Failed to connect to user scope bus via local transport: ...", older ones "Failed to connect to
 * bus: ...".
 */
const NO_USER_MANAGER = /Failed to connect to (?:\w+ scope )?bus|has not been booted with systemd/

/** There is no service manager deskrun can use here: what it said, for the message. */
export class NoServiceManager extends DeskrunError {
  constructor(readonly said: string) {
    super(said, {code: 'NO_SERVICE_MANAGER'})
  }
}

export class Systemctl {
  constructor(private readonly runner: ToolRunner) {}

  private async run(args: string[], step: string, options: RunOptions = {}) {
    const result = await this.runner
      .run('systemctl', ['--user', ...args], {step, allowFailure: true, ...options})
      .catch((error: unknown) => {
        if (error instanceof DeskrunError && error.code === 'TOOL_MISSING')
          throw new NoServiceManager('systemctl is not installed: this machine does not run systemd.')
        throw error
      })
    const said = result.stderr.trim().split('\n').at(-1) ?? ''
    if (result.exitCode !== 0 && NO_USER_MANAGER.test(result.stderr)) throw new NoServiceManager(said)
    return result
  }

  private async must(args: string[], step: string, options: RunOptions = {}): Promise<void> {
    const result = await this.run(args, step, options)
    if (result.exitCode !== 0) throw toolFailure('systemctl', result, {step})
  }

  /**
   * `enabled`, `disabled`, `not-found`, ... (its stdout; exit 1 means not enabled, 4 not found). Before
   * systemd 254 a missing unit printed nothing and "No such file or directory" on stderr.
   */
  async isEnabled(unit: string): Promise<string> {
    const result = await this.run(['is-enabled', unit], `ask systemd whether ${unit} is enabled`)
    const word = result.stdout.trim().split('\n')[0]
    if (word) return word
    if (/No such file or directory/.test(result.stderr)) return 'not-found'
    throw toolFailure('systemctl', result, {step: `ask systemd whether ${unit} is enabled`})
  }

  /** `active`, `activating`, `failed`, `inactive`, ... (exit 3 when not active). */
  async isActive(unit: string): Promise<string> {
    const result = await this.run(['is-active', unit], `ask systemd whether ${unit} is active`)
    const word = result.stdout.trim().split('\n')[0]
    if (word) return word
    throw toolFailure('systemctl', result, {step: `ask systemd whether ${unit} is active`})
  }

  /** Makes the user manager read the unit files again (after one was written or removed). */
  daemonReload(): Promise<void> {
    return this.must(['daemon-reload'], 'reload the systemd user units')
  }

  enable(unit: string): Promise<void> {
    return this.must(['enable', unit], `enable ${unit}`)
  }

  /** Starts it again (or for the first time) without waiting for it to finish: `deskrun up` may take minutes. */
  restart(unit: string): Promise<void> {
    return this.must(['restart', '--no-block', unit], `start ${unit}`)
  }

  /** Stops and disables it; a unit that is not there ("does not exist", "not loaded") is no failure. */
  async disable(unit: string): Promise<void> {
    const step = `disable ${unit}`
    const result = await this.run(['disable', '--now', unit], step)
    if (result.exitCode !== 0 && !/does not exist|not loaded/.test(result.stderr))
      throw toolFailure('systemctl', result, {step})
  }

  /** Forgets that it failed, so that no `not-found failed` entry stays behind; a unit not loaded is fine too. */
  async resetFailed(unit: string): Promise<void> {
    const step = `reset ${unit}`
    const result = await this.run(['reset-failed', unit], step)
    if (result.exitCode !== 0 && !/not loaded/.test(result.stderr))
      throw toolFailure('systemctl', result, {step})
  }
}

/** What `launchctl print` says about a loaded agent. */
export interface LaunchdJob {
  /** `running`, `not running`, `waiting`, ... */
  state: string
  /** Undefined until it has exited once. */
  lastExitCode?: number
}

export class Launchctl {
  constructor(private readonly runner: ToolRunner) {}

  private async run(args: string[], step: string) {
    return this.runner.run('launchctl', args, {step, allowFailure: true}).catch((error: unknown) => {
      if (error instanceof DeskrunError && error.code === 'TOOL_MISSING')
        throw new NoServiceManager('launchctl is not installed: this is no macOS.')
      throw error
    })
  }

  /** The agent `gui/UID/LABEL` as launchd has it, or undefined when it is not loaded (exit 113). */
  async print(target: string): Promise<LaunchdJob | undefined> {
    const step = `ask launchd about ${target}`
    const result = await this.run(['print', target], step)
    if (result.exitCode === 113) return undefined
    if (result.exitCode !== 0) throw toolFailure('launchctl', result, {step})
    const field = (name: string) =>
      new RegExp(`^\\s*${name} = (.*)$`, 'm').exec(result.stdout)?.[1]?.trim() ?? undefined
    const exit = Number(field('last exit code'))
    return {state: field('state') ?? 'unknown', ...(Number.isInteger(exit) ? {lastExitCode: exit} : {})}
  }

  /** Loads the plist into `domain` (`gui/UID`): with RunAtLoad it runs at once, and at every login. */
  async bootstrap(domain: string, plist: string): Promise<void> {
    const step = `load ${plist} into launchd`
    const result = await this.run(['bootstrap', domain, plist], step)
    if (result.exitCode !== 0) throw toolFailure('launchctl', result, {step})
  }

  /** Unloads `gui/UID/LABEL` (stopping it); not loaded (exit 3, "No such process") is no failure. */
  async bootout(target: string): Promise<void> {
    const step = `unload ${target} from launchd`
    const result = await this.run(['bootout', target], step)
    if (result.exitCode !== 0 && result.exitCode !== 3) throw toolFailure('launchctl', result, {step})
  }
}
