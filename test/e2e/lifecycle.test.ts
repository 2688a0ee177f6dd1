/**
 * deskrun against real Docker, kind, helm, kubectl and ARC. Runs only with DESKRUN_E2E=1 (CI's e2e
 * job, or a laptop: docs/e2e.md); it creates the kind cluster deskrun-e2e and deletes it at the end.
 *
 * First, when E2E_GITHUB_TOKEN and E2E_REPOSITORY are set, real jobs from GitHub (./jobs.ts). Then the
 * lifecycle, with a dummy token: ARC never manages to register those scale sets with GitHub, so they
 * get no listener and no runner pods, and the checks are about what deskrun owns: cluster, mounts,
 * controller, releases, objects, idempotency.
 */
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {ARC_CRDS, DEFAULT_CHART_VERSION, SCALE_SET_NAMESPACE} from '../../src/lib/domain/arc/charts.js'
import {hasCacheMount} from '../../src/lib/domain/kind-config.js'
import {authSecretName, hookExtensionName} from '../../src/lib/domain/installation/naming.js'
import {NODE_CACHE_ROOT} from '../../src/lib/domain/settings.js'
import {nodeContainer} from '../../src/lib/pipeline/cluster.js'
import {jobsOnGitHub} from './jobs.js'
import {CLUSTER, DUMMY_TOKEN, E2E_ENABLED, E2E_SKIPPED, KUBE_CONTEXT, Sandbox} from './support.js'

/** Never reached: the dummy token cannot register anything with it. */
const REPOSITORY = 'https://github.com/deskrun/e2e'
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
/** The chart version an older deskrun pinned: the upgrade test starts from it. */
const PREVIOUS_CHART_VERSION = '0.14.1'

