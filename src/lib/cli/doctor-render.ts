/** The human view of a doctor report: one table row per check, status in colour on a terminal. */
import {ux} from '@oclif/core'

import type {Check, CheckStatus, DoctorReport} from '../app/doctor/types.js'

const LOOK: Record<CheckStatus, {mark: string; color: 'green' | 'yellow' | 'red'}> = {
  ok: {mark: '✓ ok', color: 'green'},
  warn: {mark: '! warn', color: 'yellow'},
  fail: {mark: '✗ fail', color: 'red'},
}

export interface DoctorRow extends Record<string, unknown> {
  status: string
  check: string
  found: string
  fix: string
}

/** ux.colorize leaves text plain when stdout is not a terminal (or NO_COLOR is set). */
export function doctorRows(checks: readonly Check[]): DoctorRow[] {
  return checks.map((check) => ({
    status: ux.colorize(LOOK[check.status].color, LOOK[check.status].mark),
    check: check.title,
    found: check.found,
    fix: check.fix ?? '',
  }))
}

export function doctorSummary(report: DoctorReport): string {
  const count = (status: CheckStatus) => report.checks.filter((check) => check.status === status).length
  const installed = report.installed.length > 0 ? `Installed ${report.installed.join(', ')}. ` : ''
  const fixable = report.checks.some((check) => check.status === 'fail' && check.provisionable)
    ? ' `deskrun doctor --fix` installs the missing tools.'
    : ''
  const warnings = `${count('warn')} warning${count('warn') === 1 ? '' : 's'}`
  if (count('fail') > 0) return `${installed}${count('fail')} failed, ${warnings}.${fixable}`
  return `${installed}All set${count('warn') > 0 ? `, with ${warnings}` : ''}.`
}
