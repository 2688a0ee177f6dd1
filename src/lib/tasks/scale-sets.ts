import {isDeepStrictEqual} from 'node:util'

import type {ListrTask} from 'listr2'

import {SCALE_SET_CHART, SCALE_SET_CHART_NAME, SCALE_SET_NAMESPACE, chartVersionOf} from '../arc/charts.js'
import {MANAGED_BY_LABEL} from '../kube.js'
import {reinstallReason} from '../arc/cleanup.js'
import type {Installation} from '../installation/types.js'
import type {InstallationPlan, ScaleSetPlan} from '../plan.js'
import {kubernetesVersion} from './cluster.js'
import {planFor, type Deps, type Outcome} from './deps.js'
import {toolOutput} from './run.js'
import {installationReleaseLabels, recoverStuckRelease} from './releases.js'

/**
 * The credentials Secret (from stdin), then one task per scale set instance. The scale sets are
 * rendered again once the cluster's Kubernetes version is known: a mode may depend on it.
 */
export function deployInstallation(deps: Deps, installation: Installation): ListrTask<Outcome>[] {
  const plan = planFor(deps.config, installation, deps.modes)
  let rendered: Promise<InstallationPlan> | undefined
  const forCluster = () =>
    (rendered ??= kubernetesVersion(deps).then((version) =>
      planFor(deps.config, installation, deps.modes, version),
    ))
  return [
    {
      title: `Credentials for ${plan.installation}`,
      task: async (outcome, task) => {
        const namespace = {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {name: plan.namespace, labels: {'app.kubernetes.io/managed-by': 'deskrun'}},
        }
        const applied = await deps.tools.kubectl.apply(
          [namespace, plan.secret],
          `store the credentials of ${plan.installation}`,
        )
        const changed = applied.some(
          (entry) => entry.object.startsWith('secret/') && entry.action !== 'unchanged',
        )
        task.title = `Credentials for ${plan.installation}: ${changed ? 'stored' : 'unchanged'}`
        ;(changed ? outcome.changed : outcome.unchanged).push(`credentials of ${plan.installation}`)
      },
    },
    ...plan.scaleSets.map(({name}, index) =>
      deployScaleSet(deps, plan, name, async () => (await forCluster()).scaleSets[index]),
    ),
  ]
}

function deployScaleSet(
  deps: Deps,
  plan: InstallationPlan,
  name: string,
  render: () => Promise<ScaleSetPlan>,
): ListrTask<Outcome> {
  const {helm, kubectl} = deps.tools
  const version = deps.config.chartVersion
  return {
    title: `Scale set ${name}`,
    task: async (outcome, task) => {
      const scaleSet = await render()
      const applied = await kubectl.apply(scaleSet.objects, `create the objects of ${scaleSet.name}`)
      const objectsChanged = applied.some((entry) => entry.action !== 'unchanged')
      const current = await recoverStuckRelease(deps, plan.namespace, scaleSet.name)
      const values = current && (await helm.values(plan.namespace, scaleSet.name))
      const upToDate =
        current?.status === 'deployed' &&
        chartVersionOf(current.chart, SCALE_SET_CHART_NAME) === version &&
        isDeepStrictEqual(values, JSON.parse(JSON.stringify(scaleSet.values)))
      // The hook extension is read when a job starts, so a changed ConfigMap alone needs no helm upgrade.
      if (upToDate) {
        task.title = `Scale set ${scaleSet.name}: ${objectsChanged ? 'updated' : 'unchanged'}`
        ;(objectsChanged ? outcome.changed : outcome.unchanged).push(`scale set ${scaleSet.name}`)
        return
      }
      const reinstall = values && reinstallReason(scaleSet.name, values, scaleSet.values)
      if (reinstall) {
        // Its runners stop meanwhile; a job that is running fails, as with `deskrun remove`.
        task.title = `Scale set ${scaleSet.name}: reinstalling, as ${reinstall} (helm cannot upgrade that in place)`
        await helm.uninstall(plan.namespace, scaleSet.name, {onLine: toolOutput(task)})
      } else task.title = `Scale set ${scaleSet.name}: ${current ? 'upgrading' : 'installing'}`
      await helm.upgradeInstall(
        {
          release: scaleSet.name,
          chart: SCALE_SET_CHART,
          version,
          namespace: plan.namespace,
          values: scaleSet.values,
          labels: installationReleaseLabels(plan.installation),
          step: `deploy the scale set ${scaleSet.name}`,
          hint: `See what the runners do: deskrun status ${plan.installation}`,
        },
        {onLine: toolOutput(task)},
      )
      const done = reinstall ? 'reinstalled' : current ? 'upgraded' : 'installed'
      task.title = `Scale set ${scaleSet.name}: ${done}${reinstall ? ` (${reinstall})` : ''}`
      outcome.changed.push(`scale set ${scaleSet.name} ${done}`)
    },
  }
}

/**
 * Uninstalls scale sets (always before anything else, or ARC's finalizers hang), then the objects
 * deskrun created for them that `isObsolete` picks. Safe to re-run: what is gone is skipped.
 */
export function removeScaleSets(
  deps: Deps,
  target: {title: string; releases: string[]; isObsolete: (labels: Record<string, string>) => boolean},
): ListrTask<Outcome> {
  const {helm, kubectl} = deps.tools
  return {
    title: target.title,
    task: async (outcome, task) => {
      const existing = new Set((await helm.releases(SCALE_SET_NAMESPACE)).map((release) => release.name))
      for (const release of target.releases) {
        if (!existing.has(release)) continue
        task.output = `uninstalling ${release}`
        await helm.uninstall(SCALE_SET_NAMESPACE, release)
        outcome.changed.push(`scale set ${release} uninstalled`)
      }
      for (const type of ['configmaps', 'secrets']) {
        const owned = await kubectl.list(type, {
          namespace: SCALE_SET_NAMESPACE,
          selector: {[MANAGED_BY_LABEL]: 'deskrun'},
        })
        const names = owned
          .filter((object) => target.isObsolete(object.metadata.labels ?? {}))
          .map((object) => object.metadata.name)
        await kubectl.delete(type, {namespace: SCALE_SET_NAMESPACE, names})
        outcome.changed.push(...names.map((name) => `${type.slice(0, -1)} ${name} deleted`))
      }
    },
  }
}
