import {existsSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import path from 'node:path'

import {withClusterLock} from '../cluster/lock.js'
import {loadConfig, updateConfig} from '../config/store.js'
import {DeskrunError, UsageError} from '../errors.js'
import {instanceNames} from '../installation/naming.js'
import {INSTALLATION_LABEL} from '../kube.js'
import {newOutcome, type Deps} from '../tasks/deps.js'
import {INSTALLATION_RELEASE_LABEL} from '../tasks/releases.js'
import {runTasks} from '../tasks/run.js'
import {removeScaleSets} from '../tasks/scale-sets.js'
import {ALL_TOOLS, requireTools} from '../tools/prerequisites.js'
import {SCALE_SET_NAMESPACE} from '../arc/charts.js'
import type {ActionContext} from './context.js'

export interface RemoveResult {
  installation: string
  changed: string[]
  /** Host folders of its caches, and whether they were deleted. */
  caches: string[]
  cachesPurged: boolean
}

/**
 * Scale sets first, then the objects deskrun made for them, then the config entry, under the cluster
 * lock: a failure leaves the entry in place, so running remove again finishes the job.
 */
export async function removeInstallation(
  context: ActionContext,
  name: string,
  options: {purgeCache: boolean},
): Promise<RemoveResult> {
  const config = await loadConfig()
  const installation = config.installations[name]
  if (!installation) {
    const known = Object.keys(config.installations)
    throw new UsageError(`No installation named "${name}".`, {
      hint:
        known.length > 0
          ? `Installations: ${known.join(', ')} (see deskrun list).`
          : 'There are none yet; add one with deskrun add.',
    })
  }
  await requireTools(ALL_TOOLS)
  const deps: Deps = {config, tools: context.tools(config.clusterName), modes: context.modes}
  const outcome = newOutcome()
  await withClusterLock(context, config.clusterName, async () => {
    if (await deps.tools.kind.exists(config.clusterName)) {
      const labelled = await deps.tools.helm.releases(SCALE_SET_NAMESPACE, {
        [INSTALLATION_RELEASE_LABEL]: name,
      })
      const releases = [
        ...new Set([
          ...instanceNames(name, installation.instances),
          ...labelled.map((release) => release.name),
        ]),
      ]
      await runTasks(
        [
          removeScaleSets(deps, {
            title: `Remove ${name}`,
            releases,
            isObsolete: (labels) => labels[INSTALLATION_LABEL] === name,
          }),
        ],
        outcome,
        {json: context.json},
      )
    }
    await updateConfig(
      (current) => {
        const {[name]: _removed, ...rest} = current.installations
        return {...current, installations: rest}
      },
      {onNote: context.note},
    )
  })
  const caches = cacheFolders(config.cacheRoot, name, installation.instances)
  if (options.purgeCache) await purge(caches)
  return {
    installation: name,
    changed: outcome.changed,
    caches,
    cachesPurged: options.purgeCache,
  }
}

/** The partitions deskrun chose for this installation that exist (explicit --cache sources are the user's own). */
function cacheFolders(cacheRoot: string, name: string, instances: number): string[] {
  return instanceNames(name, instances)
    .map((folder) => path.join(cacheRoot, folder))
    .filter((folder) => existsSync(folder))
}

async function purge(folders: string[]): Promise<void> {
  for (const folder of folders) {
    try {
      await rm(folder, {recursive: true, force: true})
    } catch (error) {
      throw new DeskrunError(
        `Could not delete the cache folder ${folder}: ${(error as NodeJS.ErrnoException).code}.`,
        {
          hint: `Jobs write their caches as root. Delete it yourself: sudo rm -rf ${folder}`,
        },
      )
    }
  }
}
