/**
 * Reads credentials from where the user keeps them: a file, stdin (`-`), an environment variable
 * or (discouraged) the flag value itself. Every value read is registered for redaction at once.
 */
import {readFile} from 'node:fs/promises'

import {UsageError} from '../errors.js'
import {registerSecret} from '../redact.js'
import {AUTH_VALUE_ENV, type Auth, type AuthType, type CredentialSource} from './types.js'

export interface CredentialFlags {
  authType: AuthType
  authValue?: string
  authValueFile?: string
  privateKeyFile?: string
  appId?: string
  installationId?: string
}

export interface CredentialInput {
  auth: Auth
  source: CredentialSource
  /** Set when the value came on the command line, where shell history and `ps` can see it. */
  warning?: string
}

export async function readCredentials(
  flags: CredentialFlags,
  io: {env?: NodeJS.ProcessEnv; stdin?: () => Promise<string>} = {},
): Promise<CredentialInput> {
  const env = io.env ?? process.env
  const given = [
    flags.authValue,
    flags.authValueFile,
    flags.authType === 'github-app' ? flags.privateKeyFile : undefined,
  ]
  if (given.filter((value) => value !== undefined).length > 1)
    throw new UsageError('Give the credential once: --auth-value, --auth-value-file or --private-key-file.')

  let value: string | undefined
  let source: CredentialSource = 'flag'
  const file = flags.authValueFile ?? (flags.authType === 'github-app' ? flags.privateKeyFile : undefined)
  if (file !== undefined) {
    value = file === '-' ? await (io.stdin ?? readStdin)() : await readSecretFile(file)
    source = file === '-' ? 'stdin' : 'file'
  } else if (flags.authValue === '-') {
    value = await (io.stdin ?? readStdin)()
    source = 'stdin'
  } else if (flags.authValue !== undefined) {
    value = flags.authValue
  } else if (env[AUTH_VALUE_ENV]) {
    value = env[AUTH_VALUE_ENV]
    source = 'env'
  }
  value = value?.trim()
  registerSecret(value)
  const what = flags.authType === 'pat' ? 'token' : 'private key'
  if (!value)
    throw new UsageError(`No ${what} given for --auth-type ${flags.authType}.`, {
      hint:
        flags.authType === 'pat'
          ? `Pass it with --auth-value-file PATH, --auth-value - (stdin) or the ${AUTH_VALUE_ENV} environment variable.`
          : `Pass the App's private key with --private-key-file PATH (or --auth-value-file, stdin with -, or ${AUTH_VALUE_ENV}).`,
    })
  const warning =
    source === 'flag'
      ? `The ${what} given with --auth-value is visible in your shell history and process list; prefer --auth-value-file or --auth-value -.`
      : undefined
  if (flags.authType === 'pat') return {auth: {type: 'pat', token: value}, source, warning}
  return {
    auth: {
      type: 'github-app',
      appId: flags.appId?.trim() ?? '',
      installationId: flags.installationId?.trim() ?? '',
      privateKey: value,
    },
    source,
    warning,
  }
}

async function readSecretFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(`Cannot read the credential file ${file}${code ? ` (${code})` : ''}.`, {
      hint: 'Check the path and that you may read the file.',
    })
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UsageError('Reading the credential from stdin (-), but stdin is a terminal.', {
      hint: 'Pipe it in, e.g. `gh auth token | deskrun add ... --auth-value -`, or use --auth-value-file.',
    })
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
