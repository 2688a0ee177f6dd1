import {expect} from 'chai'

import {
  CONTROLLER_CHART_NAME,
  CONTROLLER_NAMESPACE,
  DEFAULT_CHART_VERSION,
  SCALE_SET_CHART_NAME,
  SCALE_SET_NAMESPACE,
} from '../../../src/lib/domain/arc/charts.js'
import {reinstallReason} from '../../../src/lib/domain/arc/cleanup.js'
import type {Installation} from '../../../src/lib/domain/installation/types.js'
import {installationReleaseLabels, type KubeObject} from '../../../src/lib/domain/kube.js'
import {builtinModes} from '../../../src/lib/domain/modes/builtins.js'
import {findMode, type ModeRegistry} from '../../../src/lib/domain/modes/registry.js'
import {planInstallation, type InstallationPlan, type ScaleSetPlan} from '../../../src/lib/domain/plan.js'
import {mountBlockers, mountNeeds} from '../../../src/lib/domain/reconcile/mounts.js'
import type {Observation, ObservedRelease} from '../../../src/lib/domain/reconcile/observation.js'
import {
  blockersError,
  describeAction,
  differingKeys,
  hasChanges,
  objectName,
  planChanges,
  type Action,
  type Desired,
  type Plan,
} from '../../../src/lib/domain/reconcile/plan.js'
import {ORIGINAL_CACHE_ROOT} from '../../../src/lib/domain/settings.js'

const CLUSTER = 'deskrun'
const CHART = DEFAULT_CHART_VERSION
const TOKEN = 'ghp_currentToken123'
const OLD_TOKEN = 'ghp_previousToken456'
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

const registry: ModeRegistry = {
  modes: builtinModes.map((mode) => ({mode, source: {type: 'built-in'}})),
  warnings: [],
  details: [],
}

/** An installation as `deskrun add NAME` stores it: kubernetes mode, one instance, a PAT. */
function installation(name: string, overrides: Partial<Installation> = {}): Installation {
  return {
    name,
    repository: 'https://github.com/owner/repo',
    mode: 'kubernetes',
    minRunners: 0,
    maxRunners: 3,
    instances: 1,
    caches: [],
    labels: [],
    auth: {type: 'pat', token: TOKEN},
    ...overrides,
  }
}

/** What deskrun deploys for the installation, rendered by the real built-in mode. */
function planOf(
  name: string,
  overrides: Partial<Installation> = {},
  networkDefaults?: Pick<Installation, 'proxy' | 'noProxy' | 'githubCA'>,
): InstallationPlan {
  const wanted = installation(name, overrides)
  return planInstallation(
    wanted,
    {clusterName: CLUSTER, cacheRoot: ORIGINAL_CACHE_ROOT, chartVersion: CHART, networkDefaults},
    findMode(registry, wanted.mode),
  )
}

/** kubernetes mode with a cache: a scale set with a hook extension ConfigMap beside the Secret. */
const withCache = {caches: [{target: '/home/runner/.cache'}]}

/** `up` of these installations. */
function want(installations: InstallationPlan[], more: Partial<Desired> = {}): Desired {
  return {
    clusterName: CLUSTER,
    cacheRoot: ORIGINAL_CACHE_ROOT,
    chartVersion: CHART,
    installations,
    kept: [],
    ensure: true,
    ...more,
  }
}

/** An object as `kubectl get -o json` returns it after a server-side apply. */
function served(object: KubeObject): KubeObject {
  const copy = structuredClone(object)
  copy.metadata = {
    ...copy.metadata,
    resourceVersion: '48213',
    uid: '0b8a3c6e-1f7d-4f43-9d55-3a4be2e1c0a7',
    creationTimestamp: '2025-06-01T10:00:00Z',
  }
  return copy
}

function controller(more: Partial<ObservedRelease> = {}): ObservedRelease {
  return {
    name: 'arc',
    namespace: CONTROLLER_NAMESPACE,
    revision: 1,
    status: 'deployed',
    chartName: CONTROLLER_CHART_NAME,
    chartVersion: CHART,
    values: {},
    labels: {},
    ...more,
  }
}

/** A scale set release as deskrun left it: the planned values (as JSON went through helm), labelled. */
function deployed(
  owner: string,
  scaleSet: ScaleSetPlan,
  more: Partial<ObservedRelease> = {},
): ObservedRelease {
  return {
    name: scaleSet.name,
    namespace: SCALE_SET_NAMESPACE,
    revision: 1,
    status: 'deployed',
    chartName: SCALE_SET_CHART_NAME,
    chartVersion: CHART,
    values: JSON.parse(JSON.stringify(scaleSet.values)) as Record<string, unknown>,
    labels: installationReleaseLabels(owner),
    ...more,
  }
}

