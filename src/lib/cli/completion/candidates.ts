/**
 * The values `deskrun complete KIND` prints for the shell. Reads the config file and asks the
 * installed plugins for their modes, nothing else: completion must answer fast and never call kind,
 * helm or kubectl. A config that cannot be read simply offers no installation names.
 */
import type {Config} from '@oclif/core'

import {loadConfig} from '../../adapters/config-store.js'
import {hookTimeoutMs, loadModes} from '../../adapters/plugins.js'
import type {ValueKind} from './values.js'

/** How long shell completion waits for plugins' modes (a command waits 10 s). */
const COMPLETION_HOOK_TIMEOUT_MS = 1500

export interface Candidate {
  value: string
  /** One line, shown by shells that show descriptions (zsh). */
  description?: string
}

export async function completionCandidates(kind: ValueKind, config: Config): Promise<Candidate[]> {
  switch (kind) {
    case 'mode': {
      // A TAB must not freeze for a plugin that does not answer: wait less than a command does, and
      // offer the modes that plugin provided before (remembered between runs) without their summary.
      const registry = await loadModes(config, hookTimeoutMs(process.env, COMPLETION_HOOK_TIMEOUT_MS))
      const offered = registry.modes.map(({mode}) => ({value: mode.name, description: mode.summary}))
      const silent = Object.entries(registry.remembered ?? {}).filter(
        ([name, provider]) =>
          registry.failedPlugins?.includes(provider.plugin) && !offered.some(({value}) => value === name),
      )
      return [
        ...offered,
        ...silent.map(([name, provider]) => ({value: name, description: `from ${provider.plugin}`})),
      ]
    }

    case 'installation': {
      try {
        const {installations} = await loadConfig()
        return Object.values(installations).map((installation) => ({
          value: installation.name,
          description: `${installation.mode}, ${installation.repository}`,
        }))
      } catch {
        return []
      }
    }
  }
}

/** `VALUE` or `VALUE:DESCRIPTION` (zsh's _describe format: a colon in the value is escaped). */
export function formatCandidate(candidate: Candidate, withDescription: boolean): string {
  const value = candidate.value.replaceAll(':', '\\:')
  const description = candidate.description?.split('\n')[0].trim()
  return withDescription && description ? `${value}:${description}` : candidate.value
}
