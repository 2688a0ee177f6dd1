/** Which external tools deskrun needs, where it finds them, and how to get them. */
import {constants} from 'node:fs'
import {access} from 'node:fs/promises'
import path from 'node:path'

import {DeskrunError} from '../../domain/errors.js'
import {AUTH_VALUE_ENV} from '../../domain/installation/types.js'
import {deskrunHome} from '../../domain/settings.js'

export type ToolName = 'docker' | 'kind' | 'helm' | 'kubectl'

export const ALL_TOOLS: readonly ToolName[] = ['docker', 'kind', 'helm', 'kubectl']

/** The service managers `deskrun service` uses: part of the system, never installed by deskrun. */
export type HostTool = 'systemctl' | 'launchctl'

const INSTALL_HINTS: Record<ToolName, string> = {
  docker: 'Docker: https://docs.docker.com/engine/install/ (or Docker Desktop), and start it.',
  kind: 'kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (e.g. `go install sigs.k8s.io/kind@latest` or `brew install kind`).',
  helm: 'helm: https://helm.sh/docs/intro/install/ (e.g. `brew install helm`).',
  kubectl: 'kubectl: https://kubernetes.io/docs/tasks/tools/ (e.g. `brew install kubectl`).',
}

export function installHint(tool: ToolName): string {
  return `Install ${INSTALL_HINTS[tool]}`
}

/** Where deskrun keeps the kind, helm and kubectl it installed itself (`deskrun doctor --fix`). */
export function deskrunBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(deskrunHome(env), 'bin')
}

/** Windows spells the variable `Path`; everywhere else it is `PATH`. */
function pathKey(env: NodeJS.ProcessEnv): string {
  if (process.platform !== 'win32') return 'PATH'
  return Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'Path'
}

/**
 * The search path for tools: deskrun's own folder first, then the user's PATH. One function, so that
 * finding a tool (doctor, missingTools) and running it (ToolRunner) can never disagree.
 */
export function toolPath(env: NodeJS.ProcessEnv = process.env): string {
  const own = deskrunBinDir(env)
  const rest = (env[pathKey(env)] ?? '').split(path.delimiter).filter((dir) => dir && dir !== own)
  return [own, ...rest].join(path.delimiter)
}

/**
 * What kind, helm, kubectl and docker (and podman, ssh or a kubeconfig's credential plugin under them)
 * read from the environment. A child gets these and nothing else, so that a credential in deskrun's
 * environment (DESKRUN_AUTH_VALUE, or a GITHUB_TOKEN the user happens to have) never reaches it.
 * Names are compared in upper case: Windows spells them freely, and proxies are set in both cases.
 */
const TOOL_ENV = new Set([
  // where things are, who and what the user is
  'PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'TMP', 'TEMP', 'TZ', 'LANG', 'LANGUAGE', 'TERM', 'NO_COLOR',
  // Kubernetes clients
  'KUBECONFIG', 'KUBECACHEDIR',
  // the Docker CLI: daemon, context, config folder (credential helpers), TLS
  'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'DOCKER_TLS',
  'DOCKER_API_VERSION', 'DOCKER_DEFAULT_PLATFORM', 'SSH_AUTH_SOCK',
  // podman as kind's provider; the session bus also serves rootless podman and Docker's keyring helper
  'CONTAINER_HOST', 'CONTAINER_CONNECTION', 'CONTAINERS_CONF', 'DBUS_SESSION_BUS_ADDRESS',
  // kind
  'KIND_EXPERIMENTAL_PROVIDER', 'KIND_EXPERIMENTAL_DOCKER_NETWORK',
  // helm's own folders and registry login
  'HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME', 'HELM_PLUGINS', 'HELM_REGISTRY_CONFIG',
  'HELM_REPOSITORY_CACHE', 'HELM_REPOSITORY_CONFIG',
  // the network: proxies and trusted certificates
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  // Windows: without these, programs cannot find their system, profile or temporary folders
  'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'PATHEXT', 'USERPROFILE', 'USERNAME', 'HOMEDRIVE',
  'HOMEPATH', 'APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA', 'PROGRAMFILES', 'PROGRAMFILES(X86)', 'PROGRAMW6432',
  'ALLUSERSPROFILE', 'PUBLIC', 'COMPUTERNAME', 'OS', 'PROCESSOR_ARCHITECTURE', 'NUMBER_OF_PROCESSORS',
]) // prettier-ignore
const TOOL_ENV_PREFIXES = ['LC_', 'XDG_']

/**
 * More names to hand to the tools (comma or space separated): what the allow-list cannot know, e.g. the
 * AWS_PROFILE that a kubeconfig's `aws eks get-token` credential plugin needs.
 */
export const PASS_ENV = 'DESKRUN_PASS_ENV'

/** Variables deskrun reads a credential from: never passed on, whoever asks. */
const CREDENTIAL_ENV = new Set([AUTH_VALUE_ENV])

/** What every child process gets: the allowed part of `env`, with PATH set to `toolPath(env)`. */
export function toolEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const extra = new Set(
    (env[PASS_ENV] ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((name) => name.toUpperCase()),
  )
  const passes = (name: string) => {
    const key = name.toUpperCase()
    if (CREDENTIAL_ENV.has(key)) return false
    return TOOL_ENV.has(key) || extra.has(key) || TOOL_ENV_PREFIXES.some((prefix) => key.startsWith(prefix))
  }
  const kept = Object.entries(env).filter(([name, value]) => value !== undefined && passes(name))
  return {...Object.fromEntries(kept), [pathKey(env)]: toolPath(env)}
}

export interface ToolLocation {
  path: string
  /** `deskrun`: the copy in deskrunBinDir(); `path`: one found on the user's PATH. */
  source: 'deskrun' | 'path'
}

/** The executable a child process would run for `program`, without running it. */
export async function locateTool(
  program: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ToolLocation | undefined> {
  const own = deskrunBinDir(env)
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : ['']
  for (const dir of toolPath(env).split(path.delimiter))
    for (const ext of extensions) {
      const candidate = path.join(dir, program + ext)
      try {
        await access(candidate, constants.X_OK)
        return {path: candidate, source: dir === own ? 'deskrun' : 'path'}
      } catch {
        // keep looking
      }
    }
  return undefined
}

/** Looks the tools up (deskrun's folder, then PATH) without running them: fast, and changes nothing. */
export async function missingTools(
  tools: readonly ToolName[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ToolName[]> {
  const found = await Promise.all(tools.map((tool) => locateTool(tool, env)))
  return tools.filter((_, i) => !found[i])
}

/** One error that lists everything missing, before anything is changed. */
export async function requireTools(
  tools: readonly ToolName[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const missing = await missingTools(tools, env)
  if (missing.length === 0) return
  throw new DeskrunError(
    `deskrun needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not on your PATH.`,
    {
      code: 'TOOLS_MISSING',
      hint: [
        ...missing.map((tool) => installHint(tool)),
        ...(missing.some((tool) => tool !== 'docker')
          ? ['Or let deskrun install pinned copies of kind, helm and kubectl: deskrun doctor --fix']
          : []),
      ].join('\n'),
    },
  )
}
