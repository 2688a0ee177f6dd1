/**
 * The human view of a doctor report, one check at a time (doctor prints each as it completes). On a
 * terminal: a row with the status in colour, the check, and what was found wrapped between words under
 * its column; the fix whole on a line of its own below, so that a command can be copied as it is.
 * Elsewhere (a pipe, a file): one tab-separated line per check, `status check found fix`, for grep and cut.
 */
import * as ux from '@oclif/core/ux'

import type {Check, CheckStatus, DoctorReport} from '../app/doctor/types.js'
import {displayWidth, padEnd, wrapWords} from './text.js'

const LOOK: Record<CheckStatus, {mark: string; color: 'green' | 'yellow' | 'red'}> = {
  ok: {mark: '✓ ok', color: 'green'},
  warn: {mark: '! warn', color: 'yellow'},
  fail: {mark: '✗ fail', color: 'red'},
}

const MARK_WIDTH = 6
/** The longest check title ("Data root caches"); a longer one pushes its row's text to the right. */
const TITLE_WIDTH = 16
const GAP = '  '
/** Narrower than this, what was found starts on a line of its own. */
const MIN_FOUND_WIDTH = 24
const FIX_INDENT = ' '.repeat(MARK_WIDTH + GAP.length)

/** `columns`: the terminal's width, or undefined when the output is no terminal. */
export function doctorLine(check: Check, columns: number | undefined): string {
  if (columns === undefined) {
    const field = (text = '') => text.replaceAll(/[\t\n]+/g, ' ')
    return [check.status, check.title, check.found, check.fix].map(field).join('\t')
  }
  const look = LOOK[check.status]
  const head = `${padEnd(ux.colorize(look.color, look.mark), MARK_WIDTH)}${GAP}${padEnd(check.title, TITLE_WIDTH)}${GAP}`
  const indent = MARK_WIDTH + TITLE_WIDTH + 2 * GAP.length
  // A word longer than the column (a path) would be cut by the terminal: the text goes under the row.
  const longest = Math.max(...check.found.split(/\s+/).map(displayWidth))
  const beside = columns - indent >= Math.max(MIN_FOUND_WIDTH, longest)
  const found = wrapWords(check.found, beside ? columns - indent : columns - FIX_INDENT.length)
  const lines = beside
    ? found.map((line, index) => (index === 0 ? head : ' '.repeat(indent)) + line)
    : [head.trimEnd(), ...found.map((line) => FIX_INDENT + line)]
  if (check.fix)
    lines.push(
      ...check.fix.split('\n').map((line, index) => `${FIX_INDENT}${index ? '     ' : 'fix: '}${line}`),
    )
  return lines.join('\n')
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
