/**
 * Comparing chart versions. Apart from charts.ts, whose names every command loads, while semver (a
 * tenth of `deskrun list`'s start-up) is needed only where versions are compared.
 */
import semver from 'semver'

/** `major.minor` of a chart version; the controller deletes scale sets of any other minor. */
export function minorOf(version: string): string {
  const parsed = semver.coerce(version)
  return parsed ? `${parsed.major}.${parsed.minor}` : version
}
