/**
 * Asking before deskrun installs anything. A question is asked only where a person can answer it:
 * stdin and stderr are terminals and CI is not set. Everywhere else the answer is "no" unless the
 * command was given --yes, so nothing is ever installed silently in CI.
 */
import {createInterface} from 'node:readline/promises'

export function canPrompt(
  env: NodeJS.ProcessEnv = process.env,
  streams: {stdin: {isTTY?: boolean}; stderr: {isTTY?: boolean}} = process,
): boolean {
  return Boolean(streams.stdin.isTTY && streams.stderr.isTTY) && !env.CI
}

/** A yes/no question on stderr (stdout stays for results); Enter means yes. */
export async function askYesNo(question: string): Promise<boolean> {
  const prompt = createInterface({input: process.stdin, output: process.stderr})
  try {
    const answer = (await prompt.question(`${question} [Y/n] `)).trim().toLowerCase()
    return answer === '' || answer === 'y' || answer === 'yes'
  } finally {
    prompt.close()
  }
}
