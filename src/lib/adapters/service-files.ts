/** The files of `deskrun service`: the unit or agent, its log, and where deskrun itself is installed. */
import {mkdir, open, readFile, realpath, rm} from 'node:fs/promises'
import path from 'node:path'

import {writeFileAtomically} from './atomic-file.js'

/** The file's text, or undefined when there is none. */
export async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Writes the unit or plist whole or not at all (a half-written unit would fail at the next login). 0644,
 * as service files are: they hold paths, no secret.
 */
export async function writeServiceFile(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), {recursive: true})
  await writeFileAtomically(file, text, {mode: 0o644})
}

/** The log's folder, made only-the-owner (like deskrun's own folder it lies in): the log shows what up did. */
export async function prepareLogFolder(logFile: string): Promise<void> {
  await mkdir(path.dirname(logFile), {recursive: true, mode: 0o700})
}

/** Removes the file; true when there was one. */
export async function removeIfThere(file: string): Promise<boolean> {
  const there = (await readIfThere(file)) !== undefined
  await rm(file, {force: true})
  return there
}

/** Bytes read from the end of the log for its last lines: a log of many logins stays cheap to show. */
const TAIL_BYTES = 256 * 1024

/** The last `count` lines of the log (fewer when it is shorter); none when there is no log yet. */
export async function lastLines(file: string, count: number): Promise<string[]> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  try {
    const {size} = await handle.stat()
    const start = Math.max(0, size - TAIL_BYTES)
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(size - start), 0, size - start, start)
    const lines = buffer.subarray(0, bytesRead).toString('utf8').split('\n')
    // A cut first line is a partial one; the text after the last newline is an unfinished one.
    if (start > 0) lines.shift()
    if (lines.at(-1) === '') lines.pop()
    return count > 0 ? lines.slice(-count) : []
  } finally {
    await handle.close()
  }
}

/** Where a file really is: npm's global bin is a symbolic link to the package's bin/run.js. */
export function realFile(file: string): Promise<string> {
  return realpath(file)
}
