/**
 * A real pseudo-terminal for the tests of what a person at a terminal sees: deskrun runs in a tmux
 * pane of a chosen size (stdin, stdout and stderr terminals, as in a shell), the test types keys
 * into it and reads the screen as tmux shows it. Each terminal has its own tmux server (socket in
 * its own folder), gone after `close()`.
 */
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {execa} from 'execa'

import {REPO_ROOT} from './fake-tools.js'

export const hasTmux = ['/usr/bin/tmux', '/usr/local/bin/tmux', '/bin/tmux'].some(existsSync)

export interface TerminalOptions {
  columns: number
  rows?: number
  /** The whole environment of the command (nothing else leaks in); TERM is set here. */
  env: Record<string, string>
  cwd?: string
}

export class Terminal {
  private constructor(
    private readonly dir: string,
    private readonly socket: string,
    private readonly statusFile: string,
  ) {}

  /** Starts `node bin/run.js ...args` (the build) in a new terminal. */
  static async deskrun(args: string[], options: TerminalOptions): Promise<Terminal> {
    return Terminal.start([process.execPath, path.join(REPO_ROOT, 'bin', 'run.js'), ...args], options)
  }

  static async start(command: string[], options: TerminalOptions): Promise<Terminal> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'deskrun-tty-'))
    const config = path.join(dir, 'tmux.conf')
    // The pane stays after the command ends, so its last screen and exit status can be read.
    await writeFile(config, 'set -g remain-on-exit on\nset -g status off\nset -g history-limit 5000\n')
    const terminal = new Terminal(dir, path.join(dir, 'tmux.sock'), path.join(dir, 'exit-status'))
    const env = {...options.env, TERM: 'xterm-256color'}
    // A shell waits for the command and writes its exit status to a file: tmux's own record of it
    // (pane_dead_status) sometimes never comes, its server not reaping the ended process.
    const run = [
      'sh',
      '-c',
      // A Ctrl-C reaches the shell too: it must outlive the command to write the status.
      'trap : INT; "$@"; echo $? > "$0"',
      terminal.statusFile,
      'env',
      '-i',
      ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
      ...command,
    ]
    await terminal.tmux(
      '-f',
      config,
      'new-session',
      '-d',
      '-x',
      String(options.columns),
      '-y',
      String(options.rows ?? 30),
      '-c',
      options.cwd ?? dir,
      // Several words: tmux runs them as they are (execvp), no shell between.
      ...run,
    )
    return terminal
  }

  /** What the terminal shows now, trailing blanks removed; `history` adds what scrolled off the top. */
  async screen(history = false): Promise<string> {
    const {stdout} = await this.tmux('capture-pane', '-p', ...(history ? ['-S', '-'] : []))
    // tmux's own note under a finished command is not the command's output.
    return stdout.replace(/\nPane is dead \(.*\)\s*$/, '').replace(/\s+$/, '')
  }

  /** Waits until the screen holds `text`; fails with the screen after `timeoutMs`. */
  async waitFor(text: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const found = (screen: string) => (typeof text === 'string' ? screen.includes(text) : text.test(screen))
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const screen = await this.screen(true)
      if (found(screen)) return screen
      if (Date.now() > deadline) throw new Error(`The terminal never showed ${String(text)}:\n${screen}`)
      await sleep(100)
    }
  }

  /** Types keys, in tmux's names: 'C-c', 'Enter', 'Tab', or plain text (sent literally). */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', ...keys)
  }

  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-l', text)
  }

  /** Waits for the command to end and returns its exit code. */
  async exitCode(timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const status = await readFile(this.statusFile, 'utf8').catch(() => '')
      if (status.endsWith('\n')) return Number(status)
      if (Date.now() > deadline) throw new Error(`The command did not end:\n${await this.screen(true)}`)
      await sleep(100)
    }
  }

  async close(): Promise<void> {
    await this.tmux('kill-server').catch(() => {})
    await rm(this.dir, {recursive: true, force: true})
  }

  private tmux(...args: string[]) {
    return execa('tmux', ['-S', this.socket, ...args], {env: {TMUX: ''}})
  }
}
