/** Reads `--github-ca-file`: the CA bundle is stored in the config, so the file may move later. */
import {readFile} from 'node:fs/promises'

import {UsageError} from '../domain/errors.js'
import {caProblem} from '../domain/installation/network.js'

export async function readGitHubCA(file: string): Promise<string> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(`--github-ca-file: cannot read ${file}${code ? ` (${code})` : ''}.`, {
      hint: 'Check the path and that you may read the file.',
    })
  }
  const problem = caProblem(text, file)
  if (problem) throw new UsageError(problem, {hint: 'See `deskrun add --help`.'})
  return text.trim()
}
