/**
 * The fake API server's PersistentVolumeClaims, against a k3s-like cluster of three nodes: what the real
 * API server, its admission plugins, the volume controllers and the scheduler make of them.
 */
import {expect} from 'chai'

import {FakeTools, type KubeObject, type RunResult} from '../helpers/fake-tools.js'

const CHARTS = 'oci://ghcr.io/actions/actions-runner-controller-charts'
const SSA = ['apply', '--server-side', '--field-manager=deskrun', '-f', '-']

function ok(result: RunResult): RunResult {
  expect(result.exitCode, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).to.equal(0)
  return result
}

const claim = (spec: Record<string, unknown> = {}, name = 'web-cache') =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {name, namespace: 'arc-runners'},
    spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '20Gi'}}, ...spec},
  })

describe('fake tools: persistent volume claims', function () {
  this.timeout(60_000)
  let fakes: FakeTools
  const kubectl = (args: string[], input?: string) =>
    fakes.tool('kubectl', ['--context', 'farm', ...args], {input})
  const helm = (args: string[], input?: string) =>
    fakes.tool('helm', [...args, '--kube-context', 'farm'], {input})
  const stored = async (kind: string, name: string) =>
    (await fakes.objects('farm', {kind})).find((o) => o.metadata.name === name)

  beforeEach(async () => {
    fakes = await FakeTools.create()
    await fakes.addRemoteCluster({name: 'farm', context: 'farm', nodes: 3})
    ok(await kubectl(['create', 'namespace', 'arc-runners']))
  })
  afterEach(() => fakes.cleanup())

  /** A scale set whose runner mounts the claim (and is pinned to `node`, if given). */
  async function runnersWithClaim(name: string, node?: string): Promise<KubeObject[]> {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {name: 'auth', namespace: 'arc-runners'},
      stringData: {github_token: 'ghp_x'},
    }
    ok(await kubectl(SSA, JSON.stringify(secret)))
    const values = {
      githubConfigUrl: 'https://github.com/owner/repo',
      githubConfigSecret: 'auth',
      controllerServiceAccount: {name: 'arc-gha-rs-controller', namespace: 'arc-systems'},
      minRunners: 1,
      template: {
        spec: {
          ...(node ? {nodeSelector: {'kubernetes.io/hostname': node}} : {}),
          containers: [
            {name: 'runner', image: 'r', volumeMounts: [{name: 'c', mountPath: '/c', subPath: 'cache-0'}]},
          ],
          volumes: [{name: 'c', persistentVolumeClaim: {claimName: 'web-cache'}}],
        },
      },
    }
    const install = ['upgrade', '--install', name, `${CHARTS}/gha-runner-scale-set`, '-n', 'arc-runners']
    ok(await helm([...install, '--version', '0.14.2', '--values', '-', '--wait'], JSON.stringify(values)))
    return (await fakes.objects('farm', {kind: 'Pod', namespace: 'arc-runners'})).filter(
      (pod) => pod.metadata.labels?.['actions.github.com/scale-set-name'] === name,
    )
  }

  const controller = async () =>
    ok(
      await helm(
        [
          'upgrade',
          '--install',
          'arc',
          `${CHARTS}/gha-runner-scale-set-controller`,
          '-n',
          'arc-systems',
          '--create-namespace',
          '--version',
          '0.14.2',
          '--values',
          '-',
          '--wait',
        ],
        '{}',
      ),
    )

  it('creates a claim as admission does: the default class, Filesystem, the protection finalizer, Pending until a pod needs it', async () => {
    ok(await kubectl(SSA, claim()))
    const created = (await stored('PersistentVolumeClaim', 'web-cache')) as any
    expect(created.spec).to.deep.include({storageClassName: 'local-path', volumeMode: 'Filesystem'})
    expect(created.metadata.finalizers).to.deep.equal(['kubernetes.io/pvc-protection'])
    expect(created.status).to.deep.equal({phase: 'Pending'})
    const refused = await kubectl(SSA, claim({accessModes: [], resources: {}}, 'other'))
    expect(refused.exitCode).to.equal(1)
    expect(refused.stderr).to.equal(
      'The PersistentVolumeClaim "other" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value\n',
    )
  })

  it('schedules pods where their claim is: bound on the first pod’s node, later pods follow without a pin', async () => {
    await controller()
    expect((await runnersWithClaim('missing'))[0].status).to.deep.include({phase: 'Pending'})
    expect(JSON.stringify((await runnersWithClaim('missing'))[0].status)).to.contain(
      '0/3 nodes are available: persistentvolumeclaim \\"web-cache\\" not found.',
    )
    ok(await kubectl(SSA, claim()))
    const [first] = await runnersWithClaim('first', 'farm-node-2')
    expect((first.spec as {nodeName: string}).nodeName).to.equal('farm-node-2')
    const bound = (await stored('PersistentVolumeClaim', 'web-cache')) as any
    expect(bound.status).to.deep.equal({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: {storage: '20Gi'},
    })
    expect(bound.metadata.annotations).to.deep.equal({'volume.kubernetes.io/selected-node': 'farm-node-2'})
    const volume = (await stored('PersistentVolume', bound.spec.volumeName)) as any
    expect(volume.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).to.deep.equal([
      'farm-node-2',
    ])
    const [follower] = await runnersWithClaim('follower')
    expect((follower.spec as {nodeName: string}).nodeName).to.equal('farm-node-2')
    const [elsewhere] = await runnersWithClaim('elsewhere', 'farm-node-1')
    expect(JSON.stringify(elsewhere.status)).to.contain(
      '0/3 nodes are available: 3 node(s) had volume node affinity conflict.',
    )
  })

  it('keeps the spec of a claim, but lets a bound one grow where its class allows it', async () => {
    ok(await kubectl(SSA, claim()))
    const unbound = await kubectl(SSA, claim({resources: {requests: {storage: '30Gi'}}}))
    expect(unbound.stderr).to.contain(
      'The PersistentVolumeClaim "web-cache" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    )
    await controller()
    await runnersWithClaim('web')
    const other = await kubectl(SSA, claim({storageClassName: 'longhorn'}))
    expect(other.exitCode).to.equal(1)
    expect(other.stderr).to.equal(
      'The PersistentVolumeClaim "web-cache" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n' +
        '  core.PersistentVolumeClaimSpec{\n  \t... // 4 identical fields\n- \tStorageClassName: "local-path",\n+ \tStorageClassName: "longhorn",\n  \t... // 4 identical fields\n  }\n',
    )
    const grow = await kubectl(SSA, claim({resources: {requests: {storage: '30Gi'}}}))
    expect(grow.stderr).to.equal(
      'Error from server (Forbidden): persistentvolumeclaims "web-cache" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize\n',
    )
    const expandable = (await stored('StorageClass', 'local-path')) as any
    const {
      managedFields: _,
      uid: __,
      resourceVersion: ___,
      creationTimestamp: ____,
      ...metadata
    } = expandable.metadata
    ok(
      await kubectl(
        ['apply', '-f', '-'],
        JSON.stringify({...expandable, metadata, allowVolumeExpansion: true}),
      ),
    )
    ok(await kubectl(SSA, claim({resources: {requests: {storage: '30Gi'}}})))
    expect(
      ((await stored('PersistentVolumeClaim', 'web-cache')) as any).spec.resources.requests.storage,
    ).to.equal('30Gi')
    const shrink = await kubectl(SSA, claim({resources: {requests: {storage: '10Gi'}}}))
    expect(shrink.stderr).to.equal(
      'The PersistentVolumeClaim "web-cache" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity\n',
    )
  })

  it('deletes a claim only once no pod uses it, and its local volume with it', async () => {
    await controller()
    ok(await kubectl(SSA, claim()))
    await runnersWithClaim('web')
    const volume = ((await stored('PersistentVolumeClaim', 'web-cache')) as any).spec.volumeName
    const waiting = await kubectl(['delete', 'pvc', 'web-cache', '-n', 'arc-runners', '--timeout', '5s'])
    expect(waiting.stderr).to.contain(
      'timed out waiting for the condition on persistentvolumeclaims/web-cache',
    )
    ok(await helm(['uninstall', 'web', '-n', 'arc-runners', '--wait']))
    ok(
      await kubectl([
        'delete',
        'pvc',
        'web-cache',
        '-n',
        'arc-runners',
        '--ignore-not-found',
        '--timeout',
        '5s',
      ]),
    )
    expect(await stored('PersistentVolumeClaim', 'web-cache')).to.equal(undefined)
    expect(await stored('PersistentVolume', volume)).to.equal(undefined)
  })
})
