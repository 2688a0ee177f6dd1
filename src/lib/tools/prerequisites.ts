/** Which external tools deskrun needs, where it finds them, and how to get them. */
import {constants} from 'node:fs'
import {access} from 'node:fs/promises'
import path from 'node:path'

import {DeskrunError} from '../errors.js'
import {deskrunHome} from '../settings.js'

export type ToolName = 'docker' | 'kind' | 'helm' | 'kubectl'

export const ALL_TOOLS: readonly ToolName[] = ['docker', 'kind', 'helm', 'kubectl']

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

/** A copy of `env` whose PATH is `toolPath(env)`: what every child process gets. */
export function toolEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {...env, [pathKey(env)]: toolPath(env)}
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
