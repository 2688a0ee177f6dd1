import {existsSync} from 'node:fs'
import {rm} from 'node:fs/promises'

import {withClusterLock} from '../adapters/cluster-lock.js'
import {backupsWithUnusedCredentials, updateConfig} from '../adapters/config-store.js'
import {ensureWritableHome} from '../adapters/deskrun-home.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {DeskrunError, UsageError} from '../domain/errors.js'
import {instanceNames} from '../domain/installation/naming.js'
import {purgePlan} from '../domain/installation/sharing.js'
import {INSTALLATION_LABEL} from '../domain/kube.js'
import {realFolder} from '../adapters/real-path.js'
import {newOutcome, type Deps} from '../pipeline/deps.js'
import {INSTALLATION_RELEASE_LABEL} from '../pipeline/releases.js'
import {runTasks} from '../pipeline/run.js'
import {removeScaleSets} from '../pipeline/scale-sets.js'
import {ALL_TOOLS, requireTools} from '../adapters/tools/prerequisites.js'
import {SCALE_SET_NAMESPACE} from '../domain/arc/charts.js'
import {explainFailure, readConfig, type ActionContext} from './context.js'

export interface RemoveResult {
  installation: string
  changed: string[]
  /** Host folders of its caches that are its alone, and whether they were deleted. */
  caches: string[]
  cachesPurged: boolean
  /** Folders of its caches that --purge-cache leaves alone, and why. */
  cachesKept: {folder: string; reason: string}[]
  /**
   * Backups of the original deskrun's config that still hold a token or private key no installation
   * uses any more (this one's, for instance): for the user to delete.
   */
  credentialBackups: string[]
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
  const config = await readConfig(context)
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
  await ensureWritableHome()
  await requireTools(ALL_TOOLS)
  const deps: Deps = {config, tools: context.tools(config.clusterName), modes: context.modes}
  const outcome = newOutcome()
  let remaining: DeskrunConfig | undefined
  await withClusterLock(context, config.clusterName, async () => {
    const clusterExists = await deps.tools.kind.exists(config.clusterName).catch(async (error: unknown) => {
      throw await explainFailure(context, config, error)
    })
    if (clusterExists) {
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
    remaining = await updateConfig(
      (current) => {
        const {[name]: _removed, ...rest} = current.installations
        return {...current, installations: rest}
      },
      {onNote: context.note},
    )
  })
  // Decided against the config as it is now, so that an installation added meanwhile is protected too.
  const caches = purgePlan(installation, Object.values((remaining ?? config).installations), {
    cacheRoot: config.cacheRoot,
    realPath: realFolder,
    exists: existsSync,
  })
  if (options.purgeCache) await purge(caches.remove)
  return {
    installation: name,
    changed: outcome.changed,
    caches: caches.remove,
    cachesPurged: options.purgeCache,
    cachesKept: caches.keep,
    credentialBackups: await backupsWithUnusedCredentials(remaining ?? config),
  }
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