/** Releases and objects of these installations, exactly as deskrun applied them. */
function deployedParts(plans: InstallationPlan[]): Pick<Observation, 'releases' | 'objects'> {
  return {
    releases: plans.flatMap((plan) =>
      plan.scaleSets.map((scaleSet) => deployed(plan.installation, scaleSet)),
    ),
    objects: plans.flatMap((plan) => [
      served(plan.secret),
      ...plan.scaleSets.flatMap((scaleSet) => scaleSet.objects.map(served)),
    ]),
  }
}

/** A running cluster with the controller and everything of these installations in place. */
function converged(plans: InstallationPlan[]): Observation {
  const parts = deployedParts(plans)
  return {
    cluster: {exists: true, running: true, cacheMount: true},
    releases: [controller(), ...parts.releases],
    objects: parts.objects,
  }
}

function only(plan: Plan, name: string): Action {
  const found = plan.actions.filter((action) => action.name === name)
  expect(found, `actions on ${name}: ${plan.actions.map(describeAction).join(' | ')}`).to.have.length(1)
  return found[0]
}

const described = (plan: Plan) => plan.actions.map(describeAction)

describe('reconcile: planChanges', () => {
  describe('a converged cluster', () => {
    it('plans nothing when the cluster has what every built-in mode wants', () => {
      const plans = [
        planOf('web', withCache),
        planOf('build', {mode: 'dind', instances: 2, caches: [{target: '/var/lib/docker'}]}),
        planOf('cached', {mode: 'cached-privileged-kubernetes', ...withCache}),
        planOf('app', {
          mode: 'dind',
          auth: {
            type: 'github-app',
            appId: '123',
            installationId: '456',
            privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n',
          },
        }),
      ]
      const plan = planChanges(want(plans), converged(plans))
      expect(described(plan)).to.deep.equal([])
      expect(plan.blockers).to.deep.equal([])
      expect(hasChanges(plan)).to.equal(false)
    })

    it('lists what is already in place', () => {
      const plan = planChanges(want([planOf('web', withCache)]), converged([planOf('web', withCache)]))
      expect(plan.unchanged).to.deep.equal([
        'cluster deskrun',
        'controller arc',
        'credentials of web',
        'configmap/web-hook-extension',
        'scale set web',
      ])
    })

    it('ignores labels the cluster added to an object', () => {
      const observed = converged([planOf('web')])
      observed.objects[0].metadata.labels = {...observed.objects[0].metadata.labels, team: 'infra'}
      expect(hasChanges(planChanges(want([planOf('web')]), observed))).to.equal(false)
    })
  })

  describe('the cluster', () => {
    it('creates a missing cluster first, then installs everything', () => {
      const plan = planChanges(want([planOf('web')]), {
        cluster: {exists: false, running: false},
        releases: [],
        objects: [],
      })
      expect(described(plan)).to.deep.equal([
        'create cluster deskrun (it does not exist)',
        `install controller arc (ARC ${CHART})`,
        'apply secret/web-github-auth (credentials not in the cluster)',
        'install scale set web (not in the cluster)',
      ])
    })

    it('plans nothing without a cluster when it need not be made (remove)', () => {
      const plan = planChanges(
        want([], {ensure: false, removed: [{installation: 'web', releases: ['web']}], scope: ['web']}),
        {cluster: {exists: false, running: false}, releases: [], objects: []},
      )
      expect(plan).to.deep.equal({actions: [], blockers: [], unchanged: []})
    })

    it('stops at a stopped node, saying how to start it', () => {
      const plan = planChanges(want([planOf('web')]), {
        cluster: {exists: true, running: false},
        releases: [],
        objects: [],
      })
      expect(plan.actions).to.deep.equal([])
      expect(plan.blockers.map((blocker) => blocker.code)).to.deep.equal(['CLUSTER_STOPPED'])
      expect(plan.blockers[0].hint).to.include('docker start deskrun-control-plane')
    })

    it('stops when an installation has caches and the node does not mount the cache root', () => {
      const observed = converged([planOf('web', withCache)])
      observed.cluster.cacheMount = false
      const plan = planChanges(want([planOf('web', withCache)]), observed)
      expect(plan.blockers.map((blocker) => blocker.code)).to.deep.equal(['CACHE_MOUNT_MISSING'])
      expect(plan.blockers[0].message).to.include(ORIGINAL_CACHE_ROOT)
      expect(plan.blockers[0].hint).to.include('deskrun cluster delete && deskrun up')
    })

    describe('--mount host paths', () => {
      const socket = {source: '/var/run/docker.sock', target: '/var/run/docker.sock', type: 'Socket' as const}
      const withMounts = {
        mounts: [
          {...socket, readOnly: false},
          {source: '/nix/store', target: '/nix/store', type: 'Directory' as const, readOnly: true},
        ],
      }

      it('stops when the kind node does not mount one, naming it and how to recreate the cluster', () => {
        const observed = converged([planOf('web', withMounts)])
        observed.cluster.hostMounts = ['/nix/store']
        const plan = planChanges(want([planOf('web', withMounts)]), observed)
        expect(plan.blockers.map((blocker) => blocker.code)).to.deep.equal(['HOST_MOUNT_MISSING'])
        expect(plan.blockers[0].message).to.include('/var/run/docker.sock').and.not.include('/nix/store')
        expect(plan.blockers[0].hint).to.include('deskrun cluster delete && deskrun up')
      })

      it('goes on when the node mounts them all, or when it cannot tell (a cluster of your own)', () => {
        const observed = converged([planOf('web', withMounts)])
        observed.cluster.hostMounts = ['/nix/store', '/var/run/docker.sock']
        expect(planChanges(want([planOf('web', withMounts)]), observed).blockers).to.deep.equal([])
        delete observed.cluster.hostMounts
        expect(planChanges(want([planOf('web', withMounts)]), observed).blockers).to.deep.equal([])
      })
    })

    it('mountNeeds and mountBlockers: one rule for the planner and a cluster found at creation', () => {
      const needs = mountNeeds([
        planOf('web', withCache),
        planOf('tools', {mounts: [{source: '/opt/t', target: '/opt/t', type: 'Directory', readOnly: true}]}),
      ])
      expect(needs).to.deep.equal({caches: true, hostMounts: ['/opt/t']})
      const cluster = {clusterName: CLUSTER, cacheRoot: '/home/me/.cache/deskrun'}
      const codes = (node: {cacheMount?: boolean; hostMounts?: string[]}) =>
        mountBlockers(cluster, needs, node).map((blocker) => blocker.code)
      expect(codes({cacheMount: false, hostMounts: []})).to.deep.equal([
        'CACHE_MOUNT_MISSING',
        'HOST_MOUNT_MISSING',
      ])
      expect(codes({cacheMount: true, hostMounts: ['/opt/t']})).to.deep.equal([])
      expect(codes({})).to.deep.equal([])
      const error = blockersError({
        blockers: mountBlockers(cluster, needs, {cacheMount: false, hostMounts: []}),
      })!
      expect(error.code).to.equal('CACHE_MOUNT_MISSING')
      expect(error.message).to.include('/home/me/.cache/deskrun').and.include('/opt/t')
    })

    it('does not mind a missing cache mount when no installation has caches', () => {
      const observed = converged([planOf('web')])
      observed.cluster.cacheMount = false
      expect(planChanges(want([planOf('web')]), observed).blockers).to.deep.equal([])
    })

    it('does not block when it could not tell whether the cache root is mounted', () => {
      const observed = converged([planOf('web', withCache)])
      observed.cluster.cacheMount = undefined
      expect(planChanges(want([planOf('web', withCache)]), observed).blockers).to.deep.equal([])
    })
  })

  describe('an ARC upgrade (the chart version changes)', () => {
    const at = (version: string, plans: InstallationPlan[]) => {
      const observed = converged(plans)
      for (const record of observed.releases) record.chartVersion = version
      return observed
    }
    const crds = [
      'autoscalingrunnersets',
      'autoscalinglisteners',
      'ephemeralrunnersets',
      'ephemeralrunners',
    ].map(
      (plural) =>
        `delete customresourcedefinition.apiextensions.k8s.io/${plural}.actions.github.com (helm does not upgrade CRDs)`,
    )

    for (const from of ['0.13.1', '0.14.1'])
      it(`from ${from}: every scale set, the controller and the CRDs go, then all is installed again`, () => {
        const plans = [planOf('web'), planOf('multi', {instances: 2})]
        const plan = planChanges(want(plans), at(from, plans))
        const why = `(ARC ${from} → ${CHART})`
        expect(plan.arcUpgrade).to.deep.equal({from, to: CHART})
        expect(plan.blockers).to.deep.equal([])
        expect(described(plan)).to.deep.equal([
          `uninstall scale set web ${why}`,
          `uninstall scale set multi-1 ${why}`,
          `uninstall scale set multi-2 ${why}`,
          `uninstall controller arc ${why}`,
          ...crds,
          `install controller arc ${why}`,
          `install scale set web ${why}`,
          `install scale set multi-1 ${why}`,
          `install scale set multi-2 ${why}`,
        ])
        expect(plan.actions.filter((action) => action.stage === 'teardown')).to.have.length(8)
      })

    it('also takes down the scale sets of removed installations, and does not install them again', () => {
      const plans = [planOf('web'), planOf('old')]
      const plan = planChanges(want([plans[0]]), at('0.13.1', plans))
      expect(described(plan).filter((line) => line.includes('old'))).to.deep.equal([
        'uninstall scale set old (ARC 0.13.1 → 0.14.2)',
        'delete secret/old-github-auth (old is no longer in the config)',
      ])
    })

    it('leaves the upgrade to up when add or remove meets it', () => {
      const plans = [planOf('web')]
      const plan = planChanges(want(plans, {scope: ['web']}), at('0.13.1', plans))
      expect(plan.blockers.map((blocker) => blocker.code)).to.deep.equal(['ARC_UPGRADE_PENDING'])
      expect(plan.blockers[0].hint).to.contain('deskrun up')
    })

    it('is blocked by a skipped installation with scale sets, which it could not install again', () => {
      const plans = [planOf('web'), planOf('broken')]
      const plan = planChanges(
        want([plans[0]], {kept: [{installation: 'broken', releases: ['broken']}]}),
        at('0.13.1', plans),
      )
      expect(plan.blockers.map((blocker) => blocker.code)).to.deep.equal(['ARC_UPGRADE_BLOCKED'])
      expect(plan.blockers[0].message).to.contain('broken')
    })
  })

  describe('the controller', () => {
    const withController = (record: ObservedRelease | undefined) => {
      const observed = converged([])
      observed.releases = record ? [record] : []
      return planChanges(want([]), observed)
    }

    it('installs a missing controller', () => {
      expect(described(withController(undefined))).to.deep.equal([`install controller arc (ARC ${CHART})`])
    })

    it('names no version it does not know when the release holds another chart', () => {
      const plan = withController(
        controller({chartName: 'actions-runner-controller', chartVersion: '0.23.7'}),
      )
      expect(described(plan)).to.deep.equal([`upgrade controller arc (chart unknown → ${CHART})`])
    })

    it('installs afresh over a release whose record says uninstalled', () => {
      expect(only(withController(controller({status: 'uninstalled', revision: 2})), 'arc').verb).to.equal(
        'install',
      )
    })

    const neverDeployed: [string, Partial<ObservedRelease>][] = [
      ['failed at its first revision', {status: 'failed', revision: 1}],
      ['pending-install', {status: 'pending-install', revision: 2}],
      ['uninstalling', {status: 'uninstalling', revision: 4}],
    ]
    for (const [what, record] of neverDeployed) {
      it(`uninstalls, then installs a controller ${what}`, () => {
        const action = only(withController(controller(record)), 'arc')
        expect(action).to.include({verb: 'install', recover: 'uninstall'})
        expect(action.reasons).to.deep.equal([`its release is ${record.status}`])
      })
    }

    it('rolls back, then upgrades a controller that failed after a good revision', () => {
      const action = only(withController(controller({status: 'failed', revision: 3})), 'arc')
      expect(action).to.include({verb: 'upgrade', recover: 'rollback'})
      expect(describeAction(action)).to.equal(
        'roll back, then upgrade controller arc (its release is failed)',
      )
    })

    it('leaves the controller alone when it need not be ensured (remove)', () => {
      const observed = converged([])
      observed.releases = []
      expect(planChanges(want([], {ensure: false}), observed).actions).to.deep.equal([])
    })
  })

  describe('network defaults (deskrun defaults)', () => {
    const CA = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'
    const defaults = {proxy: 'http://me:Pr0xyPass@proxy.example.com:3128', githubCA: CA}

    it('upgrade the scale sets that inherit them and apply their proxy Secret and CA ConfigMap', () => {
      const before = [planOf('web'), planOf('own', {proxy: 'http://own.example.com:3128', githubCA: CA})]
      const after = [
        planOf('web', {}, defaults),
        planOf('own', {proxy: 'http://own.example.com:3128', githubCA: CA}, defaults),
      ]
      const plan = planChanges(want(after), converged(before))
      expect(plan.actions.map(describeAction).sort()).to.deep.equal([
        'apply configmap/web-github-ca (not in the cluster)',
        'apply secret/web-proxy-auth (credentials not in the cluster)',
        'upgrade scale set web (githubServerTLS differs; proxy differs)',
      ])
      expect(JSON.stringify(plan)).to.not.include('Pr0xyPass')
      expect(plan.unchanged).to.include('scale set own')
    })

    it('changed again: the inheriting scale sets follow; cleared: their objects go', () => {
      const first = [planOf('web', {}, defaults)]
      const moved = planChanges(
        want([planOf('web', {}, {...defaults, proxy: 'http://me:Pr0xyPass@other.example.com:8080'})]),
        converged(first),
      )
      expect(moved.actions.map(describeAction)).to.deep.equal([
        'upgrade scale set web (proxy.http.url differs; proxy.https.url differs)',
      ])
      const cleared = planChanges(want([planOf('web')]), converged(first))
      expect(cleared.actions.map(describeAction).sort()).to.deep.equal([
        'delete configmap/web-github-ca (web no longer uses it)',
        'delete secret/web-proxy-auth (web no longer uses it)',
        'upgrade scale set web (githubServerTLS differs; proxy differs)',
      ])
    })
  })

  describe('scale sets', () => {
    /** The plan of `wanted` when the cluster has `web` as `current` describes it. */
    const against = (wanted: InstallationPlan, current: Partial<ObservedRelease> | undefined) => {
      const observed = converged([wanted])
      observed.releases = current ? [controller(), {...observed.releases[1], ...current}] : [controller()]
      return only(planChanges(want([wanted]), observed), 'web')
    }
    const valuesOf = (plan: InstallationPlan) => plan.scaleSets[0].values

    it('installs a scale set that is not in the cluster', () => {
      expect(against(planOf('web'), undefined)).to.deep.equal({
        verb: 'install',
        subject: 'scale set',
        name: 'web',
        installation: 'web',
        reasons: ['not in the cluster'],
      })
    })

    it('installs over a release whose record says uninstalled (helm uninstall --keep-history)', () => {
      const action = against(planOf('web'), {status: 'uninstalled', revision: 2})
      expect(action).to.include({verb: 'install'})
      expect(action.reasons).to.deep.equal(['not in the cluster'])
    })

    it('upgrades, naming the values that differ', () => {
      const action = against(planOf('web', {maxRunners: 5}), {values: valuesOf(planOf('web'))})
      expect(describeAction(action)).to.equal('upgrade scale set web (maxRunners differs)')
    })

    it('names nested values by their path', () => {
      const action = against(planOf('web', withCache), {values: valuesOf(planOf('web'))})
      expect(action.verb).to.equal('upgrade')
      expect(action.reasons).to.deep.equal([
        'template.spec.containers differs',
        'template.spec.initContainers differs',
        'template.spec.volumes differs',
      ])
    })

    it('names values added or taken away', () => {
      const action = against(planOf('web', {labels: ['gpu'], runnerGroup: 'big'}), {
        values: valuesOf(planOf('web')),
      })
      expect(action.reasons).to.deep.equal(['runnerGroup differs', 'scaleSetLabels differs'])
    })

    it('upgrades to another chart version, saying so first', () => {
      const action = against(planOf('web', {maxRunners: 5}), {
        chartVersion: '0.14.1',
        values: valuesOf(planOf('web')),
      })
      expect(action.reasons).to.deep.equal([`chart 0.14.1 → ${CHART}`, 'maxRunners differs'])
    })

    it('upgrades a release of another chart, whose version it does not know', () => {
      const action = against(planOf('web'), {chartName: 'something-else', chartVersion: '1.0.0'})
      expect(action.verb).to.equal('upgrade')
      expect(action.reasons).to.deep.equal([`chart unknown → ${CHART}`])
    })

    it('reinstalls when the container mode changes from kubernetes to dind', () => {
      const before = valuesOf(planOf('web'))
      const after = valuesOf(planOf('web', {mode: 'dind'}))
      const action = against(planOf('web', {mode: 'dind'}), {values: before})
      expect(action.verb).to.equal('reinstall')
      expect(action.reasons[0])
        .to.equal(reinstallReason('web', before, after))
        .and.equal('its ARC container mode changes from kubernetes to dind')
      expect(action.reasons.slice(1)).to.deep.equal([
        'containerMode.kubernetesModeWorkVolumeClaim differs',
        'containerMode.type differs',
        'template.spec.containers differs',
      ])
    })

    it('reinstalls when the container mode changes from dind to kubernetes', () => {
      const action = against(planOf('web'), {values: valuesOf(planOf('web', {mode: 'dind'}))})
      expect(action.verb).to.equal('reinstall')
      expect(action.reasons[0]).to.equal('its ARC container mode changes from dind to kubernetes')
    })

    it('upgrades in place within a container mode family', () => {
      const novolume = structuredClone(valuesOf(planOf('web')))
      novolume.containerMode = {type: 'kubernetes-novolume'}
      const action = against(planOf('web'), {values: novolume})
      expect(action.verb).to.equal('upgrade')
      expect(action.reasons).to.deep.equal([
        'containerMode.kubernetesModeWorkVolumeClaim differs',
        'containerMode.type differs',
      ])
    })

    it('uninstalls, then installs a scale set whose first install was interrupted', () => {
      const action = against(planOf('web'), {status: 'pending-install', revision: 1})
      expect(describeAction(action)).to.equal(
        'uninstall, then install scale set web (its release is pending-install)',
      )
    })

    it('rolls back, then upgrades a scale set whose upgrade was interrupted', () => {
      const action = against(planOf('web', {maxRunners: 5}), {status: 'pending-upgrade', revision: 2})
      expect(action).to.include({verb: 'upgrade', recover: 'rollback'})
      expect(action.reasons).to.deep.equal(['its release is pending-upgrade'])
    })

    it('does not take a release of the same name in another namespace for the scale set', () => {
      const action = against(planOf('web'), {namespace: CONTROLLER_NAMESPACE})
      expect(action.verb).to.equal('install')
    })
  })

  describe('objects', () => {
    /** The plan when the cluster has `web` (with a cache) and its objects as `change` leaves them. */
    const withObjects = (
      change: (objects: KubeObject[]) => KubeObject[],
      wanted = planOf('web', withCache),
    ) => {
      const observed = converged([planOf('web', withCache)])
      observed.objects = change(observed.objects)
      return planChanges(want([wanted]), observed)
    }
    const secretOf = (objects: KubeObject[]) => objects.find((object) => object.kind === 'Secret')!
    const configMapOf = (objects: KubeObject[]) => objects.find((object) => object.kind === 'ConfigMap')!

    it('applies credentials that are not in the cluster', () => {
      const plan = withObjects((objects) => objects.filter((object) => object.kind !== 'Secret'))
      expect(described(plan)).to.deep.equal(['apply secret/web-github-auth (credentials not in the cluster)'])
      expect(only(plan, 'secret/web-github-auth').installation).to.equal('web')
    })

    it('applies changed credentials, never saying what they are', () => {
      const plan = withObjects((objects) => {
        secretOf(objects).data = {github_token: base64(OLD_TOKEN)}
        return objects
      })
      expect(described(plan)).to.deep.equal(['apply secret/web-github-auth (credentials changed)'])
      const everything = JSON.stringify(plan) + described(plan).join('\n')
      for (const secret of [TOKEN, OLD_TOKEN, base64(TOKEN), base64(OLD_TOKEN)])
        expect(everything).not.to.include(secret)
    })

    it('says only that credentials changed when a key is added', () => {
      const app = planOf('web', {
        ...withCache,
        auth: {
          type: 'github-app',
          appId: '123',
          installationId: '456',
          privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n',
        },
      })
      expect(described(withObjects((objects) => objects, app))).to.deep.equal([
        'apply secret/web-github-auth (credentials changed)',
      ])
    })

    it('re-applies credentials an older deskrun applied client-side (a copy sits in an annotation)', () => {
      const plan = withObjects((objects) => {
        const secret = secretOf(objects)
        secret.metadata.annotations = {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({data: secret.data}),
        }
        return objects
      })
      expect(described(plan)).to.deep.equal([
        'apply secret/web-github-auth (an older deskrun left a copy of the credentials in an annotation)',
      ])
      expect(JSON.stringify(plan)).not.to.include(base64(TOKEN))
    })

    it('re-applies a ConfigMap an older deskrun applied client-side', () => {
      const plan = withObjects((objects) => {
        configMapOf(objects).metadata.annotations = {'kubectl.kubernetes.io/last-applied-configuration': '{}'}
        return objects
      })
      expect(described(plan)).to.deep.equal([
        'apply configmap/web-hook-extension (applied client-side by an older deskrun)',
      ])
    })

    it('applies a ConfigMap that is not in the cluster', () => {
      const plan = withObjects((objects) => objects.filter((object) => object.kind !== 'ConfigMap'))
      expect(described(plan)).to.deep.equal(['apply configmap/web-hook-extension (not in the cluster)'])
    })

    it('applies a ConfigMap whose data differs, naming only the keys that differ', () => {
      const plan = withObjects((objects) => {
        configMapOf(objects).data = {content: 'spec: {}\n'}
        return objects
      })
      expect(described(plan)).to.deep.equal(['apply configmap/web-hook-extension (data.content differs)'])
    })

    it('applies an object whose labels differ', () => {
      const plan = withObjects((objects) => {
        configMapOf(objects).metadata.labels = {'app.kubernetes.io/managed-by': 'deskrun'}
        return objects
      })
      expect(described(plan)).to.deep.equal(['apply configmap/web-hook-extension (labels differ)'])
    })

    it('always applies objects of a kind it does not read back (a plugin mode’s Role)', () => {
      const wanted = planOf('web', withCache)
      const role: KubeObject = {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: {name: 'web-jobs', namespace: SCALE_SET_NAMESPACE, labels: {}},
        rules: [],
      }
      wanted.scaleSets[0].objects.push(role)
      const observed = converged([wanted])
      observed.objects.push(served(role))
      expect(described(planChanges(want([wanted]), observed))).to.deep.equal([
        'apply role.rbac.authorization.k8s.io/web-jobs (deskrun does not read back Role objects)',
      ])
    })
  })

  describe('leftovers', () => {
    it('uninstalls the scale sets of an installation no longer in the config, and deletes its objects', () => {
      const observed = converged([planOf('web'), planOf('old', withCache)])
      expect(described(planChanges(want([planOf('web')]), observed))).to.deep.equal([
        'uninstall scale set old (old is no longer in the config)',
        'delete secret/old-github-auth (old is no longer in the config)',
        'delete configmap/old-hook-extension (old is no longer in the config)',
      ])
    })

    it("deletes a hook extension that the installation's new mode no longer renders", () => {
      const observed = converged([planOf('web', withCache)])
      const plan = planChanges(want([planOf('web', {mode: 'dind'})]), observed)
      expect(described(plan).filter((line) => line.startsWith('delete'))).to.deep.equal([
        'delete configmap/web-hook-extension (web no longer uses it)',
      ])
    })

    it('leaves a release uninstalled with --keep-history alone', () => {
      const observed = converged([planOf('web'), planOf('old')])
      const old = observed.releases.find((record) => record.name === 'old') as ObservedRelease
      old.status = 'uninstalled'
      observed.objects = observed.objects.filter((object) => !object.metadata.name.startsWith('old'))
      expect(described(planChanges(want([planOf('web')]), observed))).to.deep.equal([])
    })

    it('uninstalls instances beyond --instances and deletes their objects', () => {
      const observed = converged([planOf('web', {instances: 3, ...withCache})])
      const plan = planChanges(want([planOf('web', {instances: 2, ...withCache})]), observed)
      expect(described(plan)).to.deep.equal([
        'uninstall scale set web-3 (web-3 is no longer an instance of web)',
        'delete configmap/web-3-hook-extension (web-3 is no longer an instance of web)',
      ])
    })

    it('replaces the single scale set when an installation gets instances', () => {
      const observed = converged([planOf('web', withCache)])
      const plan = planChanges(want([planOf('web', {instances: 2, ...withCache})]), observed)
      expect(plan.actions.map((action) => `${action.verb} ${action.name}`)).to.have.members([
        'apply configmap/web-1-hook-extension',
        'apply configmap/web-2-hook-extension',
        'install web-1',
        'install web-2',
        'uninstall web',
        'delete configmap/web-hook-extension',
      ])
    })

    it('never touches a kept installation, whatever the cluster has of it', () => {
      const old = planOf('kept', {instances: 2, ...withCache})
      const observed = converged([planOf('web'), old])
      // It once had three instances; up skipped it this time, so even the third stays.
      observed.releases.push(deployed('kept', {...old.scaleSets[0], name: 'kept-3'}))
      const plan = planChanges(
        want([planOf('web')], {kept: [{installation: 'kept', releases: ['kept-1', 'kept-2']}]}),
        observed,
      )
      expect(described(plan)).to.deep.equal([])
    })

    it('never touches a release deskrun did not label, unless it is being removed', () => {
      const observed = converged([planOf('web')])
      observed.releases.push(deployed('someone', planOf('someone').scaleSets[0], {labels: {}}))
      expect(described(planChanges(want([planOf('web')]), observed))).to.deep.equal([])
    })

    it('never deletes an object deskrun did not label as its own', () => {
      const observed = converged([planOf('web')])
      const foreign = served(planOf('gone').secret)
      foreign.metadata.labels = {'deskrun.io/installation': 'gone'}
      observed.objects.push(foreign)
      expect(described(planChanges(want([planOf('web')]), observed))).to.deep.equal([])
    })
  })

  describe('scope', () => {
    it('plans only the installation being added, leaving the others alone', () => {
      const observed = converged([planOf('api', withCache)])
      const plan = planChanges(want([planOf('web')], {scope: ['web']}), observed)
      expect(described(plan)).to.deep.equal([
        'apply secret/web-github-auth (credentials not in the cluster)',
        'install scale set web (not in the cluster)',
      ])
      expect(plan.unchanged).to.deep.equal(['cluster deskrun', 'controller arc'])
    })

    it('still creates the cluster and installs the controller for the installation added', () => {
      const plan = planChanges(want([planOf('web')], {scope: ['web']}), {
        cluster: {exists: false, running: false},
        releases: [],
        objects: [],
      })
      expect(plan.actions.map((action) => action.subject)).to.deep.equal([
        'cluster',
        'controller',
        'object',
        'scale set',
      ])
    })
  })

  describe('remove', () => {
    const removing = (releases: string[]) =>
      want([], {ensure: false, scope: ['web'], removed: [{installation: 'web', releases}]})

    it('uninstalls the release an older deskrun did not label and deletes the objects', () => {
      const observed = converged([planOf('web', withCache), planOf('api')])
      observed.releases = observed.releases.map((record) =>
        record.name === 'web' ? {...record, labels: {}} : record,
      )
      expect(described(planChanges(removing(['web']), observed))).to.deep.equal([
        'uninstall scale set web (removing web)',
        'delete secret/web-github-auth (removing web)',
        'delete configmap/web-hook-extension (removing web)',
      ])
    })

    it('uninstalls every labelled scale set of the installation, named or not', () => {
      const observed = converged([planOf('web', {instances: 3})])
      const plan = planChanges(removing(['web-1', 'web-2']), observed)
      expect(
        plan.actions.filter((action) => action.verb === 'uninstall').map((action) => action.name),
      ).to.deep.equal(['web-1', 'web-2', 'web-3'])
    })

    it('leaves unlabelled releases it was not told about', () => {
      const observed = converged([planOf('web')])
      observed.releases.push(deployed('x', planOf('web-old').scaleSets[0], {labels: {}}))
      expect(described(planChanges(removing(['web']), observed))).to.deep.equal([
        'uninstall scale set web (removing web)',
        'delete secret/web-github-auth (removing web)',
      ])
    })

    it('leaves the cluster, the controller and the other installations alone', () => {
      const observed = converged([planOf('web'), planOf('api')])
      observed.releases = observed.releases.filter((record) => record.name !== 'arc')
      const plan = planChanges(removing(['web']), observed)
      expect(plan.actions.map((action) => action.installation)).to.deep.equal(['web', 'web'])
      expect(plan.unchanged).to.deep.equal([])
    })
  })
})

