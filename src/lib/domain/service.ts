/**
 * `deskrun service`: what runs `deskrun up` at login. On Linux a systemd user unit, on macOS a launchd
 * agent; both run this machine's node with this deskrun's bin/run.js (absolute paths, as installed) and
 * append what `up` prints to one log file. Pure: the platform, paths and environment come in, file
 * contents come out, so the macOS files are tested on Linux too.
 *
 * Docker: a user unit cannot wait for the system's docker.service (the user's systemd and the system's
 * are separate managers; After= between them means nothing), and launchd has no dependencies at all.
 * So `up` simply runs, fails fast while Docker does not answer, and is started again 30 s later.
 */
import path from 'node:path'

import {DeskrunError} from './errors.js'

export type ServiceManagerKind = 'systemd' | 'launchd'

/** The systemd user unit's name. */
export const SYSTEMD_UNIT = 'deskrun.service'
/** The launchd agent's label (and the name of its plist). */
export const LAUNCHD_LABEL = 'dev.deskrun.up'
/** Seconds between a failed `up` and the next try (Docker may still be starting). */
export const RETRY_SECONDS = 30

/** Which service manager runs things at login on `platform`, or undefined where deskrun has none. */
export function serviceManagerFor(platform: NodeJS.Platform): ServiceManagerKind | undefined {
  if (platform === 'linux') return 'systemd'
  if (platform === 'darwin') return 'launchd'
  return undefined
}

/** Where the unit or agent lives: ~/.config/systemd/user (the user manager's own folder) or ~/Library/LaunchAgents. */
export function serviceFile(kind: ServiceManagerKind, home: string): string {
  return kind === 'systemd'
    ? path.join(home, '.config', 'systemd', 'user', SYSTEMD_UNIT)
    : path.join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`)
}

/** The log the service appends to: in deskrun's own folder, beside the config. */
export function serviceLogFile(deskrunHome: string): string {
  return path.join(deskrunHome, 'logs', 'service.log')
}

/**
 * What the service's environment keeps from the shell that installs it. A login service gets a bare
 * environment (systemd: the user manager's; launchd: PATH=/usr/bin:/bin:/usr/sbin:/sbin), where kind,
 * helm, kubectl and docker from Homebrew, ~/.local/bin or ~/go/bin are not found: PATH is taken as it is
 * now. The others say which Docker daemon, kube config and deskrun folder this user works with. Nothing
 * that may hold a credential (proxies may carry a password; DESKRUN_AUTH_VALUE is one): the files are not
 * secret, and `up` reads the credentials from the config.
 */
const KEPT_ENV = ['PATH', 'DESKRUN_HOME', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'KUBECONFIG', 'KIND_EXPERIMENTAL_PROVIDER'] // prettier-ignore

export function serviceEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const name of KEPT_ENV) {
    const value = env[name]
    if (!value) continue
    // A relative PATH entry would be looked up in the service's working folder: left out.
    kept[name] =
      name === 'PATH'
        ? value
            .split(':')
            .filter((dir) => path.isAbsolute(dir))
            .join(':')
        : value
  }
  return kept
}

export interface ServiceSpec {
  /** The node that runs deskrun now (process.execPath). */
  node: string
  /** deskrun's bin/run.js, its real path. */
  cli: string
  env: Record<string, string>
  logFile: string
  home: string
}

/** The file that makes `spec` run at login. */
export function renderService(kind: ServiceManagerKind, spec: ServiceSpec): string {
  for (const value of [spec.node, spec.cli, spec.logFile, spec.home, ...Object.values(spec.env)])
    // Neither a unit file nor a plist line can carry a line break or another control character.
    if ([...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f))
      throw new DeskrunError(
        `Cannot write the ${kind === 'systemd' ? 'systemd unit' : 'launchd agent'}: ${JSON.stringify(value)} holds a control character.`,
        {code: 'SERVICE_PATH', hint: 'Install deskrun (and node) under a path without line breaks.'},
      )
  return kind === 'systemd' ? systemdUnit(spec) : launchdPlist(spec)
}

/** systemd expands `%` specifiers everywhere; `%%` is a percent sign. */
const specifiers = (text: string) => text.replaceAll('%', '%%')

/**
 * One word of ExecStart= or Environment=: in double quotes, where systemd unescapes C escapes. In
 * ExecStart= it also expands $VAR, so a dollar sign there is `$$`.
 */
function quoted(text: string, {exec}: {exec: boolean}): string {
  const escaped = specifiers(text).replaceAll('\\', '\\\\').replaceAll('"', '\\"')
  return `"${exec ? escaped.replaceAll('$', '$$$$') : escaped}"`
}

function systemdUnit(spec: ServiceSpec): string {
  const exec = [spec.node, spec.cli, 'up'].map((word) => quoted(word, {exec: true})).join(' ')
  const env = Object.entries(spec.env).map(
    ([name, value]) => `Environment=${quoted(`${name}=${value}`, {exec: false})}`,
  )
  return `# Written by \`deskrun service install\`, removed by \`deskrun service uninstall\`: install again to change it.
[Unit]
Description=deskrun up: bring the runners up at login
# After 60 failed tries within an hour (say Docker never started), systemd stops trying until the next
# login; \`deskrun service status\` shows the log.
StartLimitIntervalSec=1h
StartLimitBurst=60

[Service]
# deskrun up runs to the end and exits; the unit then stays active. A oneshot has no start timeout:
# deskrun limits each kind, helm and kubectl call itself.
Type=oneshot
RemainAfterExit=yes
ExecStart=${exec}
${env.join('\n')}
WorkingDirectory=~
StandardOutput=append:${specifiers(spec.logFile)}
StandardError=append:${specifiers(spec.logFile)}
# A user unit cannot order itself after the system's docker.service: while Docker does not answer, up
# fails and runs again ${RETRY_SECONDS} s later. A bad config (exit 2) does not fix itself: no retry then.
Restart=on-failure
RestartSec=${RETRY_SECONDS}s
RestartPreventExitStatus=2

[Install]
WantedBy=default.target
`
}

const xml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

function launchdPlist(spec: ServiceSpec): string {
  const string = (text: string) => `<string>${xml(text)}</string>`
  const env = Object.entries(spec.env).flatMap(([name, value]) => [
    `\t\t<key>${xml(name)}</key>`,
    `\t\t${string(value)}`,
  ])
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Written by \`deskrun service install\`, removed by \`deskrun service uninstall\`: install again to change it.
     launchd runs deskrun up at login (RunAtLoad) and again ${RETRY_SECONDS} s after it failed (KeepAlive:
     SuccessfulExit false; ThrottleInterval), e.g. while Docker Desktop is still starting. -->
<plist version="1.0">
<dict>
\t<key>Label</key>
\t${string(LAUNCHD_LABEL)}
\t<key>ProgramArguments</key>
\t<array>
\t\t${string(spec.node)}
\t\t${string(spec.cli)}
\t\t${string('up')}
\t</array>
\t<key>EnvironmentVariables</key>
\t<dict>
${env.join('\n')}
\t</dict>
\t<key>WorkingDirectory</key>
\t${string(spec.home)}
\t<key>RunAtLoad</key>
\t<true/>
\t<key>KeepAlive</key>
\t<dict>
\t\t<key>SuccessfulExit</key>
\t\t<false/>
\t</dict>
\t<key>ThrottleInterval</key>
\t<integer>${RETRY_SECONDS}</integer>
\t<key>StandardOutPath</key>
\t${string(spec.logFile)}
\t<key>StandardErrorPath</key>
\t${string(spec.logFile)}
</dict>
</plist>
`
}
