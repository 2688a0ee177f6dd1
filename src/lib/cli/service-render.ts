/** What `deskrun service install|uninstall|status` print. */
import type {InstallResult, ServiceState, UninstallResult} from '../app/service.js'

const what = (manager: ServiceState['manager']) =>
  manager === 'systemd' ? 'systemd user unit' : 'launchd agent'

export function installSummary(result: InstallResult): string[] {
  return [
    `${result.replaced ? 'Replaced' : 'Installed'} the ${what(result.manager)} ${result.file}.`,
    `deskrun up runs now in the background and at every login; its output goes to ${result.log}.`,
    'See how it went: deskrun service status',
  ]
}

export function uninstallSummary(result: UninstallResult): string[] {
  const lines =
    result.removed.length > 0
      ? [
          `Removed ${result.removed.join(' and ')}.`,
          'deskrun up no longer runs at login; the runners keep running.',
        ]
      : [`No ${what(result.manager)} of deskrun was installed; nothing to remove.`]
  if (result.unreachable && result.removed.length > 0)
    lines.push(
      `The service manager could not be asked (${result.unreachable}); it will not find them at the next login.`,
    )
  return lines
}

export function serviceLines(state: ServiceState): string[] {
  if (!state.installed) {
    const lines = [`deskrun service: not installed (no ${state.file}).`]
    lines.push(
      state.unreachable
        ? `This machine has no systemd user manager to run it (${state.unreachable}); see deskrun service install --help.`
        : 'Run deskrun up at every login with: deskrun service install',
    )
    return lines
  }
  const lines = [`deskrun service: ${what(state.manager)} ${state.file}`]
  if (state.unreachable) lines.push(`  the service manager could not be asked: ${state.unreachable}`)
  else {
    lines.push(
      `  at login: ${state.atLogin ? 'yes' : `no (${state.manager === 'systemd' ? 'not enabled' : 'not loaded'})`}`,
    )
    const exit = state.lastExitCode === undefined ? '' : `, last exit code ${state.lastExitCode}`
    lines.push(`  state: ${state.state}${exit}`)
  }
  if (state.current === false)
    lines.push(
      '  It runs another node, deskrun or PATH than this one: deskrun service install (again) to update it.',
    )
  if (state.log.lines.length === 0) lines.push(`  log ${state.log.file}: nothing yet`)
  else lines.push(`  log ${state.log.file}, last lines:`, ...state.log.lines.map((line) => `    ${line}`))
  return lines
}