describe('reconcile: describeAction', () => {
  const action = (more: Partial<Action>): Action => ({
    verb: 'upgrade',
    subject: 'scale set',
    name: 'web',
    reasons: [],
    ...more,
  })

  it('names the subject and the reasons', () => {
    expect(describeAction(action({reasons: ['maxRunners differs', 'minRunners differs']}))).to.equal(
      'upgrade scale set web (maxRunners differs; minRunners differs)',
    )
  })

  it('leaves out the brackets when there is no reason', () => {
    expect(describeAction(action({}))).to.equal('upgrade scale set web')
  })

  it('names an object as kubectl does, without its subject', () => {
    expect(
      describeAction(action({verb: 'delete', subject: 'object', name: 'secret/web-github-auth'})),
    ).to.equal('delete secret/web-github-auth')
  })

  it('says what recovery comes first', () => {
    expect(describeAction(action({recover: 'rollback'}))).to.equal('roll back, then upgrade scale set web')
    expect(describeAction(action({verb: 'install', recover: 'uninstall'}))).to.equal(
      'uninstall, then install scale set web',
    )
  })
})

describe('reconcile: hasChanges', () => {
  it('is true when there is an action, false otherwise', () => {
    const empty: Plan = {actions: [], blockers: [], unchanged: ['cluster deskrun']}
    expect(hasChanges(empty)).to.equal(false)
    expect(
      hasChanges({...empty, actions: [{verb: 'create', subject: 'cluster', name: CLUSTER, reasons: []}]}),
    ).to.equal(true)
  })
})

