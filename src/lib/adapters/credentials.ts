/**
 * Reads credentials from where the user keeps them: a file, stdin (`-`), an environment variable
 * or (discouraged) the flag value itself. Every value read is registered for redaction at once.
 */
import {readFile} from 'node:fs/promises'
import {addAbortSignal} from 'node:stream'

import {DeskrunError, ExitCode, UsageError} from '../domain/errors.js'
import {registerSecret} from '../domain/redact.js'
import {unfamiliarTokenWarning} from '../domain/installation/token.js'
import {
  AUTH_VALUE_ENV,
  type Auth,
  type AuthType,
  type CredentialSource,
} from '../domain/installation/types.js'

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
  /** Set when the value came on the command line, where shell history and `ps` can see it, or looks wrong. */
  warning?: string
}

export async function readCredentials(
  flags: CredentialFlags,
  io: {env?: NodeJS.ProcessEnv; stdin?: () => Promise<string>; signal?: AbortSignal} = {},
): Promise<CredentialInput> {
  const env = io.env ?? process.env
  const stdin = io.stdin ?? (() => readStdin(io.signal))
  if (flags.privateKeyFile !== undefined && flags.authType !== 'github-app')
    throw new UsageError(`--private-key-file is for a GitHub App, but --auth-type is ${flags.authType}.`, {
      hint: 'Add --auth-type github-app (with --app-id and --installation-id), or pass a token with --auth-value-file.',
    })
  const given = [flags.authValue, flags.authValueFile, flags.privateKeyFile]
  if (given.filter((value) => value !== undefined).length > 1)
    throw new UsageError('Give the credential once: --auth-value, --auth-value-file or --private-key-file.')

  let value: string | undefined
  let source: CredentialSource = 'flag'
  const file = flags.authValueFile ?? flags.privateKeyFile
  if (file !== undefined) {
    value = file === '-' ? await stdin() : await readSecretFile(file)
    if (file !== '-' && value.trim() === '')
      throw new UsageError(`The credential file ${file} is empty.`, {
        hint: `Write the ${flags.authType === 'pat' ? 'token' : "App's private key"} into it, or give another file.`,
      })
    source = file === '-' ? 'stdin' : 'file'
  } else if (flags.authValue === '-') {
    value = await stdin()
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
  const warnings = [
    source === 'flag'
      ? `The ${what} given with --auth-value is visible in your shell history and process list; prefer --auth-value-file or --auth-value -.`
      : undefined,
    flags.authType === 'pat' ? unfamiliarTokenWarning(value) : undefined,
  ].filter((line) => line !== undefined)
  const warning = warnings.length > 0 ? warnings.join(' ') : undefined
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

/** All of stdin; Ctrl-C (`signal`) stops the wait for a writer that never closes it. */
async function readStdin(signal?: AbortSignal): Promise<string> {
  if (process.stdin.isTTY)
    throw new UsageError('Reading the credential from stdin (-), but stdin is a terminal.', {
      hint: 'Pipe it in, e.g. `gh auth token | deskrun add ... --auth-value -`, or use --auth-value-file.',
    })
  const chunks: Buffer[] = []
  try {
    // Aborting destroys stdin, which ends the loop below with an AbortError.
    if (signal) addAbortSignal(signal, process.stdin)
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  } catch (error) {
    if (!signal?.aborted) throw error
    throw new DeskrunError('Interrupted while reading the credential from stdin. Nothing was changed.', {
      code: 'INTERRUPTED',
      exit: ExitCode.interrupted,
      cause: error,
    })
  }
  return Buffer.concat(chunks).toString('utf8')
}
