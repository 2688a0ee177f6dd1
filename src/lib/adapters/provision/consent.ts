/**
 * Asking before deskrun installs anything. A question is asked only where a person can answer it:
 * stdin and stderr are terminals and CI is not set. Everywhere else the answer is "no" unless the
 * command was given --yes, so nothing is ever installed silently in CI.
 */
import {createInterface} from 'node:readline/promises'

import {DeskrunError, ExitCode} from '../../domain/errors.js'

export function canPrompt(
  env: NodeJS.ProcessEnv = process.env,
  streams: {stdin: {isTTY?: boolean}; stderr: {isTTY?: boolean}} = process,
): boolean {
  return Boolean(streams.stdin.isTTY && streams.stderr.isTTY) && !env.CI
}

/**
 * A yes/no question on stderr (stdout stays for results); Enter means yes. Ctrl-C at the question
 * (which a terminal in raw mode hands to readline as a key, not as SIGINT) or `signal` (SIGTERM)
 * cancels it: the answer is neither yes nor no, and the command stops.
 */
export async function askYesNo(question: string, signal?: AbortSignal): Promise<boolean> {
  const prompt = createInterface({input: process.stdin, output: process.stderr})
  try {
    const answer = (await prompt.question(`${question} [Y/n] `, {signal})).trim().toLowerCase()
    return answer === '' || answer === 'y' || answer === 'yes'
  } catch (error) {
    if ((error as {code?: string}).code !== 'ABORT_ERR') throw error
    // The cursor is still on the question's line.
    process.stderr.write('\n')
    throw new DeskrunError('Cancelled.', {code: 'CANCELLED', exit: ExitCode.interrupted, cause: error})
  } finally {
    prompt.close()
  }
}
