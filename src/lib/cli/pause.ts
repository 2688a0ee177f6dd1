import type {PauseResult} from '../app/pause.js'

/** What `pause` and `resume` print. */
export function pauseSummary(result: PauseResult, done: 'paused' | 'resumed'): string[] {
  const lines = []
  if (result.installations.length > 0) lines.push(`${capital(done)}: ${result.installations.join(', ')}.`)
  if (result.unchanged.length > 0) lines.push(`Already ${done}: ${result.unchanged.join(', ')}.`)
  if (!result.applied) lines.push('No cluster yet: saved in the config; deskrun up deploys it that way.')
  else if (done === 'paused' && result.installations.length > 0)
    lines.push('Running jobs finish; new ones wait until: deskrun resume')
  return lines
}

function capital(word: string): string {
  return word[0].toUpperCase() + word.slice(1)
}
