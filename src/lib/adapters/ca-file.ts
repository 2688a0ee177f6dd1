/** Reads `--github-ca-file`: the CA bundle is stored in the config, so the file may move later. */
import {readFile} from 'node:fs/promises'

import {UsageError} from '../domain/errors.js'
import {checkCABundle} from '../domain/installation/certificates.js'
import {caProblem} from '../domain/installation/network.js'

/**
 * The bundle, once it holds PEM certificates only, each of which parses, and one of them is valid now;
 * `note` hears about a certificate of the bundle that is not. `command` is where the flag was given.
 */
export async function readGitHubCA(
  file: string,
  options: {command?: string; note?: (message: string) => void; now?: Date} = {},
): Promise<string> {
  const help = `See \`deskrun ${options.command ?? 'add'} --help\`.`
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
  if (problem) throw new UsageError(problem, {hint: help})
  const report = checkCABundle(text, options.now ?? new Date())
  if (report.problem)
    throw new UsageError(`--github-ca-file: in ${file}, ${report.problem}.`, {
      hint: `Export the current CA of your GitHub Enterprise Server as PEM. ${help}`,
    })
  for (const warning of report.warnings)
    options.note?.(`--github-ca-file: in ${file}, ${warning}; the other certificates are used.`)
  return text.trim()
}
