/**
 * Turns one installation of the config into what must exist in the cluster: the credentials
 * Secret and, per instance, the scale set's Helm values and the mode's extra objects. Pure: the
 * same config always gives the same plan, which is how `up` can tell that nothing changed.
 */
import {SCALE_SET_NAMESPACE} from './arc/charts.js'
import {networkObjects} from './arc/network.js'
import {authSecret} from './arc/secret.js'
import {scaleSetValues} from './arc/values.js'
import {DeskrunError} from './errors.js'
import {cacheClaim} from './installation/claims.js'
import {DEFAULT_RUNNER_IMAGE} from './installation/image.js'
import {expandInstances} from './installation/instances.js'
import {hostMountSources, resolveMounts} from './installation/mounts.js'
import {effectiveNetwork, type NetworkSettings} from './installation/network.js'
import {authSecretName} from './installation/naming.js'
import {isClaimCache, type Installation} from './installation/types.js'
import {deskrunLabels, type KubeObject, type KubernetesVersion} from './kube.js'
import type {InstallationView, RenderContext} from './modes/api.js'
import {renderInstance} from './modes/check.js'
import type {RegisteredMode} from './modes/registry.js'
import {NODE_CACHE_ROOT, NODE_MOUNTS_ROOT} from './settings.js'

export interface ClusterSettings {
  clusterName: string
  cacheRoot: string
  chartVersion: string
  /** A cluster deskrun did not create: `--mount` host paths are its nodes' own paths. */
  existingCluster?: boolean
  /** Known once the cluster runs; modes may render differently for it. */
  kubernetesVersion?: KubernetesVersion
  /** The config's proxy and CA for installations without their own (`deskrun defaults`). */
  networkDefaults?: NetworkSettings
}

export interface ScaleSetPlan {
  /** Scale set name = Helm release = `runs-on:` value. */
  name: string
  values: Record<string, unknown>
  /** Objects the mode needs before the scale set starts (e.g. its hook extension ConfigMap). */
  objects: KubeObject[]
}

export interface InstallationPlan {
  installation: string
  namespace: string
  secret: KubeObject
  scaleSets: ScaleSetPlan[]
  /** The host paths of its `--mount`s, which the kind node must mount. */
  hostMounts: string[]
  /** Where each cache of each scale set lives: a folder on this machine, or a folder of a claim. */
  caches: PlannedCache[]
}

/** A cache of a scale set: its host folder, or its claim (`--cache-storage-class`) and the folder in it. */
export type PlannedCache = {scaleSet: string; target: string} & (
  {hostPath: string} | {claim: string; subPath: string}
)

export function viewOf(installation: Installation): InstallationView {
  const {auth, ...rest} = installation
  return {...rest, authType: auth.type}
}

export function planInstallation(
  installation: Installation,
  settings: ClusterSettings,
  registered: RegisteredMode,
): InstallationPlan {
  const {mode} = registered
  if (installation.caches.length > 0 && !mode.takesCaches)
    throw new DeskrunError(
      `Mode "${mode.name}" does not use caches, but "${installation.name}" has --cache paths.`,
      {
        code: 'MODE_REJECTS_CACHES',
        hint: 'Remove the --cache flags, or pick a mode that takes caches (`deskrun modes`).',
      },
    )
  // The proxy and CA it uses, its own or the defaults: that is what the chart and the objects get.
  const {proxy, noProxy, githubCA} = effectiveNetwork(installation, settings.networkDefaults)
  const withNetwork: Installation = {...installation, proxy, noProxy, githubCA}
  const view = viewOf(withNetwork)
  const secretName = authSecretName(installation.name)
  const instances = expandInstances(installation, {
    cacheRoot: settings.cacheRoot,
    nodeCacheRoot: NODE_CACHE_ROOT,
  })
  const mounts = resolveMounts(installation.mounts, settings.existingCluster ? undefined : NODE_MOUNTS_ROOT)
  const scaleSets = instances.map((instance): ScaleSetPlan => {
    const context: RenderContext = {
      installation: view,
      instance: {
        name: instance.name,
        index: instance.index,
        count: instance.count,
        minRunners: instance.minRunners,
        maxRunners: instance.maxRunners,
      },
      runnerImage: installation.runnerImage ?? DEFAULT_RUNNER_IMAGE,
      caches: instance.caches,
      mounts,
      namespace: SCALE_SET_NAMESPACE,
      chartVersion: settings.chartVersion,
      labels: deskrunLabels(installation.name, instance.name),
      cluster: {
        name: settings.clusterName,
        cacheRoot: settings.cacheRoot,
        nodeCacheRoot: NODE_CACHE_ROOT,
        ...(settings.kubernetesVersion ? {kubernetesVersion: settings.kubernetesVersion} : {}),
        ...(settings.existingCluster ? {existing: true} : {}),
      },
    }
    const rendered = renderInstance(registered, context)
    return {
      name: instance.name,
      values: scaleSetValues({
        installation: withNetwork,
        instance,
        secretName,
        chartVersion: settings.chartVersion,
        mode: rendered,
      }),
      objects: [
        ...(installation.cacheStorage
          ? [cacheClaim(installation.cacheStorage, instance.name, SCALE_SET_NAMESPACE, context.labels)]
          : []),
        ...(rendered.objects ?? []),
        ...networkObjects(withNetwork, instance.name, SCALE_SET_NAMESPACE, context.labels),
      ],
    }
  })
  return {
    installation: installation.name,
    namespace: SCALE_SET_NAMESPACE,
    secret: authSecret(installation, SCALE_SET_NAMESPACE, deskrunLabels(installation.name)),
    scaleSets,
    hostMounts: hostMountSources([installation]),
    caches: instances.flatMap((instance) =>
      instance.caches.map((cache): PlannedCache =>
        isClaimCache(cache)
          ? {scaleSet: instance.name, target: cache.target, claim: cache.claimName, subPath: cache.subPath}
          : {scaleSet: instance.name, target: cache.target, hostPath: cache.hostPath},
      ),
    ),
  }
}
