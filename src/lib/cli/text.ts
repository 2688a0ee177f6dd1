/**
 * Text for a terminal of a given width: wrapped between words (never inside one: a word, URL or name
 * a user copies stays whole) or shortened with "…". Pure, so tests give the width.
 */
import {stripVTControlCharacters} from 'node:util'

/** Characters a text takes on screen (colour codes take none). */
export const displayWidth = (text: string): number => [...stripVTControlCharacters(text)].length

/**
 * Lines of at most `width` characters, broken at spaces. A word longer than a line gets a line of its
 * own and goes past the width: the terminal shows it whole on the next row, which a cut would not.
 */
export function wrapWords(text: string, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => {
    const lines: string[] = []
    let line = ''
    for (const word of paragraph.split(' ').filter(Boolean)) {
      if (line && displayWidth(line) + 1 + displayWidth(word) > width) {
        lines.push(line)
        line = word
      } else line = line ? `${line} ${word}` : word
    }
    return [...lines, line]
  })
}

/**
 * The text cut to `width` characters, its last one "…" when anything was left out: at the end of a
 * word where that keeps most of the room, so the words shown are whole.
 */
export function shorten(text: string, width: number): string {
  const characters = [...stripVTControlCharacters(text)]
  if (characters.length <= width) return text
  const kept = characters.slice(0, Math.max(0, width - 1)).join('')
  const space = kept.lastIndexOf(' ')
  return `${space >= width / 2 ? kept.slice(0, space + 1) : kept}…`
}

/** The text padded with spaces to `width` characters on screen. */
export const padEnd = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)))

/** The width of the terminal stdout is, or undefined when stdout is a pipe or a file. */
export function terminalColumns(
  stream: {isTTY?: boolean; columns?: number} = process.stdout,
): number | undefined {
  return stream.isTTY ? stream.columns || 80 : undefined
}
