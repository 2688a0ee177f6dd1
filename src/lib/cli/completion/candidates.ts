/**
 * The values `deskrun complete KIND` prints for the shell. Reads the config file and asks the
 * installed plugins for their modes, nothing else: completion must answer fast and never call kind,
 * helm or kubectl. A config that cannot be read simply offers no installation names.
 */
import type {Config} from '@oclif/core'

import {loadConfig} from '../../adapters/config-store.js'
import {loadModes} from '../../adapters/plugins.js'
import type {ValueKind} from './values.js'

export interface Candidate {
  value: string
  /** One line, shown by shells that show descriptions (zsh). */
  description?: string
}

export async function completionCandidates(kind: ValueKind, config: Config): Promise<Candidate[]> {
  switch (kind) {
    case 'mode': {
      const registry = await loadModes(config)
      return registry.modes.map(({mode}) => ({value: mode.name, description: mode.summary}))
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
