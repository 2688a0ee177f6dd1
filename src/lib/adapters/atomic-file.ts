/**
 * Writes a file whole or not at all: write-file-atomic writes a temp file beside it and renames it over
 * the file. The library is loaded with the first write; most commands write nothing.
 */
import type writeFileAtomic from 'write-file-atomic'

export async function writeFileAtomically(
  file: string,
  data: string,
  options: writeFileAtomic.Options,
): Promise<void> {
  const {default: write} = await import('write-file-atomic')
  await write(file, data, options)
}