describe('e2e: deskrun against real Docker, kind, helm and kubectl', function () {
  this.timeout(30 * 60 * 1000)
  const sandbox = new Sandbox()

  before(async function () {
    if (!E2E_ENABLED) {
      console.log(`  ${E2E_SKIPPED}`)
      this.skip()
    }
    await sandbox.setUp()
  })

  after(() => sandbox.tearDown())

  describe('jobs from GitHub', () => jobsOnGitHub(sandbox))

  describe('lifecycle, with a dummy token', () => {
    const add = (name: string, ...flags: string[]) =>
      sandbox.deskrun(['add', name, '--repository', REPOSITORY, '--auth-value', '-', ...flags], {
        input: DUMMY_TOKEN,
      })
    const scaleSetsInCluster = async (): Promise<string[]> =>
      JSON.parse(
        await sandbox.kubectl(
          'get',
          'autoscalingrunnersets',
          '--namespace',
          SCALE_SET_NAMESPACE,
          '-o',
          'json',
        ),
      ).items.map((item: {metadata: {name: string}}) => item.metadata.name)
    const credentials = async (name: string) =>
      JSON.parse(
        await sandbox.kubectl(
          'get',
          'secret',
          authSecretName(name),
          '--namespace',
          SCALE_SET_NAMESPACE,
          '-o',
          'json',
        ),
      )

    it('add brings up the cluster with the cache mount, the controller, and a privileged scale set', async () => {
      const result = await add(
        'e2e-priv',
        '--mode',
        'cached-privileged-kubernetes',
        '--cache',
        '/var/lib/docker',
        '--max-runners',
        '1',
      )
      expect(result.exitCode, result.stderr).to.equal(0)
      expect(result.stdout).to.contain('runs-on: e2e-priv')
      const mounts = JSON.parse(
        await sandbox.tool('docker', 'inspect', nodeContainer(CLUSTER), '--format', '{{json .Mounts}}'),
      )
      expect(hasCacheMount(mounts, sandbox.cacheRoot, NODE_CACHE_ROOT), JSON.stringify(mounts)).to.equal(true)
      for (const crd of ARC_CRDS) await sandbox.kubectl('get', 'crd', crd, '-o', 'name')
      expect(await scaleSetsInCluster()).to.include('e2e-priv')
      await sandbox.kubectl(
        'get',
        'configmap',
        hookExtensionName('e2e-priv'),
        '--namespace',
        SCALE_SET_NAMESPACE,
        '-o',
        'name',
      )
    })

    it('keeps no copy of the token in annotations of the credentials Secret', async () => {
      const {metadata} = await credentials('e2e-priv')
      expect(metadata.annotations ?? {}).not.to.have.property(LAST_APPLIED)
      expect(JSON.stringify(metadata)).not.to.contain(DUMMY_TOKEN)
    })

    it('doctor finds nothing wrong once an installation is deployed', async () => {
      const doctor = await sandbox.deskrun(['doctor', '--json'])
      const failed = JSON.parse(doctor.stdout).checks.filter(
        (check: {status: string}) => check.status === 'fail',
      )
      expect(failed, doctor.stdout).to.deep.equal([])
      expect(doctor.exitCode).to.equal(0)
    })

    it('a second up changes nothing, and leaves the credentials Secret as it was', async () => {
      const before = (await credentials('e2e-priv')).metadata.resourceVersion
      const up = await sandbox.deskrun(['up', '--json'])
      expect(up.exitCode, up.stderr).to.equal(0)
      expect(JSON.parse(up.stdout).changed).to.deep.equal([])
      expect((await credentials('e2e-priv')).metadata.resourceVersion).to.equal(before)
    })

    it('adds three dind instances and shows their status', async () => {
      const result = await add('e2e-dind', '--mode', 'dind', '--instances', '3')
      expect(result.exitCode, result.stderr).to.equal(0)
      const status = JSON.parse((await sandbox.deskrun(['status', '--json'])).stdout)
      const dind = status.installations.find(
        (installation: {name: string}) => installation.name === 'e2e-dind',
      )
      expect(dind.scaleSets.map((scaleSet: {name: string}) => scaleSet.name)).to.deep.equal([
        'e2e-dind-1',
        'e2e-dind-2',
        'e2e-dind-3',
      ])
      for (const scaleSet of dind.scaleSets) expect(scaleSet.release.status).to.equal('deployed')
    })

    it('removes an installation, scale sets first, and keeps the rest', async () => {
      const remove = await sandbox.deskrun(['remove', 'e2e-dind'])
      expect(remove.exitCode, remove.stderr).to.equal(0)
      const releases = JSON.parse(
        await sandbox.tool(
          'helm',
          'list',
          '--namespace',
          SCALE_SET_NAMESPACE,
          '-o',
          'json',
          '--kube-context',
          KUBE_CONTEXT,
        ),
      ).map((release: {name: string}) => release.name)
      const dind = (names: string[]) => names.filter((name) => name.startsWith('e2e-dind'))
      expect(releases).to.include('e2e-priv')
      expect(dind(releases)).to.deep.equal([])
      // helm uninstall --wait returned only once ARC's finalizers let the AutoscalingRunnerSets go.
      const scaleSets = await scaleSetsInCluster()
      expect(scaleSets).to.include('e2e-priv')
      expect(dind(scaleSets)).to.deep.equal([])
    })

    it('rebuilds everything after cluster delete with up', async () => {
      const deleted = await sandbox.deskrun(['cluster', 'delete'])
      expect(deleted.exitCode, deleted.stderr).to.equal(0)
      const up = await sandbox.deskrun(['up'])
      expect(up.exitCode, up.stderr).to.equal(0)
      expect(await scaleSetsInCluster()).to.include('e2e-priv')
      expect((await credentials('e2e-priv')).metadata.name).to.equal(authSecretName('e2e-priv'))
    })

    it('upgrades ARC from the previous pinned version: scale sets, controller and CRDs, all at one version', async () => {
      const charts = async () =>
        (
          JSON.parse(
            await sandbox.tool(
              'helm',
              'list',
              '--all-namespaces',
              '--kube-context',
              KUBE_CONTEXT,
              '-o',
              'json',
            ),
          ) as {chart: string}[]
        ).map((release) => release.chart.replace(/^.*-(\d+\.\d+\.\d+)$/, '$1'))
      await sandbox.setChartVersion(PREVIOUS_CHART_VERSION)
      expect((await sandbox.deskrun(['cluster', 'delete'])).exitCode).to.equal(0)
      const old = await sandbox.deskrun(['up'])
      expect(old.exitCode, old.stderr).to.equal(0)
      expect(new Set(await charts())).to.deep.equal(new Set([PREVIOUS_CHART_VERSION]))
      await sandbox.setChartVersion(undefined)
      const plan = await sandbox.deskrun(['up', '--dry-run'])
      expect(plan.exitCode, plan.stderr).to.equal(3)
      const upgraded = await sandbox.deskrun(['up', '--force'])
      expect(upgraded.exitCode, upgraded.stderr).to.equal(0)
      expect(new Set(await charts())).to.deep.equal(new Set([DEFAULT_CHART_VERSION]))
      const sets = JSON.parse(
        await sandbox.kubectl('get', 'autoscalingrunnersets', '-n', SCALE_SET_NAMESPACE, '-o', 'json'),
      )
      for (const set of sets.items)
        expect(set.metadata.labels['app.kubernetes.io/version']).to.equal(DEFAULT_CHART_VERSION)
      for (const crd of ARC_CRDS) await sandbox.kubectl('get', 'crd', crd)
      expect((await sandbox.deskrun(['up', '--dry-run'])).exitCode).to.equal(0)
    })

    it('pins cached instances to distinct nodes of an existing cluster with two workers (cluster use)', async () => {
      const multi = `${CLUSTER}-multi`
      const file = path.join(sandbox.home, 'multi.yaml')
      await writeFile(
        file,
        'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n',
      )
      await sandbox.tool('kind', 'create', 'cluster', '--name', multi, '--config', file, '--wait', '5m')
      try {
        const used = await sandbox.deskrun(['cluster', 'use', `kind-${multi}`])
        expect(used.exitCode, used.stderr).to.equal(0)
        const added = await add(
          'pinned',
          '--mode',
          'cached-privileged-kubernetes',
          '--cache',
          '/var/lib/docker',
          '--instances',
          '2',
        )
        expect(added.exitCode, added.stderr).to.equal(0)
        const config = JSON.parse(await readFile(path.join(sandbox.home, 'config.json'), 'utf8'))
        const pins = config.installations.pinned.Nodes as Record<string, string>
        const nodes = JSON.parse(
          await sandbox.tool('kubectl', '--context', `kind-${multi}`, 'get', 'nodes', '-o', 'json'),
        ).items.map((node: {metadata: {name: string}}) => node.metadata.name)
        expect(Object.keys(pins).sort()).to.deep.equal(['pinned-1', 'pinned-2'])
        expect(new Set(Object.values(pins)).size).to.equal(2)
        for (const node of Object.values(pins)) expect(nodes).to.include(node)
        const sets = JSON.parse(
          await sandbox.tool(
            'kubectl',
            '--context',
            `kind-${multi}`,
            'get',
            'autoscalingrunnersets',
            '-n',
            SCALE_SET_NAMESPACE,
            '-o',
            'json',
          ),
        ).items as {
          metadata: {name: string}
          spec: {template: {spec: {nodeSelector?: Record<string, string>}}}
        }[]
        for (const set of sets)
          expect(set.spec.template.spec.nodeSelector?.['kubernetes.io/hostname']).to.equal(
            pins[set.metadata.name],
          )
      } finally {
        await sandbox.deskrun(['cluster', 'use', '--kind'])
        await sandbox.tool('kind', 'delete', 'cluster', '--name', multi).catch(() => '')
      }
    })
  })
})
