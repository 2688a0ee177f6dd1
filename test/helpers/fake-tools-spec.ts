import {existsSync, statSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {FakeTools, type KubeObject, type RunResult} from './fake-tools.js'

const CHARTS = 'oci://ghcr.io/actions/actions-runner-controller-charts'
const CONTROLLER = `${CHARTS}/gha-runner-scale-set-controller`
const SCALE_SET = `${CHARTS}/gha-runner-scale-set`
const CTX = ['--kube-context', 'kind-deskrun']
/** A cluster config that mounts `hostPath` into the node (at the same path). */
const kindConfig = (hostPath: string) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
    extraMounts:
      - hostPath: ${hostPath}
        containerPath: /var/lib/deskrun/cache
`

function scaleSetValues(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    githubConfigUrl: 'https://github.com/owner/repo',
    githubConfigSecret: 'my-runner-github-auth',
    controllerServiceAccount: {name: 'arc-gha-rs-controller', namespace: 'arc-systems'},
    minRunners: 1,
    maxRunners: 3,
    ...extra,
  })
}

function ok(result: RunResult): RunResult {
  expect(result.exitCode, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).to.equal(0)
  return result
}

/**
 * The fake tools' own tests: that they behave like the real kind, helm, kubectl and docker. Run in process
 * by test/unit/fake-tools.test.ts and as the executables by test/process/fake-tools.test.ts.
 */
export function describeFakeTools(options: {processes: boolean}): void {
  describe(`fake tools${options.processes ? ', as processes' : ''}`, function () {
    this.timeout(120_000)
    let fakes: FakeTools

    beforeEach(async () => {
      fakes = await FakeTools.create(options)
    })
    afterEach(async () => {
      await fakes.cleanup()
    })

    const kind = (args: string[], input?: string) => fakes.tool('kind', args, {input})
    /** The host folder the test clusters mount: inside the sandbox, since the fake kind creates it. */
    const hostFolder = () => path.join(fakes.root, 'cache')
    const helm = (args: string[], input?: string) => fakes.tool('helm', [...args, ...CTX], {input})
    const kubectl = (args: string[], input?: string) =>
      fakes.tool('kubectl', ['--context', 'kind-deskrun', ...args], {input})

    async function cluster(): Promise<void> {
      ok(
        await kind(
          ['create', 'cluster', '--name', 'deskrun', '--config', '-', '--wait', '120s'],
          kindConfig(hostFolder()),
        ),
      )
    }

    async function controller(version = '0.14.2'): Promise<void> {
      const args = [
        'upgrade',
        '--install',
        'arc',
        CONTROLLER,
        '--namespace',
        'arc-systems',
        '--create-namespace',
      ]
      ok(await helm([...args, '--version', version, '--values', '-', '--wait', '--timeout', '10m'], '{}'))
    }

    async function authSecret(): Promise<void> {
      ok(await kubectl(['create', 'namespace', 'arc-runners']))
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {name: 'my-runner-github-auth', namespace: 'arc-runners'},
        stringData: {github_token: 'ghp_x'},
      }
      ok(await kubectl(['apply', '-f', '-'], JSON.stringify(secret)))
    }

    function scaleSet(name: string, values: string, version = '0.14.2'): Promise<RunResult> {
      const args = [
        'upgrade',
        '--install',
        name,
        SCALE_SET,
        '--namespace',
        'arc-runners',
        '--create-namespace',
        '--version',
        version,
      ]
      return helm(
        [...args, '--values', '-', '--wait', '--labels', 'app.kubernetes.io/managed-by=deskrun'],
        values,
      )
    }

    const pods = async (namespace: string, label: string): Promise<KubeObject[]> =>
      (await fakes.objects('deskrun', {kind: 'Pod', namespace})).filter(
        (pod) => label in (pod.metadata.labels ?? {}),
      )

    describe('kind', () => {
      it('creates, lists and deletes clusters', async () => {
        const none = ok(await kind(['get', 'clusters']))
        expect(none.stdout).to.equal('')
        expect(none.stderr).to.equal('No kind clusters found.\n')
        expect(ok(await kind(['version'])).stdout).to.equal('kind v0.29.0 go1.24.2 linux/amd64\n')

        const created = ok(
          await kind(['create', 'cluster', '--name=deskrun', '--config=-'], kindConfig(hostFolder())),
        )
        expect(created.stderr)
          .to.contain('Creating cluster "deskrun" ...')
          .and.contain('Set kubectl context to "kind-deskrun"')
        expect(ok(await kind(['get', 'clusters'])).stdout).to.equal('deskrun\n')
        const again = await kind(['create', 'cluster', '--name', 'deskrun'])
        expect(again.exitCode).to.equal(1)
        expect(again.stderr).to.equal(
          'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "deskrun"\n',
        )

        const [c] = await fakes.clusters()
        expect(c.nodes[0]).to.include({name: 'deskrun-control-plane', role: 'control-plane'})
        const namespaces = (await fakes.objects('deskrun', {kind: 'Namespace'})).map((ns) => ns.metadata.name)
        expect(namespaces).to.include.members(['default', 'kube-system', 'local-path-storage'])
        const [sc] = await fakes.objects('deskrun', {kind: 'StorageClass'})
        expect(sc).to.deep.include({provisioner: 'rancher.io/local-path'})
        expect(sc.metadata.name).to.equal('standard')
        expect(ok(await kind(['get', 'kubeconfig', '--name', 'deskrun'])).stdout).to.contain(
          'current-context: kind-deskrun',
        )

        const deleted = ok(await kind(['delete', 'cluster', '--name', 'deskrun']))
        expect(deleted.stderr).to.contain('Deleting cluster "deskrun" ...')
        expect(await fakes.clusters()).to.deep.equal([])
        expect(ok(await kind(['delete', 'cluster', '--name', 'deskrun'])).stderr).to.equal(
          'Deleting cluster "deskrun" ...\n',
        )
        const missing = await kind(['get', 'kubeconfig', '--name', 'deskrun'])
        expect(missing.exitCode).to.equal(1)
        expect(missing.stderr).to.contain(
          "could not locate any control plane nodes for cluster named 'deskrun'",
        )
      })

      it('validates the cluster config like kind', async () => {
        const wrongVersion = await kind(
          ['create', 'cluster', '--config', '-'],
          'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha3\n',
        )
        expect(wrongVersion.stderr).to.equal(
          'ERROR: failed to create cluster: unknown apiVersion: kind.x-k8s.io/v1alpha3\n',
        )
        const typo = await kind(
          ['create', 'cluster', '--config', '-'],
          kindConfig(hostFolder()).replace('extraMounts', 'extraMount'),
        )
        expect(typo.stderr).to.contain('json: unknown field "extraMount"')
        const noHost = await kind(
          ['create', 'cluster', '--config', '-'],
          kindConfig(hostFolder()).replace(`hostPath: ${hostFolder()}\n        `, ''),
        )
        expect(noHost.exitCode).to.equal(1)
        expect(await fakes.clusters()).to.deep.equal([])
        const flag = await kind(['create', 'cluster', '--nme', 'x'])
        expect([flag.exitCode, flag.stderr]).to.deep.equal([1, 'ERROR: unknown flag: --nme\n'])
      })

      it('creates a missing extraMounts host folder like Docker does for --volume, mode 0755', async () => {
        const folder = path.join(hostFolder(), 'nested')
        const refused = await kind(['create', 'cluster', '--config', '-'], `${kindConfig(folder)}x: 1\n`)
        expect(refused.exitCode).to.equal(1)
        expect(existsSync(folder), 'no folder for a config kind refuses').to.equal(false)
        ok(await kind(['create', 'cluster', '--config', '-'], kindConfig(folder)))
        expect(statSync(folder).isDirectory()).to.equal(true)
        expect(statSync(folder).mode & 0o777).to.equal(0o755)
      })

      it('shows the node container and its mounts through docker inspect', async () => {
        await cluster()
        const mounts = JSON.parse(
          ok(await fakes.tool('docker', ['inspect', 'deskrun-control-plane', '--format', '{{json .Mounts}}']))
            .stdout,
        )
        expect(mounts[0]).to.deep.include({
          Type: 'bind',
          Source: hostFolder(),
          Destination: '/var/lib/deskrun/cache',
          RW: true,
        })
        expect(mounts.map((m: {Destination: string}) => m.Destination)).to.include('/lib/modules')
        const [container] = JSON.parse(
          ok(await fakes.tool('docker', ['inspect', 'deskrun-control-plane'])).stdout,
        )
        expect(container.State.Running).to.equal(true)
        const missing = await fakes.tool('docker', ['inspect', 'nope'])
        expect([missing.exitCode, missing.stderr]).to.deep.equal([1, 'Error: No such object: nope\n'])
        const version = JSON.parse(
          ok(await fakes.tool('docker', ['version', '--format', '{{json .}}'])).stdout,
        )
        expect(version.Server.Version).to.match(/^28\./)
        const down = await fakes.tool('docker', ['version', '--format', '{{json .}}'], {
          extra: {FAKE_DOCKER_DOWN: '1'},
        })
        expect(down.exitCode).to.equal(1)
        expect(down.stderr).to.contain(
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
        )
      })
    })

    describe('contexts', () => {
      it('fails like helm and kubectl when the kube context does not exist', async () => {
        const h = await helm(['list', '--namespace', 'arc-systems', '--all', '--output', 'json'])
        expect([h.exitCode, h.stderr]).to.deep.equal([
          1,
          'Error: Kubernetes cluster unreachable: context "kind-deskrun" does not exist\n',
        ])
        const withNs = await kubectl(['get', 'pods', '--namespace', 'arc-runners', '-o', 'json'])
        expect([withNs.exitCode, withNs.stderr]).to.deep.equal([
          1,
          'error: context "kind-deskrun" does not exist\n',
        ])
        const withoutNs = await kubectl(['get', 'nodes', '-o', 'json'])
        expect(withoutNs.stderr).to.equal(
          'Error in configuration: context was not found for specified context: kind-deskrun\n',
        )
        expect(ok(await fakes.tool('kubectl', ['version', '--client', '-o', 'json'])).stdout).to.contain(
          '"gitVersion": "v1.33.1"',
        )
      })
    })

    describe('helm and the ARC charts', () => {
      it('installs the controller, then a scale set with its listener and runners', async () => {
        await cluster()
        await controller()
        await authSecret()
        const crds = (await fakes.objects('deskrun', {kind: 'CustomResourceDefinition'})).map(
          (crd) => crd.metadata.name,
        )
        expect(crds).to.have.members([
          'autoscalingrunnersets.actions.github.com',
          'autoscalinglisteners.actions.github.com',
          'ephemeralrunnersets.actions.github.com',
          'ephemeralrunners.actions.github.com',
        ])
        const [controllerPod] = await pods('arc-systems', 'app.kubernetes.io/part-of')
        expect(controllerPod.metadata.name).to.match(/^arc-gha-rs-controller-/)
        expect(controllerPod.metadata.labels).to.include({
          'app.kubernetes.io/part-of': 'gha-rs-controller',
          'app.kubernetes.io/version': '0.14.2',
        })

        const installed = ok(await scaleSet('my-runner', scaleSetValues({minRunners: 2})))
        expect(installed.stdout)
          .to.contain('Release "my-runner" does not exist. Installing it now.')
          .and.contain('STATUS: deployed')
        const [ars] = await fakes.objects('deskrun', {kind: 'AutoscalingRunnerSet', namespace: 'arc-runners'})
        expect(ars.apiVersion).to.equal('actions.github.com/v1alpha1')
        expect(ars.metadata.labels).to.include({
          'app.kubernetes.io/version': '0.14.2',
          'app.kubernetes.io/instance': 'my-runner',
        })
        expect(ars.spec).to.deep.include({
          githubConfigUrl: 'https://github.com/owner/repo',
          minRunners: 2,
          maxRunners: 3,
        })
        const listeners = await pods('arc-systems', 'actions.github.com/scale-set-name')
        expect(listeners.map((p) => p.metadata.name)).to.satisfy(
          (names: string[]) => names.length === 1 && /^my-runner-\w+-listener$/.test(names[0]),
        )
        expect(listeners[0].metadata.labels).to.include({
          'actions.github.com/scale-set-namespace': 'arc-runners',
        })
        const runners = await pods('arc-runners', 'actions.github.com/scale-set-name')
        expect(runners).to.have.length(2)
        expect(runners[0].metadata.name).to.match(/^my-runner-\w{5}-runner-\w{5}$/)

        const list = JSON.parse(
          ok(await helm(['list', '--namespace', 'arc-runners', '--all', '--output', 'json'])).stdout,
        )
        expect(list).to.have.length(1)
        expect(list[0]).to.include({
          name: 'my-runner',
          namespace: 'arc-runners',
          revision: '1',
          status: 'deployed',
          chart: 'gha-runner-scale-set-0.14.2',
          app_version: '0.14.2',
        })
        const selected = JSON.parse(
          ok(await helm(['list', '-A', '-l', 'app.kubernetes.io/managed-by=deskrun', '-o', 'json'])).stdout,
        )
        expect(selected.map((r: {name: string}) => r.name)).to.deep.equal(['my-runner'])
        const values = JSON.parse(
          ok(await helm(['get', 'values', 'my-runner', '--namespace', 'arc-runners', '--output', 'json']))
            .stdout,
        )
        expect(values).to.deep.equal(JSON.parse(scaleSetValues({minRunners: 2})))
        const status = JSON.parse(
          ok(await helm(['status', 'my-runner', '-n', 'arc-runners', '-o', 'json'])).stdout,
        )
        expect(status).to.deep.include({name: 'my-runner', namespace: 'arc-runners', version: 1})
        expect(status.info.status).to.equal('deployed')
        const [release] = await fakes
          .releases('deskrun')
          .then((all) => all.filter((r) => r.name === 'my-runner'))
        expect(release.podTemplate).to.have.nested.property('spec.containers[0].name', 'runner')

        const upgraded = ok(await scaleSet('my-runner', scaleSetValues({minRunners: 1})))
        expect(upgraded.stdout)
          .to.contain('Release "my-runner" has been upgraded. Happy Helming!')
          .and.contain('REVISION: 2')
        expect(await pods('arc-runners', 'actions.github.com/scale-set-name')).to.have.length(1)
      })

      it("records the listener's job patch of an EphemeralRunner's status in managedFields, shown on request", async () => {
        await cluster()
        await controller()
        await authSecret()
        ok(await scaleSet('my-runner', scaleSetValues()))
        const [runner] = await fakes.objects('deskrun', {kind: 'EphemeralRunner', namespace: 'arc-runners'})
        const job = {
          requestId: 7,
          repository: 'owner/repo',
          workflowRef: 'owner/repo/.github/workflows/ci.yml@refs/heads/main',
          runId: 42,
          name: 'build',
        }
        await fakes.assignJob('deskrun', runner.metadata.name, {...job, at: '2025-06-01T10:02:13.456Z'})
        const get = (...extra: string[]) =>
          kubectl(['get', 'ephemeralrunners', '-n', 'arc-runners', ...extra, '-o', 'json']).then(
            (result) => JSON.parse(ok(result).stdout).items[0],
          )
        const plain = await get()
        expect(plain.status).to.include({
          jobRequestId: 7,
          jobRepositoryName: 'owner/repo',
          jobDisplayName: 'build',
        })
        expect(plain.metadata).not.to.have.property('managedFields')
        expect((await get('--show-managed-fields')).metadata.managedFields).to.deep.equal([
          {
            manager: 'ghalistener',
            operation: 'Update',
            apiVersion: 'actions.github.com/v1alpha1',
            time: '2025-06-01T10:02:13Z',
            fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:status': {
                'f:jobDisplayName': {},
                'f:jobRepositoryName': {},
                'f:jobRequestId': {},
                'f:jobWorkflowRef': {},
                'f:workflowRunId': {},
              },
            },
            subresource: 'status',
          },
        ])
        await fakes.assignJob('deskrun', runner.metadata.name, null)
        expect((await get('--show-managed-fields')).metadata).not.to.have.property('managedFields')
      })

      it('fails the scale set install without the CRDs, with helm wording', async () => {
        await cluster()
        const result = await scaleSet('my-runner', scaleSetValues())
        expect(result.exitCode).to.equal(1)
        expect(result.stderr).to.contain(
          'Error: unable to build kubernetes objects from release manifest: resource mapping not found for name: "my-runner" namespace: "arc-runners" from "": no matches for kind "AutoscalingRunnerSet" in version "actions.github.com/v1alpha1"\nensure CRDs are installed first\n',
        )
        expect(await fakes.releases()).to.deep.equal([])
      })

      it('fails where the chart templates fail', async () => {
        await cluster()
        await controller()
        const noClaim = await scaleSet('my-runner', scaleSetValues({containerMode: {type: 'kubernetes'}}))
        expect(noClaim.exitCode).to.equal(1)
        expect(noClaim.stderr).to.match(
          /Error: execution error at \(gha-runner-scale-set\/templates\/[\w.:]+\): containerMode\.kubernetesModeWorkVolumeClaim is required when containerMode\.type=kubernetes\n$/,
        )
        const long = await scaleSet('my-runner', scaleSetValues({runnerScaleSetName: 'x'.repeat(46)}))
        expect(long.stderr).to.contain('Name must have up to 45 characters')
        const minMax = await scaleSet('my-runner', scaleSetValues({minRunners: 3, maxRunners: 1}))
        expect(minMax.stderr).to.contain('maxRunners has to be greater or equal to minRunners')
        const noUrl = await scaleSet(
          'my-runner',
          JSON.stringify({githubConfigSecret: 's', controllerServiceAccount: {name: 'a', namespace: 'b'}}),
        )
        expect(noUrl.stderr).to.contain('.Values.githubConfigUrl is required')
        const discovery = await scaleSet(
          'other',
          JSON.stringify({githubConfigUrl: 'https://github.com/o', githubConfigSecret: 's'}),
        )
        expect(discovery.exitCode).to.equal(0)
        expect(await fakes.releases()).to.have.length(2)
      })

      it("puts the user's init containers after the chart's own, as autoscalingrunnerset.yaml does", async () => {
        await cluster()
        await controller()
        const runner = {name: 'runner', image: 'example.com/runner:2', command: ['/home/runner/run.sh']}
        const prepare = {
          name: 'init-cache-folders',
          image: 'example.com/runner:2',
          command: ['chmod', '1777', '/deskrun-caches/cache-0'],
          securityContext: {runAsUser: 0},
          volumeMounts: [{name: 'cache-0', mountPath: '/deskrun-caches/cache-0'}],
        }
        const volumes = [
          {name: 'cache-0', hostPath: {path: '/var/lib/deskrun/cache/x', type: 'DirectoryOrCreate'}},
        ]
        const template = (initContainers: unknown[]) => ({
          spec: {initContainers, containers: [runner], volumes},
        })
        const claim = {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'standard',
          resources: {requests: {storage: '1Gi'}},
        }
        ok(
          await scaleSet(
            'in-dind',
            scaleSetValues({containerMode: {type: 'dind'}, template: template([prepare])}),
          ),
        )
        ok(
          await scaleSet(
            'in-kube',
            scaleSetValues({
              containerMode: {type: 'kubernetes', kubernetesModeWorkVolumeClaim: claim},
              template: template([prepare]),
            }),
          ),
        )
        ok(
          await scaleSet(
            'no-init',
            scaleSetValues({containerMode: {type: 'kubernetes-novolume'}, template: template([])}),
          ),
        )
        const releases = await fakes.releases('deskrun')
        const spec = (name: string) => releases.find((r) => r.name === name)?.podTemplate?.spec as any

        const dind = spec('in-dind')
        expect(dind.initContainers.map((c: {name: string}) => c.name)).to.deep.equal([
          'init-dind-externals',
          'dind',
          'init-cache-folders',
        ])
        expect(dind.initContainers[0].image).to.equal('example.com/runner:2')
        expect(dind.initContainers[1]).to.include({image: 'docker:dind', restartPolicy: 'Always'})
        expect(dind.initContainers[2]).to.deep.equal(prepare)
        expect(dind.volumes.map((v: {name: string}) => v.name)).to.deep.equal([
          'dind-sock',
          'dind-externals',
          'work',
          'cache-0',
        ])
        // kubernetes modes add no init container of their own to the runner pod.
        expect(spec('in-kube').initContainers).to.deep.equal([prepare])
        expect(spec('in-kube').volumes.map((v: {name: string}) => v.name)).to.deep.equal(['work', 'cache-0'])
        expect(spec('no-init')).to.not.have.property('initContainers')
      })

      it('renders proxy and githubServerTLS as autoscalingrunnerset.yaml and _helpers.tpl do', async () => {
        await cluster()
        await controller()
        const tls = {
          certificateFrom: {configMapKeyRef: {name: 'corp-ca', key: 'ca.crt'}},
          runnerMountPath: '/usr/local/share/ca-certificates/',
        }
        const proxy = {
          http: {url: 'http://proxy:3128', credentialSecretRef: 'proxy-auth', extra: 'dropped'},
          noProxy: 'not-a-list',
        }
        const runner = {
          name: 'runner',
          image: 'example.com/runner:2',
          env: [{name: 'RUNNER_UPDATE_CA_CERTS', value: '0'}],
        }
        ok(
          await scaleSet(
            'corp',
            scaleSetValues({
              proxy,
              githubServerTLS: tls,
              containerMode: {type: 'kubernetes-novolume'},
              template: {spec: {containers: [runner]}},
            }),
          ),
        )
        const objects = await fakes.objects('deskrun', {namespace: 'arc-runners'})
        const ars = objects.find(
          (o) => o.kind === 'AutoscalingRunnerSet' && o.metadata.name === 'corp',
        ) as any
        // Only url and credentialSecretRef per scheme; noProxy only when it is a list; no runnerMountPath.
        expect(ars.spec.proxy).to.deep.equal({
          http: {url: 'http://proxy:3128', credentialSecretRef: 'proxy-auth'},
        })
        expect(ars.spec.githubServerTLS).to.deep.equal({certificateFrom: tls.certificateFrom})
        const role = objects.find((o) => o.kind === 'Role' && o.metadata.name.endsWith('-manager')) as any
        expect(role.rules).to.deep.include({apiGroups: [''], resources: ['configmaps'], verbs: ['get']})
        const spec = (await fakes.releases('deskrun')).find((r) => r.name === 'corp')?.podTemplate
          ?.spec as any
        expect(spec.volumes).to.deep.equal([
          {
            name: 'github-server-tls-cert',
            configMap: {name: 'corp-ca', items: [{key: 'ca.crt', path: 'ca.crt'}]},
          },
        ])
        const env = Object.fromEntries(spec.containers[0].env.map((e: any) => [e.name, e.value]))
        // The user's RUNNER_UPDATE_CA_CERTS wins; NODE_EXTRA_CA_CERTS is the cleaned path.
        expect(env).to.include({
          RUNNER_UPDATE_CA_CERTS: '0',
          NODE_EXTRA_CA_CERTS: '/usr/local/share/ca-certificates/ca.crt',
        })
        expect(spec.containers[0].volumeMounts).to.deep.include({
          name: 'github-server-tls-cert',
          mountPath: '/usr/local/share/ca-certificates/ca.crt',
          subPath: 'ca.crt',
        })
      })

      it('deletes scale sets of another minor version, like the controller', async () => {
        await cluster()
        await controller('0.14.2')
        await authSecret()
        ok(await scaleSet('old-runner', scaleSetValues(), '0.13.1'))
        const [release] = (await fakes.releases()).filter((r) => r.name === 'old-runner')
        expect(release.status).to.equal('deployed')
        expect(await fakes.objects('deskrun', {kind: 'AutoscalingRunnerSet'})).to.deep.equal([])
        expect(await pods('arc-runners', 'actions.github.com/scale-set-name')).to.deep.equal([])
      })

      it('makes a wrong uninstall order hang on finalizers', async () => {
        await cluster()
        await controller()
        await authSecret()
        ok(await scaleSet('my-runner', scaleSetValues()))
        // Controller first: it goes, and nobody is left to clear the scale set's finalizers.
        expect(
          ok(await helm(['uninstall', 'arc', '--namespace', 'arc-systems', '--wait', '--timeout', '5m']))
            .stdout,
        ).to.equal('release "arc" uninstalled\n')
        expect(await fakes.objects('deskrun', {kind: 'CustomResourceDefinition'})).to.have.length(4)
        const stuck = await helm([
          'uninstall',
          'my-runner',
          '--namespace',
          'arc-runners',
          '--wait',
          '--timeout',
          '5m',
        ])
        expect([stuck.exitCode, stuck.stderr]).to.deep.equal([
          1,
          'Error: uninstallation completed with 1 error(s): context deadline exceeded\n',
        ])
        const [ars] = await fakes.objects('deskrun', {kind: 'AutoscalingRunnerSet'})
        expect(ars.metadata.deletionTimestamp).to.be.a('string')
        // A controller coming back finishes the cleanup.
        await controller()
        expect(await fakes.objects('deskrun', {kind: 'AutoscalingRunnerSet'})).to.deep.equal([])

        ok(await scaleSet('my-runner', scaleSetValues()))
        ok(await helm(['uninstall', 'my-runner', '--namespace', 'arc-runners', '--wait']))
        ok(await helm(['uninstall', 'arc', '--namespace', 'arc-systems', '--wait']))
        expect(await pods('arc-runners', 'actions.github.com/scale-set-name')).to.deep.equal([])
        const missing = await helm(['uninstall', 'arc', '--namespace', 'arc-systems'])
        expect(missing.stderr).to.equal('Error: uninstall: Release not loaded: arc: release: not found\n')
        ok(await helm(['uninstall', 'arc', '--namespace', 'arc-systems', '--ignore-not-found']))
      })

      it('leaves the kube-mode RBAC Terminating when an upgrade changes the container mode family', async () => {
        await cluster()
        await controller()
        await authSecret()
        const claim = {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'standard',
          resources: {requests: {storage: '1Gi'}},
        }
        const kubeMode = scaleSetValues({
          containerMode: {type: 'kubernetes', kubernetesModeWorkVolumeClaim: claim},
        })
        ok(await scaleSet('my-runner', kubeMode))
        const protectedObjects = async () =>
          (await fakes.objects('deskrun', {namespace: 'arc-runners'}))
            .filter((o) => o.metadata.finalizers?.includes('actions.github.com/cleanup-protection'))
            .map((o) => `${o.kind}/${o.metadata.name}${o.metadata.deletionTimestamp ? ' (Terminating)' : ''}`)
        const kubeRbac = [
          'ServiceAccount/my-runner-gha-rs-kube-mode',
          'Role/my-runner-gha-rs-kube-mode',
          'RoleBinding/my-runner-gha-rs-kube-mode',
        ]
        expect(await protectedObjects()).to.have.members([
          ...kubeRbac,
          'Role/my-runner-gha-rs-manager',
          'RoleBinding/my-runner-gha-rs-manager',
        ])
        const [ars] = await fakes.objects('deskrun', {kind: 'AutoscalingRunnerSet'})
        expect(ars.metadata.annotations).to.include({
          'actions.github.com/cleanup-kubernetes-mode-service-account-name': 'my-runner-gha-rs-kube-mode',
        })

        // helm deletes what the new revision lacks; the finalizer keeps it, and the set is not being deleted.
        ok(await scaleSet('my-runner', scaleSetValues({containerMode: {type: 'dind'}})))
        expect(await protectedObjects()).to.include.members([
          ...kubeRbac.map((o) => `${o} (Terminating)`),
          'ServiceAccount/my-runner-gha-rs-no-permission',
        ])
        // Uninstalling now frees only what the set's annotations name: the kube-mode objects stay for good.
        ok(await helm(['uninstall', 'my-runner', '--namespace', 'arc-runners', '--wait']))
        expect(await protectedObjects()).to.have.members(kubeRbac.map((o) => `${o} (Terminating)`))

        // Uninstalled before the change instead, every protected object goes.
        ok(await scaleSet('other', kubeMode))
        ok(await helm(['uninstall', 'other', '--namespace', 'arc-runners', '--wait']))
        expect((await protectedObjects()).filter((o) => o.includes('other'))).to.deep.equal([])
      })

      it('renders the dind sidecar as the chart does for the server version', async () => {
        const dindIn = async (image: string) => {
          await fakes.cleanup()
          fakes = await FakeTools.create(options)
          ok(await kind(['create', 'cluster', '--name', 'deskrun', '--image', image]))
          await controller()
          await authSecret()
          ok(await scaleSet('my-runner', scaleSetValues({containerMode: {type: 'dind'}})))
          const [release] = (await fakes.releases()).filter((r) => r.name === 'my-runner')
          return release.podTemplate?.spec as {
            initContainers: {name: string; restartPolicy?: string}[]
            containers: {name: string; restartPolicy?: string; startupProbe?: unknown}[]
          }
        }
        const current = await dindIn('kindest/node:v1.29.14')
        expect(current.initContainers.map((c) => [c.name, c.restartPolicy])).to.deep.equal([
          ['init-dind-externals', undefined],
          ['dind', 'Always'],
        ])
        expect(current.containers.map((c) => c.name)).to.deep.equal(['runner'])
        const old = await dindIn('kindest/node:v1.28.15')
        expect(old.initContainers.map((c) => c.name)).to.deep.equal(['init-dind-externals'])
        expect(old.containers.map((c) => c.name)).to.deep.equal(['runner', 'dind'])
        expect(old.containers[1]).not.to.have.any.keys('restartPolicy', 'startupProbe')
      })

      it('refuses to upgrade a pending release until it is rolled back', async () => {
        await cluster()
        await controller()
        ok(
          await helm(['upgrade', '--install', 'arc', CONTROLLER, '-n', 'arc-systems', '--version', '0.14.2']),
        )
        await fakes.setReleaseStatus('deskrun', 'arc-systems', 'arc', 'pending-upgrade')
        const listed = JSON.parse(ok(await helm(['list', '-n', 'arc-systems', '-o', 'json'])).stdout)
        expect(listed).to.deep.equal([])
        const blocked = await helm([
          'upgrade',
          '--install',
          'arc',
          CONTROLLER,
          '-n',
          'arc-systems',
          '--version',
          '0.14.2',
        ])
        expect(blocked.stderr).to.contain(
          'Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n',
        )
        expect(ok(await helm(['rollback', 'arc', '-n', 'arc-systems', '--wait'])).stdout).to.equal(
          'Rollback was a success! Happy Helming!\n',
        )
        const [release] = await fakes.releases()
        expect([release.revision, release.status]).to.deep.equal([3, 'deployed'])
      })
    })

    describe('kubectl', () => {
      it('reports the server version of the kind node image, like kubectl version', async () => {
        const version = () => kubectl(['version', '--output', 'json'])
        const down = await version()
        expect(down.exitCode).to.equal(1)
        expect(JSON.parse(down.stdout)).to.have.keys('clientVersion', 'kustomizeVersion')
        expect(down.stderr).to.contain('Error in configuration: context was not found')

        ok(await kind(['create', 'cluster', '--name', 'deskrun', '--image', 'kindest/node:v1.27.16']))
        const old = ok(await version())
        expect(JSON.parse(old.stdout).serverVersion).to.include({
          major: '1',
          minor: '27',
          gitVersion: 'v1.27.16',
        })
        expect(old.stderr).to.equal(
          'WARNING: version difference between client (1.33) and server (1.27) exceeds the supported minor version skew of +/-1\n',
        )
        const [node] = await fakes.objects('deskrun', {kind: 'Node'})
        expect(node).to.have.nested.property('status.nodeInfo.kubeletVersion', 'v1.27.16')
        ok(await kind(['delete', 'cluster', '--name', 'deskrun']))

        await cluster()
        const current = ok(await version())
        expect(JSON.parse(current.stdout).serverVersion).to.include({
          major: '1',
          minor: '33',
          gitVersion: 'v1.33.1',
        })
        expect(current.stderr).to.equal('')
        expect(ok(await kubectl(['version'])).stdout).to.equal(
          'Client Version: v1.33.1\nKustomize Version: v5.6.0\nServer Version: v1.33.1\n',
        )
      })

      it('prints pod logs as kubectl logs does: selector, tail, prefix, containers, follow limit', async () => {
        await cluster()
        await controller()
        const [pod] = await pods('arc-systems', 'app.kubernetes.io/part-of')
        const name = pod.metadata.name
        const lines = Array.from({length: 12}, (_, i) => `line ${i + 1}`)
        await fakes.writePodLog('deskrun', {namespace: 'arc-systems', name, container: 'manager'}, lines)
        const selector = ['-n', 'arc-systems', '-l', 'app.kubernetes.io/component=controller-manager']
        // With a selector kubectl shows the last 10 lines unless --tail says otherwise.
        const tailed = ok(await kubectl(['logs', ...selector, '--prefix']))
        expect(tailed.stdout.split('\n')[0]).to.equal(`[pod/${name}/manager] line 3`)
        expect(ok(await kubectl(['logs', name, '-n', 'arc-systems'])).stdout).to.equal(
          lines.map((line) => `${line}\n`).join(''),
        )
        const none = ok(await kubectl(['logs', '-n', 'arc-systems', '-l', 'app=none']))
        expect([none.stdout, none.stderr]).to.deep.equal([
          '',
          'No resources found in arc-systems namespace.\n',
        ])
        const wrong = await kubectl(['logs', ...selector, '-c', 'nope'])
        expect([wrong.exitCode, wrong.stderr]).to.deep.equal([
          1,
          `error: container nope is not valid for pod ${name}\n`,
        ])
        const both = await kubectl(['logs', name, '-l', 'a=b', '-n', 'arc-systems'])
        expect(both.stderr).to.equal('error: only a selector (-l) or a POD name is allowed\n')
        // The limit counts only when more than one stream is followed.
        const followed = ok(await kubectl(['logs', ...selector, '-f', '--max-log-requests=1', '--tail=1']))
        expect(followed.stdout).to.equal('line 12\n')
      })

      it("starts a kubernetes-mode job's pod as the container hook does; kubectl picks its container as 1.33 does", async () => {
        await cluster()
        await controller()
        await authSecret()
        const hooks = (path: string) => ({
          template: {
            spec: {
              containers: [
                {
                  name: 'runner',
                  image: 'ghcr.io/actions/actions-runner:latest',
                  command: ['/home/runner/run.sh'],
                  env: [{name: 'ACTIONS_RUNNER_CONTAINER_HOOKS', value: path}],
                },
              ],
            },
          },
        })
        ok(await scaleSet('kube', scaleSetValues(hooks('/home/runner/k8s/index.js'))))
        ok(await scaleSet('novolume', scaleSetValues(hooks('/home/runner/k8s-novolume/index.js'))))
        const runnerOf = async (set: string) =>
          (await pods('arc-runners', 'actions.github.com/scale-set-name')).find(
            (p) => p.metadata.labels?.['actions.github.com/scale-set-name'] === set,
          )!.metadata.name
        const job = {requestId: 7, repository: 'owner/repo', workflowRef: 'w', runId: 42, name: 'test'}
        const kube = await runnerOf('kube')
        await fakes.assignJob('deskrun', kube, {...job, services: [{name: 'redis', image: 'redis:7'}]})
        const workflow = `${kube}-workflow`
        const [pod] = (await fakes.objects('deskrun', {kind: 'Pod', namespace: 'arc-runners'})).filter(
          (p) => p.metadata.labels?.['runner-pod'] === kube,
        )
        expect(pod.metadata.name).to.equal(workflow)
        expect((pod.spec as any).containers.map((c: {name: string}) => c.name)).to.deep.equal([
          'job',
          'redis',
        ])
        await fakes.writePodLog('deskrun', {namespace: 'arc-runners', name: workflow, container: 'redis'}, [
          'Ready to accept connections tcp',
        ])
        // kubectl 1.33 takes the first container when none is named, and says so.
        const first = ok(await kubectl(['logs', workflow, '-n', 'arc-runners']))
        expect([first.stdout, first.stderr]).to.deep.equal([
          '',
          'Defaulted container "job" out of: job, redis\n',
        ])
        const redis = ok(await kubectl(['logs', workflow, '-n', 'arc-runners', '-c', 'redis']))
        expect([redis.stdout, redis.stderr]).to.deep.equal(['Ready to accept connections tcp\n', ''])
        const all = ok(
          await kubectl([
            'logs',
            '-n',
            'arc-runners',
            '-l',
            `runner-pod in (${kube})`,
            '--all-containers',
            '--prefix',
          ]),
        )
        expect(all.stdout).to.equal(`[pod/${workflow}/redis] Ready to accept connections tcp\n`)
        // The novolume hook prepares the workspace in an init container first.
        const novolume = await runnerOf('novolume')
        await fakes.assignJob('deskrun', novolume, job)
        const noted = ok(await kubectl(['logs', `${novolume}-workflow`, '-n', 'arc-runners']))
        expect(noted.stderr).to.equal('Defaulted container "job" out of: job, fs-init (init)\n')
        // The job done, cleanup_job deletes its pod.
        await fakes.assignJob('deskrun', kube, null)
        const gone = await kubectl(['logs', workflow, '-n', 'arc-runners'])
        expect([gone.exitCode, gone.stderr]).to.deep.equal([
          1,
          `Error from server (NotFound): pods "${workflow}" not found\n`,
        ])
      })

      it('applies, reads and deletes a Secret from stdin', async () => {
        await cluster()
        const secret = {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {name: 'auth', namespace: 'arc-runners'},
          stringData: {github_token: 'ghp_TOPSECRET'},
        }
        const list = JSON.stringify({apiVersion: 'v1', kind: 'List', items: [secret]})
        const noNs = await kubectl(['apply', '-f', '-'], list)
        expect([noNs.exitCode, noNs.stderr]).to.deep.equal([
          1,
          'Error from server (NotFound): error when creating "STDIN": namespaces "arc-runners" not found\n',
        ])
        expect(ok(await kubectl(['create', 'namespace', 'arc-runners'])).stdout).to.equal(
          'namespace/arc-runners created\n',
        )
        expect((await kubectl(['create', 'namespace', 'arc-runners'])).stderr).to.equal(
          'Error from server (AlreadyExists): namespaces "arc-runners" already exists\n',
        )

        expect(ok(await kubectl(['apply', '-f', '-'], list)).stdout).to.equal('secret/auth created\n')
        // kubectl's patch always carries stringData, which the stored Secret never has (kubernetes 87736).
        expect(ok(await kubectl(['apply', '-f', '-'], list)).stdout).to.equal('secret/auth configured\n')
        const got = JSON.parse(
          ok(await kubectl(['get', 'secret', 'auth', '-n', 'arc-runners', '-o', 'json'])).stdout,
        )
        expect(got.data).to.deep.equal({github_token: Buffer.from('ghp_TOPSECRET').toString('base64')})
        expect(got).not.to.have.property('stringData')
        const all = JSON.parse(
          ok(await kubectl(['get', 'secrets', '--namespace', 'arc-runners', '-o', 'json'])).stdout,
        )
        expect(all).to.deep.include({apiVersion: 'v1', kind: 'List', metadata: {resourceVersion: ''}})

        expect(
          ok(await kubectl(['delete', 'secret', 'auth', '-n', 'arc-runners', '--wait', '--timeout', '2m']))
            .stdout,
        ).to.equal('secret "auth" deleted\n')
        const gone = await kubectl(['get', 'secret', 'auth', '-n', 'arc-runners', '-o', 'json'])
        expect([gone.exitCode, gone.stderr]).to.deep.equal([
          1,
          'Error from server (NotFound): secrets "auth" not found\n',
        ])
        ok(await kubectl(['delete', 'secret', 'auth', '-n', 'arc-runners', '--ignore-not-found']))

        const calls = await fakes.calls('kubectl')
        expect(calls.map((call) => call.argv.join(' ')).join('\n')).not.to.contain('ghp_TOPSECRET')
        expect(calls.filter((call) => call.stdin?.includes('ghp_TOPSECRET'))).to.have.length(3)
        expect(calls[0].env).to.include({FAKE_TOOLS_STATE: fakes.stateDir})
        expect(calls.find((call) => call.argv.includes('get'))?.stdin).to.equal(null)
      })

      describe('apply', () => {
        const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
        const SSA = ['apply', '--server-side', '--field-manager=deskrun', '-f', '-']
        const secret = (data: Record<string, string>, field: 'data' | 'stringData' = 'data') =>
          JSON.stringify({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: {name: 'auth', namespace: 'arc-runners', labels: {app: 'x'}},
            type: 'Opaque',
            [field]: data,
          })
        const stored = async () =>
          (await fakes.objects('deskrun', {kind: 'Secret', namespace: 'arc-runners'})).find(
            (o) => o.metadata.name === 'auth',
          ) as KubeObject
        const b64 = (text: string) => Buffer.from(text).toString('base64')

        beforeEach(async () => {
          await cluster()
          ok(await kubectl(['create', 'namespace', 'arc-runners']))
        })

        it('client-side: keeps the whole object, stringData too, in an annotation, and always "configured"', async () => {
          ok(await kubectl(['apply', '-f', '-'], secret({github_token: 'ghp_x'}, 'stringData')))
          const first = await stored()
          expect(JSON.parse(first.metadata.annotations?.[LAST_APPLIED] ?? '')).to.deep.equal({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: {annotations: {}, labels: {app: 'x'}, name: 'auth', namespace: 'arc-runners'},
            stringData: {github_token: 'ghp_x'},
            type: 'Opaque',
          })
          expect(first.metadata.managedFields).to.deep.include.members([
            {
              manager: 'kubectl-client-side-apply',
              operation: 'Update',
              apiVersion: 'v1',
              time: (first.metadata.managedFields as {time: string}[])[0].time,
              fieldsType: 'FieldsV1',
              fieldsV1: {
                'f:data': {'f:github_token': {}},
                'f:metadata': {'f:annotations': {[`f:${LAST_APPLIED}`]: {}}, 'f:labels': {'f:app': {}}},
                'f:type': {},
              },
            },
          ])
          const again = ok(await kubectl(['apply', '-f', '-'], secret({github_token: 'ghp_x'}, 'stringData')))
          expect(again.stdout).to.equal('secret/auth configured\n')
          expect((await stored()).metadata.resourceVersion).to.equal(first.metadata.resourceVersion)
          // With data, an unchanged object says so.
          ok(await kubectl(['apply', '-f', '-'], secret({github_token: b64('ghp_x')})))
          const plain = ok(await kubectl(['apply', '-f', '-'], secret({github_token: b64('ghp_x')})))
          expect(plain.stdout).to.equal('secret/auth unchanged\n')
        })

        it('client-side over an object it did not create: warns that the annotation is missing', async () => {
          ok(await kubectl(SSA, secret({github_token: b64('a')})))
          const result = ok(await kubectl(['apply', '-f', '-'], secret({github_token: b64('a')})))
          expect(result.stderr).to.equal(
            `Warning: resource secrets/auth is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
          )
        })

        it('server-side: no annotation, always "serverside-applied", a no-op keeps the resourceVersion', async () => {
          expect(ok(await kubectl(SSA, secret({github_token: b64('a')}))).stdout).to.equal(
            'secret/auth serverside-applied\n',
          )
          const created = await stored()
          expect(created.metadata).not.to.have.property('annotations')
          expect((created.metadata.managedFields as {manager: string}[]).map((e) => e.manager)).to.deep.equal(
            ['deskrun'],
          )
          expect(ok(await kubectl(SSA, secret({github_token: b64('a')}))).stdout).to.equal(
            'secret/auth serverside-applied\n',
          )
          expect((await stored()).metadata.resourceVersion).to.equal(created.metadata.resourceVersion)

          const printed = JSON.parse(
            ok(await kubectl([...SSA, '-o', 'json'], secret({github_token: b64('b')}))).stdout,
          )
          expect(printed.data).to.deep.equal({github_token: b64('b')})
          expect(printed.metadata).not.to.have.property('managedFields')
          expect(printed.metadata.resourceVersion).not.to.equal(created.metadata.resourceVersion)
          expect(printed.metadata.resourceVersion).to.equal((await stored()).metadata.resourceVersion)
          // A field the manager stops setting is removed.
          ok(await kubectl(SSA, JSON.stringify({...JSON.parse(secret({})), data: undefined})))
          expect(await stored()).not.to.have.property('data')
        })

        it('server-side over client-side: a changed field conflicts unless --force-conflicts', async () => {
          ok(await kubectl(['apply', '-f', '-'], secret({github_token: 'old'}, 'stringData')))
          const refused = await kubectl(SSA, secret({github_token: b64('new')}))
          expect(refused.exitCode).to.equal(1)
          expect(refused.stderr).to.match(
            /^error: Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: \.data\.github_token\nPlease review the fields above/,
          )
          expect(refused.stderr).to.contain('--force-conflicts')
          const forceAlone = await kubectl(['apply', '--force-conflicts', '-f', '-'], secret({}))
          expect(forceAlone.stderr).to.equal('error: --force-conflicts only works with --server-side\n')
          ok(await kubectl([...SSA, '--force-conflicts'], secret({github_token: b64('new')})))
          expect((await stored()).data).to.deep.equal({github_token: b64('new')})
        })

        it('server-side with another field manager drops the client-side annotation; as kubectl, keeps it', async () => {
          ok(await kubectl(['apply', '-f', '-'], secret({github_token: 'ghp_x'}, 'stringData')))
          ok(await kubectl(SSA, secret({github_token: b64('ghp_x')})))
          const migrated = await stored()
          expect(migrated.metadata).not.to.have.property('annotations')
          expect(
            (migrated.metadata.managedFields as {manager: string}[]).map((e) => e.manager),
          ).to.deep.equal(['deskrun'])

          // As kubectl, fields whose live value the annotation set are taken over without a conflict.
          ok(await kubectl(['delete', 'secret', 'auth', '-n', 'arc-runners']))
          ok(await kubectl(['apply', '-f', '-'], secret({github_token: b64('ghp_x')})))
          ok(await kubectl(['apply', '--server-side', '-f', '-'], secret({github_token: b64('ghp_y')})))
          const kept = await stored()
          expect(JSON.parse(kept.metadata.annotations?.[LAST_APPLIED] ?? '')).to.deep.include({
            data: {github_token: b64('ghp_y')},
          })
          expect(
            (kept.metadata.managedFields as {manager: string}[]).map((e) => e.manager).sort(),
          ).to.deep.equal(['kubectl', 'kubectl-last-applied'])
        })

        it('get -f - prints what exists as a List, and nothing with --ignore-not-found when nothing does', async () => {
          const list = JSON.stringify({apiVersion: 'v1', kind: 'List', items: [JSON.parse(secret({}))]})
          const missing = await kubectl(['get', '-f', '-', '-o', 'json'], list)
          expect([missing.exitCode, missing.stderr]).to.deep.equal([
            1,
            'Error from server (NotFound): secrets "auth" not found\n',
          ])
          expect(JSON.parse(missing.stdout).items).to.deep.equal([])
          expect(
            ok(await kubectl(['get', '-f', '-', '--ignore-not-found', '-o', 'json'], list)).stdout,
          ).to.equal('')
          ok(await kubectl(SSA, secret({github_token: b64('a')})))
          const found = JSON.parse(ok(await kubectl(['get', '-f', '-', '-o', 'json'], list)).stdout)
          expect(found.kind).to.equal('List')
          expect(found.items.map((o: KubeObject) => o.metadata.resourceVersion)).to.deep.equal([
            (await stored()).metadata.resourceVersion,
          ])
        })
      })

      it('knows the ARC types only once their CRDs exist', async () => {
        await cluster()
        const before = await kubectl(['get', 'autoscalingrunnersets.actions.github.com', '-A', '-o', 'json'])
        expect([before.exitCode, before.stderr]).to.deep.equal([
          1,
          'error: the server doesn\'t have a resource type "autoscalingrunnersets"\n',
        ])
        await controller()
        const after = JSON.parse(
          ok(await kubectl(['get', 'autoscalingrunnersets', '-A', '-o', 'json'])).stdout,
        )
        expect(after.items).to.deep.equal([])
      })
    })

    describe('service managers', () => {
      /** A sandbox with systemctl and launchctl on PATH too, and a user session (XDG_RUNTIME_DIR with the manager's socket). */
      async function managers() {
        await fakes.cleanup()
        fakes = await FakeTools.create({
          ...options,
          tools: ['docker', 'helm', 'kind', 'kubectl', 'systemctl', 'launchctl'],
        })
        const runtime = path.join(fakes.root, 'run')
        await mkdir(path.join(runtime, 'systemd'), {recursive: true})
        await writeFile(path.join(runtime, 'systemd', 'private'), '')
        return {XDG_RUNTIME_DIR: runtime}
      }

      it('systemctl --user: exit codes and words of systemd 255, enablement as WantedBy= links, no bus without a session', async () => {
        const session = await managers()
        const systemctl = (args: string[], extra: Record<string, string> = session) =>
          fakes.tool('systemctl', ['--user', ...args], {extra})
        const none = await systemctl(['is-active', 'x.service'], {})
        expect([none.exitCode, none.stderr]).to.deep.equal([
          1,
          'Failed to connect to user scope bus via local transport: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR not defined (consider using --machine=<user>@.host --user to connect to bus of other user)\n',
        ])
        const result = async (args: string[]) => {
          const done = await systemctl(args)
          return [done.exitCode, done.stdout.trim()]
        }
        expect(await result(['is-enabled', 'x.service'])).to.deep.equal([4, 'not-found'])
        expect(await result(['is-active', 'x.service'])).to.deep.equal([3, 'inactive'])
        const dir = path.join(fakes.homeDir, '.config', 'systemd', 'user')
        await mkdir(dir, {recursive: true})
        await writeFile(
          path.join(dir, 'x.service'),
          '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n\n[Install]\nWantedBy=default.target\n',
        )
        expect(await result(['is-enabled', 'x.service'])).to.deep.equal([1, 'disabled'])
        const enabled = await systemctl(['enable', 'x.service'])
        expect(enabled.stderr).to.equal(
          `Created symlink ${dir}/default.target.wants/x.service → ${dir}/x.service.\n`,
        )
        expect(await result(['is-enabled', 'x.service'])).to.deep.equal([0, 'enabled'])
        ok(await systemctl(['restart', '--no-block', 'x.service']))
        expect(await result(['is-active', 'x.service'])).to.deep.equal([3, 'activating'])
        await fakes.setUnitState('x.service', 'active')
        expect(await result(['is-active', 'x.service'])).to.deep.equal([0, 'active'])
        ok(await systemctl(['disable', '--now', 'x.service']))
        expect(await result(['is-active', 'x.service'])).to.deep.equal([3, 'inactive'])
        const stop = await systemctl(['stop', 'y.service'])
        expect([stop.exitCode, stop.stderr]).to.deep.equal([
          5,
          'Failed to stop y.service: Unit y.service not loaded.\n',
        ])
        // Without systemd as PID 1, is-enabled reads the files itself; the rest finds no manager.
        await fakes.setSystemdBooted(false)
        expect(await result(['is-enabled', 'x.service'])).to.deep.equal([1, 'disabled'])
        expect((await systemctl(['daemon-reload'])).stderr).to.equal(
          'Failed to connect to user scope bus via local transport: No such file or directory\n',
        )
      })

      it('launchctl: bootstrap, print and bootout of an agent in gui/UID, with their exit codes', async () => {
        await managers()
        const launchctl = (args: string[]) => fakes.tool('launchctl', args)
        const uid = process.getuid!()
        const target = `gui/${uid}/dev.example.agent`
        const missing = await launchctl(['print', target])
        expect([missing.exitCode, missing.stderr]).to.deep.equal([
          113,
          `Bad request.\nCould not find service "dev.example.agent" in domain for user gui: ${uid}\n`,
        ])
        const plist = path.join(fakes.homeDir, 'Library', 'LaunchAgents', 'dev.example.agent.plist')
        await mkdir(path.dirname(plist), {recursive: true})
        await writeFile(
          plist,
          '<plist version="1.0"><dict><key>Label</key><string>dev.example.agent</string><key>ProgramArguments</key><array><string>/bin/echo</string><string>a &amp; b</string></array><key>RunAtLoad</key><true/></dict></plist>',
        )
        ok(await launchctl(['bootstrap', `gui/${uid}`, plist]))
        const twice = await launchctl(['bootstrap', `gui/${uid}`, plist])
        expect([twice.exitCode, twice.stderr]).to.deep.equal([5, 'Bootstrap failed: 5: Input/output error\n'])
        const printed = ok(await launchctl(['print', target])).stdout
        expect(printed)
          .to.match(new RegExp(`^${target} = \\{\n`))
          .and.contain('\tstate = running\n')
          .and.contain('\t\ta & b\n')
        ok(await launchctl(['bootout', target]))
        const again = await launchctl(['bootout', target])
        expect([again.exitCode, again.stderr]).to.deep.equal([3, 'Boot-out failed: 3: No such process\n'])
      })
    })

    describe('state', () => {
      it('keeps every change when fakes run concurrently', async () => {
        await cluster()
        const names = Array.from({length: 8}, (_, i) => `ns-${i}`)
        const results = await Promise.all(names.map((name) => kubectl(['create', 'namespace', name])))
        expect(results.map((r) => r.exitCode)).to.deep.equal(names.map(() => 0))
        const namespaces = (await fakes.objects('deskrun', {kind: 'Namespace'})).map((ns) => ns.metadata.name)
        expect(namespaces).to.include.members(names)
        expect(await fakes.calls('kubectl')).to.have.length(8)
      })
    })

    describe('fault injection', () => {
      it('fails the n-th call of a tool without changing state', async () => {
        fakes.setFaults([{tool: 'kind', call: 2, action: 'fail'}])
        ok(await kind(['get', 'clusters']))
        const failed = await kind(['create', 'cluster', '--name', 'deskrun'])
        expect([failed.exitCode, failed.stderr]).to.deep.equal([1, 'Error: injected failure\n'])
        expect(await fakes.clusters()).to.deep.equal([])
        ok(await kind(['create', 'cluster', '--name', 'deskrun']))
        expect((await fakes.calls('kind')).map((call) => call.exit)).to.deep.equal([0, 1, 0])
      })

      it('hangs a matching call until it is killed, without changing state', async () => {
        await cluster()
        const hung = await fakes.tool('kubectl', ['--context', 'kind-deskrun', 'create', 'namespace', 'x'], {
          faults: [{tool: 'kubectl', match: 'create namespace', action: 'hang'}],
          // A process needs time to start and log the call before it is killed.
          timeoutMs: options.processes ? 1500 : 100,
        })
        expect(hung.timedOut).to.equal(true)
        expect(await fakes.objects('deskrun', {kind: 'Namespace'})).to.satisfy(
          (all: KubeObject[]) => !all.some((ns) => ns.metadata.name === 'x'),
        )
        const [call] = await fakes.calls('kubectl')
        expect(call).to.include({exit: null, fault: 'hang'})
      })

      it('kills itself mid-way on die, after logging the call', async () => {
        const died = await fakes.tool('kind', ['create', 'cluster', '--name', 'deskrun'], {
          faults: [{tool: 'kind', match: 'create', action: 'die'}],
        })
        expect(died.signal).to.equal('SIGKILL')
        expect(died.stderr).to.contain('Creating cluster "deskrun" ...')
        expect(await fakes.clusters()).to.deep.equal([])
        expect((await fakes.calls('kind'))[0]).to.include({exit: null, fault: 'die'})
      })
    })

    describe('sandbox', () => {
      it('puts only the chosen fakes on PATH', async () => {
        const env = fakes.env({omit: ['kind']})
        const {execa} = await import('execa')
        const found = await execa(
          '/bin/sh',
          ['-c', 'for t in kind docker node; do command -v $t; done; true'],
          {env, extendEnv: false, reject: false},
        )
        expect(found.stdout).not.to.match(/\/kind$/m)
        expect(found.stdout).to.match(/\/docker$/m)
        expect(env).to.include({
          CI: '1',
          NO_COLOR: '1',
          FAKE_TOOLS_STATE: fakes.stateDir,
          DESKRUN_HOME: fakes.deskrunHome,
        })
      })
    })
  })
}
