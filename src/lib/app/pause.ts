import {updateConfig} from '../adapters/config-store.js'
import {ensureWritableHome} from '../adapters/deskrun-home.js'
import {ALL_TOOLS, requireTools} from '../adapters/tools/prerequisites.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {UsageError, withNextStep} from '../domain/errors.js'
import {isKindCluster} from '../domain/settings.js'
import {explainFailure, readConfig, type ActionContext} from './context.js'
import {deployScoped} from './deploy.js'

export interface PauseResult {
  /** The installations paused (or resumed) by this command. */
  installations: string[]
  /** Those that already were. */
  unchanged: string[]
  /** What changed in the cluster (`scale set web upgraded`). */
  changed: string[]
  /** False when there is no cluster yet: the config says it, and `deskrun up` deploys it that way. */
  applied: boolean
}

/**
 * `deskrun pause` / `deskrun resume`: the config says it first (so it survives `up` and reboots), then the
 * named installations' scale sets are reconciled as `up` would: a paused one gets min and max runners 0,
 * so ARC starts no runner and removes only idle ones; a runner with a job finishes it. No names: all.
 */
export async function setPaused(
  context: ActionContext,
  names: string[],
  paused: boolean,
): Promise<PauseResult> {
  const verb = paused ? 'pause' : 'resume'
  const config = await readConfig(context)
  const selected = selectInstallations(config, names, verb)
  await ensureWritableHome()
  await requireTools(isKindCluster(config) ? ALL_TOOLS : ['helm', 'kubectl'])
  const unchanged = selected.filter((name) => Boolean(config.installations[name].paused) === paused)
  const saved = await updateConfig(
    (current) => {
      const installations = {...current.installations}
      for (const name of selectInstallations(current, selected, verb)) {
        const {paused: _was, ...rest} = installations[name]
        installations[name] = paused ? {...rest, paused: true} : rest
      }
      return {...current, installations}
    },
    {onNote: context.note},
  )
  // Pausing never creates a cluster or installs the controller; `up` does that, paused or not.
  const {applied, changed} = await deployScoped(context, saved, selected, {ensure: false}).catch(
    async (error: unknown) => {
      throw savedOnly(await explainFailure(context, saved, error), verb)
    },
  )
  return {installations: selected.filter((name) => !unchanged.includes(name)), unchanged, changed, applied}
}

/** The named installations (all without names); an unknown name is a usage error. */
function selectInstallations(config: DeskrunConfig, names: string[], verb: string): string[] {
  const known = Object.keys(config.installations)
  if (names.length === 0) {
    if (known.length === 0)
      throw new UsageError(`There are no installations to ${verb}.`, {hint: 'Add one with: deskrun add'})
    return known
  }
  const unknown = names.filter((name) => !config.installations[name])
  if (unknown.length > 0)
    throw new UsageError(`No installation named ${unknown.map((name) => `"${name}"`).join(', ')}.`, {
      hint:
        known.length > 0
          ? `Installations: ${known.join(', ')} (see deskrun list). deskrun ${verb} without a name: all of them.`
          : 'There are none yet; add one with deskrun add.',
    })
  return [...new Set(names)]
}

function savedOnly(error: unknown, verb: string): unknown {
  return withNextStep(
    error,
    `The config already says ${verb === 'pause' ? 'paused' : 'resumed'}; once the cluster is reachable, run: deskrun up`,
  )
}
