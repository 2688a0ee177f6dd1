/**
 * Tables for human output. On a terminal: a bold heading, an underline, left-aligned cells (the look of
 * @oclif/table's `headers-only-with-underline`, which deskrun used before), fitted to the terminal's
 * width without ever splitting a word, a URL or a name:
 *  1. a column marked `below` (a long text, e.g. a summary or a URL) leaves the row for a line of its
 *     own under it, wrapped between words;
 *  2. then columns marked `shorten` are cut with "…", the widest first, never narrower than their heading;
 *  3. when the row still does not fit (the key columns alone are wider than the terminal), each row
 *     becomes a block of `heading  value` lines.
 * Not on a terminal (a pipe, a file): one line per row, cells separated by tabs, no heading and no
 * rulers, as gh prints, so that `| grep` and `| cut -f2` work.
 */
import * as ux from '@oclif/core/ux'

import {displayWidth, padEnd, shorten, wrapWords} from './text.js'

export interface Column<K extends string = string> {
  key: K
  /** The heading (default: the key). */
  heading?: string
  /** May be cut with "…" to fit: text that helps reading but is never typed or copied. */
  shorten?: boolean
  /** May go on a line of its own under the row when the row does not fit. */
  below?: boolean
}

const INDENT = '  '
const GAP = '  '
const BELOW_INDENT = '    '

/** `width`: the terminal's columns, or undefined when the output is not a terminal. */
export function table<K extends string>(
  rows: readonly Record<K, string>[],
  columns: readonly (Column<K> | K)[],
  width: number | undefined,
): string {
  const specs = columns.map((column): Column<K> => (typeof column === 'string' ? {key: column} : column))
  if (width === undefined)
    return rows.map((row) => specs.map(({key}) => row[key].replaceAll(/[\t\n]+/g, ' ')).join('\t')).join('\n')

  const heading = (column: Column<K>) => column.heading ?? column.key
  const natural = (column: Column<K>) =>
    Math.max(displayWidth(heading(column)), ...rows.map((row) => displayWidth(row[column.key])))
  const total = (inline: Column<K>[], widths: number[]) =>
    INDENT.length + widths.reduce((sum, cell) => sum + cell, 0) + GAP.length * (inline.length - 1)

  let inline = specs
  let widths = inline.map(natural)
  if (total(inline, widths) > width) {
    inline = specs.filter((column) => !column.below)
    widths = inline.map(natural)
  }
  for (const index of indexesByWidth(widths)) {
    const over = total(inline, widths) - width
    if (over <= 0) break
    if (inline[index].shorten)
      widths[index] = Math.max(displayWidth(heading(inline[index])), widths[index] - over)
  }
  if (total(inline, widths) > width) return blocks(rows, specs, width)

  const below = specs.filter((column) => !inline.includes(column))
  const line = (cells: string[]) =>
    `${INDENT}${cells.map((cell, index) => padEnd(shorten(cell, widths[index]), widths[index])).join(GAP)}`.trimEnd()
  const headings = line(inline.map((column) => ux.colorize('bold', ux.colorize('blue', heading(column)))))
  const ruler = ` ${'─'.repeat(total(inline, widths) - 1)}`
  const body = rows.flatMap((row) => [
    line(inline.map(({key}) => row[key])),
    ...below.flatMap(({key}) =>
      row[key] ? wrapWords(row[key], width - BELOW_INDENT.length).map((text) => BELOW_INDENT + text) : [],
    ),
  ])
  return [headings, ruler, ...body].join('\n')
}

/** Column indexes, widest first. */
const indexesByWidth = (widths: number[]) =>
  widths.map((_, index) => index).sort((a, b) => widths[b] - widths[a])

/**
 * Each row as lines of `heading  value`, values wrapped between words, a blank line between rows. A
 * value with a word too long for its place beside the heading (a URL) starts on the next line.
 */
function blocks<K extends string>(
  rows: readonly Record<K, string>[],
  specs: Column<K>[],
  width: number,
): string {
  const headingWidth = Math.max(...specs.map((column) => displayWidth(column.heading ?? column.key)))
  const valueWidth = width - INDENT.length - headingWidth - 2
  const block = (row: Record<K, string>) =>
    specs.flatMap((column) => {
      const heading = `${INDENT}${padEnd(ux.colorize('bold', column.heading ?? column.key), headingWidth)}  `
      const value = row[column.key]
      const longest = Math.max(...value.split(/\s+/).map(displayWidth))
      if (longest > valueWidth)
        return [
          heading.trimEnd(),
          ...wrapWords(value, width - BELOW_INDENT.length).map((text) => BELOW_INDENT + text),
        ]
      return wrapWords(value, valueWidth).map((text, index) =>
        index === 0 ? heading + text : ' '.repeat(displayWidth(heading)) + text,
      )
    })
  return rows.map((row) => block(row).join('\n')).join('\n\n')
}
