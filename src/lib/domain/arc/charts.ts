/** Facts about GitHub's Actions Runner Controller charts (see the README's "How deskrun uses ARC"). */

export const DEFAULT_CHART_VERSION = '0.14.2'

const CHART_REPOSITORY = 'oci://ghcr.io/actions/actions-runner-controller-charts'
export const CONTROLLER_CHART = `${CHART_REPOSITORY}/gha-runner-scale-set-controller`
export const SCALE_SET_CHART = `${CHART_REPOSITORY}/gha-runner-scale-set`
/** Chart names as `helm list` prints them (`<name>-<version>`). */
export const CONTROLLER_CHART_NAME = 'gha-runner-scale-set-controller'
export const SCALE_SET_CHART_NAME = 'gha-runner-scale-set'

export const CONTROLLER_RELEASE = 'arc'
export const CONTROLLER_NAMESPACE = 'arc-systems'
/** The chart names the controller's service account `<release>-gha-rs-controller`. */
export const CONTROLLER_SERVICE_ACCOUNT = `${CONTROLLER_RELEASE}-gha-rs-controller`
export const SCALE_SET_NAMESPACE = 'arc-runners'

/** ARC rejects AutoscalingRunnerSet names longer than this. */
export const MAX_SCALE_SET_NAME_LENGTH = 45

/** The four CRDs the controller chart installs; helm upgrade never updates them. */
export const ARC_CRDS = [
  'autoscalingrunnersets.actions.github.com',
  'autoscalinglisteners.actions.github.com',
  'ephemeralrunnersets.actions.github.com',
  'ephemeralrunners.actions.github.com',
] as const

/** The version part of a `helm list` chart column such as `gha-runner-scale-set-0.14.2`. */
export function chartVersionOf(chart: string, chartName: string): string | undefined {
  return chart.startsWith(`${chartName}-`) ? chart.slice(chartName.length + 1) : undefined
}
