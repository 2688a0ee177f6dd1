/** The reconciler and the cache claims of `--cache-storage-class`: what it applies, refuses and keeps. */
import {expect} from 'chai'

import {
  CONTROLLER_CHART_NAME,
  CONTROLLER_NAMESPACE,
  DEFAULT_CHART_VERSION,
  SCALE_SET_CHART_NAME,
  SCALE_SET_NAMESPACE,
} from '../../../src/lib/domain/arc/charts.js'
import type {Installation} from '../../../src/lib/domain/installation/types.js'
import {installationReleaseLabels, type KubeObject} from '../../../src/lib/domain/kube.js'
import {builtinModes} from '../../../src/lib/domain/modes/builtins.js'
import {findMode, type ModeRegistry} from '../../../src/lib/domain/modes/registry.js'
import {planInstallation, type InstallationPlan} from '../../../src/lib/domain/plan.js'
import type {Observation} from '../../../src/lib/domain/reconcile/observation.js'
import {describeAction, planChanges, type Desired} from '../../../src/lib/domain/reconcile/plan.js'
import {ORIGINAL_CACHE_ROOT} from '../../../src/lib/domain/settings.js'
import {installation} from '../modes/fixtures.js'

const registry: ModeRegistry = {
  modes: builtinModes.map((mode) => ({mode, source: {type: 'built-in'}})),
  warnings: [],
  details: [],
}

function planOf(name: string, overrides: Partial<Installation> = {}): InstallationPlan {
  const wanted = installation({
    name,
    mode: 'dind',
    maxRunners: 1,
    caches: [{target: '/var/lib/docker'}],
    cacheStorage: {storageClass: 'longhorn', size: '50Gi'},
    ...overrides,
  })
  return planInstallation(
    wanted,
    {clusterName: 'deskrun', cacheRoot: ORIGINAL_CACHE_ROOT, chartVersion: DEFAULT_CHART_VERSION},
    findMode(registry, wanted.mode),
  )
}

function want(installations: InstallationPlan[], more: Partial<Desired> = {}): Desired {
  return {
    clusterName: 'deskrun',
    cacheRoot: ORIGINAL_CACHE_ROOT,
    chartVersion: DEFAULT_CHART_VERSION,
    installations,
    kept: [],
    ensure: true,
    ...more,
  }
}

/** A claim as the API server keeps it once bound: defaults and the volume filled in, a status. */
function served(claim: KubeObject, spec: Record<string, unknown> = {}): KubeObject {
  const copy = structuredClone(claim)
  return {
    ...copy,
    metadata: {...copy.metadata, uid: 'u-1', resourceVersion: '7'},
    spec: {...(copy.spec as object), volumeMode: 'Filesystem', volumeName: 'pvc-u-1', ...spec},
    status: {phase: 'Bound', capacity: {storage: '50Gi'}},
  }
}

/** Everything of these installations in place, the claims as `served` makes them. */
function converged(plans: InstallationPlan[], claimSpec: Record<string, unknown> = {}): Observation {
  return {
    cluster: {exists: true, running: true, cacheMount: true},
    storageClasses: ['local-path', 'longhorn'],
    releases: [
      {
        name: 'arc',
        namespace: CONTROLLER_NAMESPACE,
        revision: 1,
        status: 'deployed',
        chartName: CONTROLLER_CHART_NAME,
        chartVersion: DEFAULT_CHART_VERSION,
        values: {},
        labels: {},
      },
      ...plans.flatMap((plan) =>
        plan.scaleSets.map((scaleSet) => ({
          name: scaleSet.name,
          namespace: SCALE_SET_NAMESPACE,
          revision: 1,
          status: 'deployed',
          chartName: SCALE_SET_CHART_NAME,
          chartVersion: DEFAULT_CHART_VERSION,
          values: JSON.parse(JSON.stringify(scaleSet.values)) as Record<string, unknown>,
          labels: installationReleaseLabels(plan.installation),
        })),
      ),
    ],
    objects: plans.flatMap((plan) => [
      plan.secret,
      ...plan.scaleSets.flatMap((scaleSet) =>
        scaleSet.objects.map((object) =>
          object.kind === 'PersistentVolumeClaim' ? served(object, claimSpec) : object,
        ),
      ),
    ]),
  }
}

const described = (desired: Desired, observed: Observation) =>
  planChanges(desired, observed).actions.map(describeAction)

