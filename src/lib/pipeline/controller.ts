import type {ListrTask} from 'listr2'

import {
  CONTROLLER_CHART,
  CONTROLLER_CHART_NAME,
  CONTROLLER_NAMESPACE,
  CONTROLLER_RELEASE,
  chartVersionOf,
  minorOf,
} from '../domain/arc/charts.js'
import {DeskrunError} from '../domain/errors.js'
import {configPath} from '../domain/settings.js'
import type {Deps, Outcome} from './deps.js'
import {toolOutput} from './run.js'
import {DESKRUN_RELEASE_LABELS, recoverStuckRelease} from './releases.js'

/** Installs the ARC controller once; a different minor version is refused, never mixed. */
export function ensureController(deps: Deps): ListrTask<Outcome> {
  const target = deps.config.chartVersion
  return {
    title: `ARC controller ${target}`,
    task: async (outcome, task) => {
      const current = await recoverStuckRelease(deps, CONTROLLER_NAMESPACE, CONTROLLER_RELEASE)
      const version = current && chartVersionOf(current.chart, CONTROLLER_CHART_NAME)
      if (version && minorOf(version) !== minorOf(target)) throw versionSkew(version, target)
      if (version === target && current?.status === 'deployed') {
        task.title = `ARC controller ${target}: installed`
        outcome.unchanged.push(`controller ${CONTROLLER_RELEASE}`)
        return
      }
      task.title = `ARC controller ${target}: ${current ? 'upgrading' : 'installing'}`
      try {
        await install(deps, task)
      } catch (error) {
        // Another deskrun started at the same time may have installed it meanwhile.
        if (!(await installedMeanwhile(deps, error))) throw error
        task.title = `ARC controller ${target}: installed (by another deskrun meanwhile)`
        outcome.unchanged.push(`controller ${CONTROLLER_RELEASE}`)
        return
      }
      task.title = `ARC controller ${target}: ${current ? 'upgraded' : 'installed'}`
      outcome.changed.push(
        `controller ${CONTROLLER_RELEASE} ${current ? 'upgraded' : 'installed'} (${target})`,
      )
    },
  }
}

async function install(deps: Deps, task: {output?: unknown}): Promise<void> {
  await deps.tools.helm.upgradeInstall(
    {
      release: CONTROLLER_RELEASE,
      chart: CONTROLLER_CHART,
      version: deps.config.chartVersion,
      namespace: CONTROLLER_NAMESPACE,
      values: {},
      labels: DESKRUN_RELEASE_LABELS,
      step: 'install the ARC controller',
      hint: 'Check network access to ghcr.io, and `kubectl --context kind-<cluster> get pods -n arc-systems` for pods that do not start.',
    },
    {onLine: toolOutput(task)},
  )
}

async function installedMeanwhile(deps: Deps, error: unknown): Promise<boolean> {
  if (!(error instanceof DeskrunError) || error.code !== 'TOOL_FAILED') return false
  const release = await deps.tools.helm
    .release(CONTROLLER_NAMESPACE, CONTROLLER_RELEASE)
    .catch(() => undefined)
  return (
    release?.status === 'deployed' &&
    chartVersionOf(release.chart, CONTROLLER_CHART_NAME) === deps.config.chartVersion
  )
}

function versionSkew(installed: string, wanted: string): DeskrunError {
  return new DeskrunError(
    `The ARC controller in the cluster is version ${installed}, but deskrun is set to ${wanted}. ` +
      `ARC deletes scale sets whose minor version differs from the controller's, and helm does not upgrade its CRDs, ` +
      `so deskrun will not mix ${minorOf(installed)} and ${minorOf(wanted)}.`,
    {
      code: 'VERSION_SKEW',
      hint:
        `To move everything to ${wanted}, rebuild the cluster from your config (caches stay on disk):\n` +
        `  deskrun cluster delete && deskrun up\n` +
        `To stay on ${installed}, set "chart_version": "${installed}" in ${configPath()}.`,
    },
  )
}
