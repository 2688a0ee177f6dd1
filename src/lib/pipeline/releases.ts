import type {HelmRelease} from '../adapters/tools/index.js'
import type {Deps} from './deps.js'

/** Helm release labels deskrun sets, so `up` can find (and prune) only its own releases. */
export const MANAGED_RELEASE_LABEL = 'managed-by'
export const INSTALLATION_RELEASE_LABEL = 'deskrun-installation'
export const DESKRUN_RELEASE_LABELS = {[MANAGED_RELEASE_LABEL]: 'deskrun'}

export function installationReleaseLabels(installation: string): Record<string, string> {
  return {...DESKRUN_RELEASE_LABELS, [INSTALLATION_RELEASE_LABEL]: installation}
}

/**
 * An interrupted helm run leaves its release pending or failed, and helm then refuses every
 * further operation ("another operation is in progress"). Put it back in a state the next
 * install or upgrade can proceed from: roll back to the last good revision, or start afresh when
 * there never was one. Returns the release as it is afterwards (undefined when gone).
 */
export async function recoverStuckRelease(
  deps: Deps,
  namespace: string,
  name: string,
): Promise<HelmRelease | undefined> {
  const {helm} = deps.tools
  const release = await helm.release(namespace, name)
  if (!release || release.status === 'deployed') return release
  const neverDeployed =
    release.revision === '1' || release.status === 'pending-install' || release.status === 'uninstalling'
  if (neverDeployed) {
    await helm.uninstall(namespace, name)
    return undefined
  }
  await helm.rollback(namespace, name)
  return helm.release(namespace, name)
}
