/** Names deskrun derives from an installation name, and the rules that keep all of them valid. */
import {MAX_SCALE_SET_NAME_LENGTH} from '../arc/charts.js'

/** Kubernetes object names (DNS-1123 labels) may not be longer than this. */
export const MAX_KUBERNETES_NAME_LENGTH = 63

/**
 * The names deskrun gives the objects it creates for an installation or instance: the one place they
 * are derived. The longest suffix (15 characters) on the longest scale set name (45) gives 60 ≤ 63, so
 * any name that passes `nameProblems` gives valid object names; a test checks that on these functions.
 */
const MAX_DNS_SUBDOMAIN = 253

/** The credentials Secret of an installation: `${installation}-github-auth`, reduced to what a Kubernetes name allows. */
export function authSecretName(installationName: string): string {
  const base = installationName
    .toLowerCase()
    .replaceAll(/[^a-z0-9.-]+/g, '-')
    .replaceAll(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
  const suffix = '-github-auth'
  return `${(base || 'deskrun').slice(0, MAX_DNS_SUBDOMAIN - suffix.length)}${suffix}`
}

/** The hook extension ConfigMap of one scale set instance (one per instance: a shared name makes the last install win). */
export function hookExtensionName(instanceName: string): string {
  return `${instanceName}-hook-extension`
}

/** The Secret with the credentials of an instance's `--proxy` (the chart's proxy credentialSecretRef). */
export function proxySecretName(instanceName: string): string {
  return `${instanceName}-proxy-auth`
}

/** The ConfigMap with an instance's `--github-ca-file` (the chart's githubServerTLS configMapKeyRef). */
export function githubCAName(instanceName: string): string {
  return `${instanceName}-github-ca`
}

/**
 * The PersistentVolumeClaim that holds an instance's caches with `--cache-storage-class`: one per
 * instance, so no two instances share a folder (and a Docker data root keeps to one runner).
 */
export function cacheClaimName(instanceName: string): string {
  return `${instanceName}-cache`
}

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/

/** Scale set names of an installation: `[name]` for one instance, `name-1 .. name-N` for several. */
export function instanceNames(name: string, instances: number): string[] {
  if (instances <= 1) return [name]
  return Array.from({length: instances}, (_, i) => `${name}-${i + 1}`)
}

/**
 * What a name the user typed means: an installation, or one of its instances (`name-2`, as `add`
 * printed it, for `runs-on:`). An installation of that very name wins.
 */
export function findByName(
  installations: Readonly<Record<string, {instances: number}>>,
  typed: string,
): {installation: string; instance?: string} | undefined {
  if (installations[typed]) return {installation: typed}
  for (const [installation, {instances}] of Object.entries(installations))
    if (instances > 1 && instanceNames(installation, instances).includes(typed))
      return {installation, instance: typed}
  return undefined
}

/** The longest name a user may give an installation with this many instances. */
export function maxInstallationNameLength(instances: number): number {
  return instances <= 1 ? MAX_SCALE_SET_NAME_LENGTH : MAX_SCALE_SET_NAME_LENGTH - `-${instances}`.length
}

/** What is wrong with an installation name; empty when it is fine. Messages never echo secrets (names are not). */
export function nameProblems(name: string, instances: number): string[] {
  if (name === '') return ['The installation name is empty: give a name such as my-runner.']
  const problems: string[] = []
  if (!DNS_LABEL.test(name)) {
    problems.push(
      `The installation name "${name}" must use only lower-case letters, digits and '-', and start and ` +
        `end with a letter or digit (for example my-runner): it becomes the runs-on: value and Kubernetes names.`,
    )
  }

  const count = Number.isInteger(instances) && instances > 1 ? instances : 1
  const longest = instanceNames(name, count).reduce((a, b) => (b.length > a.length ? b : a))
  if (longest.length > MAX_SCALE_SET_NAME_LENGTH) {
    const limit = maxInstallationNameLength(count)
    problems.push(
      count > 1
        ? `The installation name "${name}" is too long for --instances ${count}: its scale set "${longest}" has ` +
            `${longest.length} characters and ARC allows ${MAX_SCALE_SET_NAME_LENGTH}; use at most ${limit} characters.`
        : `The installation name "${name}" has ${name.length} characters; ARC allows at most ${limit} in a scale set name.`,
    )
  }

  return problems
}
