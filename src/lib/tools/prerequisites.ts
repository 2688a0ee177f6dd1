/** Which external tools deskrun needs, how to tell they are there, and how to get them. */
import {constants} from 'node:fs'
import {access} from 'node:fs/promises'
import path from 'node:path'

import {DeskrunError} from '../errors.js'

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

/** Looks the tools up on PATH without running them (fast, and changes nothing). */
export async function missingTools(tools: readonly ToolName[], env: NodeJS.ProcessEnv = process.env): Promise<ToolName[]> {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean)
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : ['']
  const found = await Promise.all(
    tools.map(async (tool) => {
      for (const dir of dirs)
        for (const ext of extensions) {
          try {
            await access(path.join(dir, tool + ext), constants.X_OK)
            return true
          } catch {
            // keep looking
          }
        }
      return false
    }),
  )
  return tools.filter((_, i) => !found[i])
}

/** One error that lists everything missing, before anything is changed. */
export async function requireTools(tools: readonly ToolName[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const missing = await missingTools(tools, env)
  if (missing.length === 0) return
  throw new DeskrunError(`deskrun needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not on your PATH.`, {
    code: 'TOOLS_MISSING',
    hint: missing.map((tool) => installHint(tool)).join('\n'),
  })
}