describe('reconcile: cache claims', () => {
  it('applies the claim of each instance with the other objects, before its scale set', () => {
    const plan = planOf('build', {instances: 2})
    const observed: Observation = {...converged([]), objects: []}
    expect(described(want([plan]), observed)).to.deep.equal([
      'apply secret/build-github-auth (credentials not in the cluster)',
      'apply persistentvolumeclaim/build-1-cache (not in the cluster)',
      'apply persistentvolumeclaim/build-2-cache (not in the cluster)',
      'install scale set build-1 (not in the cluster)',
      'install scale set build-2 (not in the cluster)',
    ])
  })

  it('asks for no cache mount of the kind node: the caches are in the cluster', () => {
    const plan = planChanges(want([planOf('build')]), {
      ...converged([planOf('build')]),
      cluster: {exists: true, running: true, cacheMount: false},
    })
    expect(plan.blockers).to.deep.equal([])
  })

  it('leaves a bound claim alone: the server fills in its volume, mode and status', () => {
    const plan = planChanges(want([planOf('build')]), converged([planOf('build')]))
    expect(plan.actions).to.deep.equal([])
    expect(plan.unchanged).to.include('persistentvolumeclaim/build-cache')
  })

  it('compares sizes as amounts (the server may write 50Gi as 51200Mi or the other way round)', () => {
    const observed = converged([planOf('build')], {resources: {requests: {storage: '51200Mi'}}})
    expect(planChanges(want([planOf('build')]), observed).actions).to.deep.equal([])
  })

  it('grows a claim (where the class allows it, the API server says)', () => {
    const observed = converged([planOf('build')])
    const bigger = planOf('build', {cacheStorage: {storageClass: 'longhorn', size: '80Gi'}})
    expect(described(want([bigger]), observed)).to.deep.equal([
      'apply persistentvolumeclaim/build-cache (size 50Gi → 80Gi)',
    ])
  })

  it('stops, naming the fix, where Kubernetes would refuse: another class, a smaller size', () => {
    const observed = converged([planOf('build')])
    const other = planChanges(
      want([planOf('build', {cacheStorage: {storageClass: 'local-path', size: '50Gi'}})]),
      observed,
    )
    expect(other.blockers).to.have.length(1)
    expect(other.blockers[0]).to.deep.include({code: 'CACHE_CLAIM_CLASS'})
    expect(other.blockers[0].message).to.equal(
      'The cache claim build-cache in the cluster has the storage class "longhorn", not "local-path": Kubernetes cannot change the class of a claim.',
    )
    expect(other.blockers[0].hint)
      .to.contain('deskrun remove build --purge-cache')
      .and.contain('deskrun set build --cache-storage-class longhorn')
    const smaller = planChanges(
      want([planOf('build', {cacheStorage: {storageClass: 'longhorn', size: '10Gi'}})]),
      observed,
    )
    expect(smaller.blockers.map((blocker) => blocker.code)).to.deep.equal(['CACHE_CLAIM_SHRINK'])
    expect(smaller.blockers[0].hint).to.contain('deskrun set build --cache-size 50Gi')
  })

  it('stops before anything is applied when the cluster lacks the storage class', () => {
    const observed: Observation = {...converged([]), objects: [], storageClasses: ['local-path']}
    const plan = planChanges(want([planOf('build'), planOf('test')]), observed)
    expect(plan.blockers).to.deep.equal([
      {
        code: 'STORAGE_CLASS_MISSING',
        message:
          'The cluster has no storage class "longhorn", which the caches of build, test ask for (it has: local-path).',
        hint: 'deskrun set build --cache-storage-class local-path\ndeskrun set test --cache-storage-class local-path',
      },
    ])
  })

  it("knows the classes of the kind cluster it is about to create: kind's standard only", () => {
    const fresh: Observation = {cluster: {exists: false, running: false}, releases: [], objects: []}
    const blocked = planChanges(want([planOf('build')]), fresh)
    expect(blocked.blockers.map((blocker) => blocker.code)).to.deep.equal(['STORAGE_CLASS_MISSING'])
    const fine = planOf('build', {cacheStorage: {storageClass: 'standard', size: '20Gi'}})
    expect(planChanges(want([fine]), fresh).blockers).to.deep.equal([])
  })

  it("keeps a removed installation's claims (its cache data) unless they are purged", () => {
    const observed = converged([planOf('build', {instances: 2})])
    const removing = (purgeCaches?: boolean) =>
      want([], {
        ensure: false,
        scope: ['build'],
        removed: [{installation: 'build', releases: ['build-1', 'build-2'], purgeCaches}],
      })
    expect(described(removing(), observed)).to.deep.equal([
      'uninstall scale set build-1 (removing build)',
      'uninstall scale set build-2 (removing build)',
      'delete secret/build-github-auth (removing build)',
    ])
    expect(described(removing(true), observed)).to.include.members([
      'delete persistentvolumeclaim/build-1-cache (removing build)',
      'delete persistentvolumeclaim/build-2-cache (removing build)',
    ])
  })

  it('keeps the claim of an instance beyond a smaller --instances, as its host folder would stay', () => {
    const observed = converged([planOf('build', {instances: 2})])
    expect(described(want([planOf('build')]), observed)).to.not.include.members([
      'delete persistentvolumeclaim/build-2-cache (build-2 is no longer an instance of build)',
    ])
    expect(
      described(want([planOf('build')]), observed).filter((line) => line.includes('persistentvolumeclaim')),
    ).to.deep.equal(['apply persistentvolumeclaim/build-cache (not in the cluster)'])
  })
})
