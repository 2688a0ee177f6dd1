/**
 * `deskrun defaults`: shows or changes the proxy and GitHub CA that every installation without its own
 * uses. It only changes the config; `deskrun up` then upgrades the scale sets that use them.
 */
import {updateConfig} from '../adapters/config-store.js'
import {affectedByDefaults, usersOfDefaults} from '../domain/config/network-defaults.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {UsageError, problemsMessage} from '../domain/errors.js'
import {checkCABundle} from '../domain/installation/certificates.js'
import {
  changeNetwork,
  describeNetworkChange,
  displayProxy,
  networkFlagConflicts,
  networkProblems,
  type NetworkFlagsGiven,
  type NetworkSettings,
} from '../domain/installation/network.js'
import {networkFrom} from './network.js'
import {readConfig, type ActionContext} from './context.js'

/** --proxy, --no-proxy, --github-ca-file and the --clear-… flags. */
export type DefaultsRequest = NetworkFlagsGiven

export interface DefaultsResult {
  /** The defaults now: the proxy with its credentials as ***, and the CA's certificates. */
  defaults: {
    proxy?: string
    noProxy?: string[]
    githubCA: boolean
    certificates?: {subject: string; validUntil: string}[]
  }
  /** The installations that use each default (those without one of their own). */
  usedBy: {proxy: string[]; githubCA: string[]}
  /** What this run changed, in words; empty when it only showed them. */
  changes: string[]
  /** The installations whose proxy or CA changed: `deskrun up` upgrades their scale sets. */
  needsUp: string[]
}

const changing = (request: DefaultsRequest): boolean =>
  request.proxy !== undefined ||
  request.noProxy !== undefined ||
  request.githubCAFile !== undefined ||
  Boolean(request.clearProxy || request.clearNoProxy || request.clearGitHubCA)

export async function networkDefaults(
  context: ActionContext,
  request: DefaultsRequest = {},
): Promise<DefaultsResult> {
  const config = await readConfig(context)
  if (!changing(request)) return view(config, config.networkDefaults ?? {}, [], [])

  const conflicts = networkFlagConflicts(request)
  if (conflicts.length > 0)
    throw new UsageError(conflicts.join('\n'), {hint: 'Nothing was changed. See `deskrun defaults --help`.'})
  const set = await networkFrom(request, context, 'defaults')
  let changes: string[] = []
  let needsUp: string[] = []
  // From the config as it is under the lock: another deskrun may have changed it meanwhile.
  const saved = await updateConfig(
    (current) => {
      const now = current.networkDefaults ?? {}
      const after = changeNetwork(now, {...request, set})
      const problems = networkProblems(after)
      if (problems.length > 0)
        throw new UsageError(problemsMessage('Invalid defaults', problems), {
          hint: 'Nothing was changed. See `deskrun defaults --help`.',
        })
      changes = describeNetworkChange(now, after)
      if (changes.length === 0)
        throw new UsageError('Nothing to change: the defaults already are what the flags say.', {
          hint: 'Run `deskrun defaults` to see them.',
        })
      const installations = Object.values(current.installations)
      needsUp = affectedByDefaults(installations, now, after)
      const {networkDefaults: _old, ...rest} = current
      return {
        ...rest,
        ...(Object.keys(after).length > 0 ? {networkDefaults: after} : {}),
        // `list` then shows them as not deployed until `up` has upgraded them.
        installations: Object.fromEntries(
          installations.map((one) => [
            one.name,
            needsUp.includes(one.name) ? {...one, deployed: false} : one,
          ]),
        ),
      }
    },
    {onNote: context.note},
  )
  return view(saved, saved.networkDefaults ?? {}, changes, needsUp)
}

function view(
  config: DeskrunConfig,
  defaults: NetworkSettings,
  changes: string[],
  needsUp: string[],
): DefaultsResult {
  const certificates =
    defaults.githubCA === undefined
      ? undefined
      : checkCABundle(defaults.githubCA, new Date()).certificates.map((certificate) => ({
          subject: certificate.subject,
          validUntil: certificate.notAfter.toISOString(),
        }))
  return {
    defaults: {
      ...(defaults.proxy !== undefined ? {proxy: displayProxy(defaults.proxy)} : {}),
      ...(defaults.noProxy?.length ? {noProxy: [...defaults.noProxy]} : {}),
      githubCA: defaults.githubCA !== undefined,
      ...(certificates ? {certificates} : {}),
    },
    usedBy: usersOfDefaults(Object.values(config.installations), defaults),
    changes,
    needsUp,
  }
}
