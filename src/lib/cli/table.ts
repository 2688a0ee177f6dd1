/**
 * Tables for human output, in the look of @oclif/table's `headers-only-with-underline` (which deskrun
 * used before): a bold heading, an underline, left-aligned cells. That library renders through React
 * and ink; for a few rows of text it cost more start-up time than everything else `deskrun list` does.
 * On a terminal the table fits its width: the widest columns wrap first, never narrower than their
 * heading. Elsewhere (a pipe, a file) every row stays on one line.
 */
import {stripVTControlCharacters} from 'node:util'

import {ux} from '@oclif/core'

const PADDING = 1
const MIN_TEXT = 3

const width = (text: string): number => [...stripVTControlCharacters(text)].length

export function table<T extends Record<string, unknown>>(data: T[], columns: (keyof T & string)[]): string {
  const cells = data.map((row) => columns.map((column) => String(row[column] ?? '')))
  const widths = columns.map((column, index) =>
    Math.max(width(column), ...cells.map((row) => Math.max(...row[index].split('\n').map(width)))),
  )
  fit(widths, columns, terminalWidth())

  const line = (texts: string[]): string[] => {
    const wrapped = texts.map((text, index) => wrap(text, widths[index]))
    const height = Math.max(...wrapped.map((lines) => lines.length))
    return Array.from({length: height}, (_, row) =>
      wrapped
        .map((lines, index) => pad(lines[row] ?? '', widths[index]))
        .join(' '.repeat(1 + 2 * PADDING))
        .trimEnd(),
    ).map((text) => `${' '.repeat(1 + PADDING)}${text}`)
  }
  const heading = line(columns.map((column) => ux.colorize('bold', ux.colorize('blue', column))))
  const underline = ` ${'─'.repeat(widths.reduce((sum, cell) => sum + cell + 2 * PADDING + 1, -1))}`
  // The blank line after it is @oclif/table's too.
  return `${[...heading, underline, ...cells.flatMap(line)].join('\n')}\n`
}

/** What @oclif/table (and so deskrun's users) took for the width: an override, else the terminal's. */
function terminalWidth(): number | undefined {
  return (
    Number.parseInt(process.env.OCLIF_TABLE_COLUMN_OVERRIDE ?? '', 10) || process.stdout.columns || undefined
  )
}

/** Narrows the widest columns until the table fits: first down to their heading, then to a few characters. */
function fit(widths: number[], columns: string[], available: number | undefined): void {
  if (!available) return
  const total = () => widths.reduce((sum, cell) => sum + cell + 2 * PADDING + 1, 1)
  for (const minimum of [(index: number) => width(columns[index]), () => MIN_TEXT]) {
    const order = widths.map((_, index) => index).sort((a, b) => widths[b] - widths[a])
    for (const index of order) {
      if (total() <= available) return
      widths[index] = Math.max(minimum(index), widths[index] - (total() - available))
    }
  }
}

/**
 * Word-wraps text to `size` characters a line as wrap-ansi (which @oclif/table used) does: a word longer
 * than a line is cut, and starts on the current line when that takes no more lines.
 */
function wrap(text: string, size: number): string[] {
  if (!text.includes('\n') && width(text) <= size) return [text]
  return stripVTControlCharacters(text)
    .split('\n')
    .flatMap((paragraph) => {
      const rows = ['']
      const used = () => width(rows.at(-1)!)
      for (const word of paragraph.split(' ')) {
        rows[rows.length - 1] = rows.at(-1)!.trimStart()
        if (used() > 0) rows[rows.length - 1] += ' '
        const length = width(word)
        if (length > size) {
          const linesFromHere = 1 + Math.floor((length - (size - used()) - 1) / size)
          if (Math.floor((length - 1) / size) < linesFromHere) rows.push('')
          for (const character of word) {
            if (used() >= size) rows.push('')
            rows[rows.length - 1] += character
          }
          continue
        }
        if (used() + length > size && used() > 0 && length > 0) rows.push('')
        rows[rows.length - 1] += word
      }
      return rows.map((row) => row.trimEnd())
    })
}

const pad = (text: string, size: number): string => text + ' '.repeat(Math.max(0, size - width(text)))