describe('reconcile: differingKeys', () => {
  it('finds nothing in equal values', () => {
    expect(differingKeys({a: {b: [1, 2]}}, {a: {b: [1, 2]}})).to.deep.equal([])
  })

  it('names differing keys by dotted path, sorted', () => {
    expect(differingKeys({b: 1, a: {x: 1, y: 2}}, {b: 2, a: {x: 1, y: 3}})).to.deep.equal(['a.y', 'b'])
  })

  it('names keys present on one side only', () => {
    expect(differingKeys({a: 1}, {b: 1})).to.deep.equal(['a', 'b'])
  })

  it('stops at three levels by default, and at the depth asked', () => {
    const before = {template: {spec: {containers: [{name: 'runner', image: 'a'}]}}}
    const after = {template: {spec: {containers: [{name: 'runner', image: 'b'}]}}}
    expect(differingKeys(before, after)).to.deep.equal(['template.spec.containers'])
    expect(differingKeys({a: {b: {c: {d: 1}}}}, {a: {b: {c: {d: 2}}}}, 2)).to.deep.equal(['a.b'])
  })

  it('treats lists as one value', () => {
    expect(differingKeys({labels: ['a']}, {labels: ['a', 'b']})).to.deep.equal(['labels'])
  })

  it('says everything differs when the values are not both maps', () => {
    expect(differingKeys([1], [2])).to.deep.equal(['(everything)'])
    expect(differingKeys({a: 1}, null)).to.deep.equal(['(everything)'])
  })
})

describe('reconcile: objectName', () => {
  it('names core objects by kind and name', () => {
    expect(
      objectName({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'web-hook-extension'}}),
    ).to.equal('configmap/web-hook-extension')
  })

  it('adds the API group as kubectl does', () => {
    expect(
      objectName({apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {name: 'web'}}),
    ).to.equal('rolebinding.rbac.authorization.k8s.io/web')
  })
})
