/**
 * Some objects of the scale set chart carry ARC's `actions.github.com/cleanup-protection` finalizer.
 * The controller removes it only when it deletes the AutoscalingRunnerSet, and only from the objects
 * the set's `actions.github.com/cleanup-*` annotations name at that moment. A helm upgrade that stops
 * rendering one of them (a change from `kubernetes` to `dind` drops the kube-mode ServiceAccount, Role
 * and RoleBinding) leaves it Terminating for good: such a change needs an uninstall, then an install.
 */

const KUBE_MODES = new Set(['kubernetes', 'kubernetes-novolume'])

/** The finalizer-protected objects the chart (0.14.2 templates) renders for these values, as `Kind/name`. */
export function protectedObjects(release: string, values: Record<string, unknown>): string[] {
  const name = (typeof values.runnerScaleSetName === 'string' && values.runnerScaleSetName) || release
  const fullname = `${name}-gha-rs`.slice(0, 63).replace(/-+$/, '')
  const objects = [`Role/${fullname}-manager`, `RoleBinding/${fullname}-manager`]
  if (typeof values.githubConfigSecret !== 'string') objects.push(`Secret/${fullname}-github-secret`)
  if (field(values, 'template', 'spec', 'serviceAccountName')) return objects
  const kubeMode = `${fullname}-kube-mode`
  if (KUBE_MODES.has(containerModeType(values)))
    objects.push(`ServiceAccount/${kubeMode}`, `Role/${kubeMode}`, `RoleBinding/${kubeMode}`)
  else objects.push(`ServiceAccount/${fullname}-no-permission`)
  return objects
}

/**
 * Why going from the `current` values of a release to the `planned` ones needs a reinstall (it would
 * drop a protected object), or undefined when a helm upgrade will do.
 */
export function reinstallReason(
  release: string,
  current: Record<string, unknown>,
  planned: Record<string, unknown>,
): string | undefined {
  const kept = new Set(protectedObjects(release, planned))
  const dropped = protectedObjects(release, current).filter((object) => !kept.has(object))
  if (dropped.length === 0) return undefined
  const [from, to] = [current, planned].map((values) => containerModeType(values) || 'none')
  return from === to
    ? `the chart would leave ${dropped.join(', ')} stuck Terminating`
    : `its ARC container mode changes from ${from} to ${to}`
}

function containerModeType(values: Record<string, unknown>): string {
  const type = field(values, 'containerMode', 'type')
  return typeof type === 'string' ? type : ''
}

function field(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined,
    value,
  )
}
