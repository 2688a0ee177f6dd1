import {existsSync} from 'node:fs'
import {rm} from 'node:fs/promises'

import {withClusterLock} from '../adapters/cluster-lock.js'
import {backupsWithUnusedCredentials, updateConfig} from '../adapters/config-store.js'
import {ensureWritableHome} from '../adapters/deskrun-home.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {DeskrunError} from '../domain/errors.js'
import {instanceNames} from '../domain/installation/naming.js'
import {purgePlan} from '../domain/installation/sharing.js'
import {realFolder} from '../adapters/real-path.js'
import {isKindCluster, targetContext} from '../domain/settings.js'
import {SCALE_SET_NAMESPACE} from '../domain/arc/charts.js'
import {INSTALLATION_LABEL} from '../domain/kube.js'
import {CLAIM_KIND} from '../domain/reconcile/claims.js'
import type {Observation} from '../domain/reconcile/observation.js'
import type {Deps} from '../pipeline/deps.js'
import {applyPlan, observeAndPlan, type ReconcileRequest} from '../pipeline/reconcile.js'
import {ALL_TOOLS, requireTools} from '../adapters/tools/prerequisites.js'
import {explainFailure, installationNamed, readConfig, type ActionContext} from './context.js'

export interface RemoveResult {
  installation: string
  changed: string[]
  /** Host folders of its caches that are its alone, and whether they were deleted. */
  caches: string[]
  cachesPurged: boolean
  /** Folders of its caches that --purge-cache leaves alone, and why. */
  cachesKept: {folder: string; reason: string}[]
  /**
   * Its cache claims (`--cache-storage-class`) in the cluster: deleted with --purge-cache, else kept for
   * an installation of the same name to use again.
   */
  claims: string[]
  /** The command that deletes the kept claims (and their data). */
  deleteClaims?: string
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
  const installation = installationNamed(config, name)
  await ensureWritableHome()
  await requireTools(isKindCluster(config) ? ALL_TOOLS : ['helm', 'kubectl'])
  const deps: Deps = {config, tools: context.tools(config), modes: context.modes}
  let changed: string[] = []
  let claims: string[] = []
  let remaining: DeskrunConfig | undefined
  // Its scale sets (by label, and by name for those an older deskrun did not label), then its objects.
  const request: ReconcileRequest = {
    installations: [],
    kept: [],
    removed: [
      {
        installation: name,
        releases: instanceNames(name, installation.instances),
        purgeCaches: options.purgeCache,
      },
    ],
    scope: [name],
    ensure: false,
  }
  await withClusterLock(context, config.clusterName, async () => {
    const progress = {json: context.json}
    const outcome = await observeAndPlan(deps, request, progress)
      .then((planned) => {
        claims = cacheClaimsOf(planned.observation, name)
        return applyPlan(deps, planned, progress)
      })
      .catch(async (error: unknown) => {
        throw await explainFailure(context, config, error)
      })
    changed = outcome.changed
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
    changed,
    caches: caches.remove,
    cachesPurged: options.purgeCache,
    cachesKept: caches.keep,
    claims,
    ...(claims.length > 0 && !options.purgeCache
      ? {
          deleteClaims: `kubectl --context ${targetContext(config)} --namespace ${SCALE_SET_NAMESPACE} delete pvc ${claims.join(' ')}`,
        }
      : {}),
    credentialBackups: await backupsWithUnusedCredentials(remaining ?? config),
  }
}

/** The names of the installation's cache claims in the cluster (deskrun labels them with it). */
function cacheClaimsOf(observation: Observation, installation: string): string[] {
  return observation.objects
    .filter(
      (object) => object.kind === CLAIM_KIND && object.metadata.labels?.[INSTALLATION_LABEL] === installation,
    )
    .map((object) => object.metadata.name)
}

/** Deletes cache folders; one that cannot be deleted (jobs write as root) stops with the sudo command. */
export async function purge(folders: string[]): Promise<void> {
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
