/**
 * The original deskrun README's scenarios, run through the built CLI against the fake tools: each
 * leaves the cluster state that README describes.
 */
import {existsSync} from 'node:fs'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'
import {parse} from 'yaml'

import {ORIGINAL_CACHE_ROOT} from '../../src/lib/domain/settings.js'
import {expectOk, type Sandbox, useSandbox} from './support.js'

const CLUSTER = 'deskrun'

describe('README scenarios against the fake tools', () => {
  let s: Sandbox
  useSandbox((created) => (s = created))

  const releases = async () => (await s.fake.releases(CLUSTER)).map((release) => release.name).sort()
  const runnerSets = async () =>
    (await s.fake.objects(CLUSTER, {kind: 'AutoscalingRunnerSet', namespace: 'arc-runners'}))
      .map((o) => o.metadata.name)
      .sort()

  it('standard runner: creates the cluster with the cache mount, the controller and one scale set', async () => {
    const result = await s.add('my-runner')
    expectOk(result)
    expect(result.stdout).to.contain('runs-on: my-runner')

    const [cluster] = await s.fake.clusters()
    expect(cluster.name).to.equal(CLUSTER)
    const mounts = cluster.nodes[0].extraMounts
    expect(mounts).to.deep.include({hostPath: s.cacheRoot, containerPath: '/var/lib/deskrun/cache'})

    const all = await s.fake.releases(CLUSTER)
    const controller = all.find((release) => release.name === 'arc')!
    expect(controller.namespace).to.equal('arc-systems')
    expect(controller.chart).to.equal('gha-runner-scale-set-controller-0.14.2')
    const runner = all.find((release) => release.name === 'my-runner')!
    expect(runner.namespace).to.equal('arc-runners')
    expect(runner.values).to.deep.include({
      githubConfigUrl: 'https://github.com/owner/repo',
      githubConfigSecret: 'my-runner-github-auth',
      runnerScaleSetName: 'my-runner',
      minRunners: 1,
      maxRunners: 5,
      controllerServiceAccount: {name: 'arc-gha-rs-controller', namespace: 'arc-systems'},
    })
    expect(runner.values?.containerMode).to.deep.include({type: 'kubernetes'})
    expect(await runnerSets()).to.deep.equal(['my-runner'])

    const config = await s.config()
    expect(config.installations['my-runner']).to.include({
      Name: 'my-runner',
      ContainerMode: 'kubernetes',
      Deployed: true,
    })
  })

  it('privileged runner with a Docker cache: hook extension with privileges and a host-backed cache', async () => {
    expectOk(
      await s.add(
        'docker-runner',
        '--mode',
        'cached-privileged-kubernetes',
        '--cache',
        '/var/lib/docker',
        '--max-runners',
        '1',
      ),
    )
    const [configMap] = await s.fake
      .objects(CLUSTER, {kind: 'ConfigMap', namespace: 'arc-runners'})
      .then((objects) => objects.filter((object) => object.metadata.name === 'docker-runner-hook-extension'))
    expect(configMap, 'hook extension ConfigMap').to.exist
    const template = parse(Object.values(configMap.data as Record<string, string>)[0])
    const job = template.spec.containers.find((container: {name: string}) => container.name === '$job')
    expect(job.securityContext).to.include({privileged: true, runAsUser: 0})
    expect(job.securityContext.capabilities.add).to.include.members([
      'SYS_ADMIN',
      'NET_ADMIN',
      'SYS_PTRACE',
      'SYS_CHROOT',
    ])
    expect(job.env).to.deep.include({name: 'SYSTEMD_IGNORE_CHROOT', value: '1'})
    expect(job.volumeMounts.map((mount: {mountPath: string}) => mount.mountPath)).to.include(
      '/var/lib/docker',
    )
    const volume = template.spec.volumes.find((v: {hostPath?: {path: string}}) => v.hostPath)
    expect(volume.hostPath.path).to.equal('/var/lib/deskrun/cache/docker-runner/cache-0')

    // The node's processes, devices, sysfs and cgroups, as the original deskrun gave privileged jobs.
    const nodePaths = ['/sys', '/sys/fs/cgroup', '/proc', '/dev', '/dev/pts', '/dev/shm']
    const fromNode = template.spec.volumes.filter(
      (v: {hostPath?: {type?: string}}) => v.hostPath?.type === 'Directory',
    )
    expect(fromNode.map((v: {hostPath: {path: string}}) => v.hostPath.path)).to.deep.equal(nodePaths)
    const mounts = Object.fromEntries(
      job.volumeMounts.map((m: {name: string; mountPath: string; mountPropagation?: string}) => [
        m.mountPath,
        m,
      ]),
    )
    for (const v of fromNode) expect(mounts[v.hostPath.path]?.name, v.hostPath.path).to.equal(v.name)
    expect(mounts['/sys/fs/cgroup'].mountPropagation).to.equal('Bidirectional')
    expect(nodePaths.filter((p) => mounts[p].mountPropagation)).to.deep.equal(['/sys/fs/cgroup'])
    expect(template.spec.securityContext).to.deep.equal({runAsUser: 0, runAsGroup: 0, fsGroup: 0})
    expect(template.spec).to.include({hostPID: true, hostIPC: true})
    expect(template.spec).to.not.have.property('initContainers')

    const [release] = (await s.fake.releases(CLUSTER)).filter((r) => r.name === 'docker-runner')
    expect(release.values?.containerMode).to.deep.include({type: 'kubernetes-novolume'})
    // The runner container (container-less jobs) keeps its own /proc, /sys and /dev.
    const runnerPod = release.podTemplate!.spec as {volumes: {hostPath?: {path: string}}[]}
    expect(runnerPod.volumes.flatMap((v) => (v.hostPath ? [v.hostPath.path] : []))).to.deep.equal([
      '/var/lib/deskrun/cache/docker-runner/cache-0',
    ])
  })

  it('three instances: three scale sets with min=max=1 and their own cache partitions', async () => {
    const result = await s.add(
      'multi-runner',
      '--mode',
      'cached-privileged-kubernetes',
      '--cache',
      '/var/lib/docker',
      '--instances',
      '3',
    )
    expectOk(result)
    for (const n of [1, 2, 3]) expect(result.stdout).to.contain(`runs-on: multi-runner-${n}`)
    expect(await runnerSets()).to.deep.equal(['multi-runner-1', 'multi-runner-2', 'multi-runner-3'])
    const all = await s.fake.releases(CLUSTER)
    const paths = new Set<string>()
    for (const n of [1, 2, 3]) {
      const release = all.find((candidate) => candidate.name === `multi-runner-${n}`)!
      expect(release.values).to.include({minRunners: 1, maxRunners: 1})
      const configMap = (await s.fake.objects(CLUSTER, {kind: 'ConfigMap', namespace: 'arc-runners'})).find(
        (object) => object.metadata.name === `multi-runner-${n}-hook-extension`,
      )!
      const template = parse(Object.values(configMap.data as Record<string, string>)[0])
      const cache = template.spec.volumes.find((v: {hostPath?: {path: string}}) => v.hostPath).hostPath.path
      expect(cache).to.equal(`/var/lib/deskrun/cache/multi-runner-${n}/cache-0`)
      paths.add(cache)
    }
    expect(paths.size).to.equal(3)
  })

  it('dind runner: containerMode dind, and a /var/lib/docker cache lands in the Docker daemon container', async () => {
    expectOk(await s.add('dind-runner', '--mode', 'dind'))
    expect(
      (await s.fake.releases(CLUSTER)).find((r) => r.name === 'dind-runner')!.values?.containerMode,
    ).to.deep.include({
      type: 'dind',
    })
    expectOk(await s.add('dind-cached', '--mode', 'dind', '--cache', '/var/lib/docker', '--max-runners', '1'))
    const release = (await s.fake.releases(CLUSTER)).find((r) => r.name === 'dind-cached')!
    const spec = (
      release.values?.template as {spec: {containers: any[]; initContainers?: any[]; volumes: any[]}}
    ).spec
    const daemon = [...spec.containers, ...(spec.initContainers ?? [])].find(
      (container) => container.name === 'dind',
    )
    expect(daemon.securityContext.privileged).to.equal(true)
    const mount = daemon.volumeMounts.find((m: {mountPath: string}) => m.mountPath === '/var/lib/docker')
    const volume = spec.volumes.find((v: {name: string}) => v.name === mount.name)
    expect(volume.hostPath.path).to.equal('/var/lib/deskrun/cache/dind-cached/cache-0')
  })

  it('list shows every installation from the config, also without any tool', async () => {
    expectOk(await s.add('my-runner'))
    expectOk(
      await s.add(
        'multi-runner',
        '--mode',
        'cached-privileged-kubernetes',
        '--cache',
        '/var/lib/docker',
        '--instances',
        '2',
      ),
    )
    const callsBefore = (await s.fake.calls()).length
    const human = await s.deskrun(['list'])
    expectOk(human)
    expect(human.stdout).to.match(/my-runner\s+kubernetes/)
    expect(human.stdout).to.contain('multi-runner-1, multi-runner-2')
    const json = JSON.parse((await s.deskrun(['list', '--json'])).stdout)
    const byName = (name: string) => json.installations.find((i: {name: string}) => i.name === name)
    expect(json.installations.map((i: {name: string}) => i.name).sort()).to.deep.equal([
      'multi-runner',
      'my-runner',
    ])
    expect(byName('multi-runner')).to.deep.include({
      mode: 'cached-privileged-kubernetes',
      instances: 2,
      minRunners: 1,
      maxRunners: 1,
    })
    expect(byName('multi-runner').caches).to.deep.equal([{target: '/var/lib/docker'}])
    expect(byName('my-runner').auth).to.deep.equal({type: 'pat', set: true, source: 'file'})
    expect((await s.fake.calls()).length, 'list calls no tool').to.equal(callsBefore)
  })

  it('status shows cluster, controller and each scale set with its runners', async () => {
    expectOk(await s.add('my-runner'))
    const human = await s.deskrun(['status', 'my-runner'])
    expectOk(human)
    expect(human.stdout).to.contain('Controller arc (arc-systems): deployed, chart 0.14.2, ready')
    expect(human.stdout).to.match(/runners: 1 current, 0 pending, 1 running/)
    expect(human.stdout).to.match(/listener my-runner-\w+-listener: Running/)
    const report = JSON.parse((await s.deskrun(['status', '--json'])).stdout)
    expect(report.cluster).to.deep.include({name: CLUSTER, exists: true, cacheMount: true})
    const [scaleSet] = report.installations[0].scaleSets
    expect(scaleSet.release).to.deep.equal({status: 'deployed', version: '0.14.2'})
    expect(scaleSet.runners).to.have.length(1)
    expect(scaleSet.runners[0].phase).to.equal('Running')
  })

  it('remove uninstalls the scale sets first, deletes its objects, keeps caches, and drops it from the config', async () => {
    expectOk(
      await s.add(
        'docker-runner',
        '--mode',
        'cached-privileged-kubernetes',
        '--cache',
        '/var/lib/docker',
        '--max-runners',
        '1',
      ),
    )
    expectOk(await s.add('other'))
    const cacheFolder = path.join(s.cacheRoot, 'docker-runner')
    await mkdir(path.join(cacheFolder, 'cache-0'), {recursive: true})
    const result = await s.deskrun(['remove', 'docker-runner'])
    expectOk(result)
    expect(result.stdout).to.contain(cacheFolder)
    expect(await releases()).to.deep.equal(['arc', 'other'])
    const leftovers = (await s.fake.objects(CLUSTER, {namespace: 'arc-runners'})).filter(
      (object) => object.metadata.labels?.['deskrun.io/installation'] === 'docker-runner',
    )
    expect(leftovers).to.deep.equal([])
    expect(Object.keys((await s.config()).installations)).to.deep.equal(['other'])
    expect(existsSync(cacheFolder), 'caches stay').to.equal(true)
    const uninstall = (await s.fake.calls('helm')).filter((call) => call.argv[0] === 'uninstall')
    expect(uninstall.map((call) => call.argv[1])).to.deep.equal(['docker-runner'])

    expectOk(await s.deskrun(['remove', 'other', '--purge-cache']))
    expect(await releases()).to.deep.equal(['arc'])
  })

  it('remove --purge-cache deletes the cache partitions', async () => {
    expectOk(await s.add('multi', '--mode', 'dind', '--cache', '/var/lib/docker', '--instances', '2'))
    for (const n of [1, 2]) await mkdir(path.join(s.cacheRoot, `multi-${n}`, 'cache-0'), {recursive: true})
    expectOk(await s.deskrun(['remove', 'multi', '--purge-cache']))
    for (const n of [1, 2]) expect(existsSync(path.join(s.cacheRoot, `multi-${n}`))).to.equal(false)
  })

  it('cluster status, delete and create; up brings everything back from the config', async () => {
    expectOk(await s.add('my-runner'))
    expect((await s.deskrun(['cluster', 'status'])).stdout).to.contain(`Cluster ${CLUSTER}: running`)
    const deleted = await s.deskrun(['cluster', 'delete'])
    expectOk(deleted)
    expect(deleted.stdout).to.contain('config and caches are kept')
    expect(await s.fake.clusters()).to.deep.equal([])
    expect((await s.config()).installations['my-runner'].Deployed).to.equal(false)
    expect((await s.deskrun(['cluster', 'status'])).stdout).to.contain('not found')

    expectOk(await s.deskrun(['cluster', 'create']))
    expect((await s.fake.clusters()).map((cluster) => cluster.name)).to.deep.equal([CLUSTER])
    expect((await s.deskrun(['cluster', 'create'])).stdout).to.contain('already exists')

    expectOk(await s.deskrun(['up']))
    expect(await releases()).to.deep.equal(['arc', 'my-runner'])
    expect(await runnerSets()).to.deep.equal(['my-runner'])
    expect((await s.config()).installations['my-runner'].Deployed).to.equal(true)
  })

  it('up is idempotent: a second run calls no install or upgrade and says nothing changed', async () => {
    expectOk(await s.add('my-runner'))
    const before = (await s.fake.calls('helm')).length
    const again = await s.deskrun(['up'])
    expectOk(again)
    expect(again.stdout).to.contain('nothing changed')
    const newCalls = (await s.fake.calls('helm')).slice(before)
    expect(
      newCalls.filter((call) => ['upgrade', 'install', 'uninstall'].includes(call.argv[0])),
    ).to.deep.equal([])
    expect(JSON.parse((await s.deskrun(['up', '--json'])).stdout).changed).to.deep.equal([])
  })

  it('up upgrades a changed installation in place and prunes what the config no longer has', async () => {
    expectOk(await s.add('my-runner'))
    expectOk(await s.add('multi', '--mode', 'dind', '--instances', '3'))
    const config = await s.config()
    config.installations['my-runner'].MaxRunners = 9
    config.installations.multi.Instances = 2
    await writeFile(s.configFile, JSON.stringify(config, null, 2))
    const result = await s.deskrun(['up', '--json'])
    expectOk(result)
    const all = await s.fake.releases(CLUSTER)
    const runner = all.find((release) => release.name === 'my-runner')!
    expect(runner.revision, 'upgraded, not reinstalled').to.equal(2)
    expect(runner.values).to.include({maxRunners: 9})
    expect(all.map((release) => release.name).sort()).to.deep.equal([
      'arc',
      'multi-1',
      'multi-2',
      'my-runner',
    ])
    expect(all.find((release) => release.name === 'multi-1')!.revision).to.equal(1)

    delete config.installations.multi
    await writeFile(s.configFile, JSON.stringify(config, null, 2))
    expectOk(await s.deskrun(['up']))
    expect(await releases()).to.deep.equal(['arc', 'my-runner'])
    const secrets = (await s.fake.objects(CLUSTER, {kind: 'Secret', namespace: 'arc-runners'})).map(
      (o) => o.metadata.name,
    )
    expect(secrets).to.deep.equal(['my-runner-github-auth'])
  })

  it('stores the repository URL the way ARC expects it', async () => {
    const tokenFile = `${s.fake.root}/token`
    expectOk(
      await s.deskrun([
        'add',
        'r',
        '--repository',
        'https://github.com/owner/repo.git/',
        '--auth-value-file',
        tokenFile,
      ]),
    )
    expect((await s.config()).installations.r.Repository).to.equal('https://github.com/owner/repo')
    const release = (await s.fake.releases(CLUSTER)).find((candidate) => candidate.name === 'r')!
    expect(release.values?.githubConfigUrl).to.equal('https://github.com/owner/repo')
  })

  it('a config written by the original Go deskrun loads, lists and deploys', async () => {
    const original = {
      cluster_name: CLUSTER,
      installations: {
        'my-runner': {
          Name: 'my-runner',
          Repository: 'https://github.com/owner/repo',
          ContainerMode: 'cached-privileged-kubernetes',
          MinRunners: 1,
          MaxRunners: 1,
          CachePaths: [{Target: '/var/lib/docker', Source: ''}],
          AuthType: 'pat',
          AuthValue: 'ghp_TestTokenDoNotLeak0123456789abcdefABCD',
        },
      },
    }
    const text = JSON.stringify(original, null, 2)
    await writeFile(s.configFile, text)
    expect(JSON.parse((await s.deskrun(['list', '--json'])).stdout).installations[0].caches).to.deep.equal([
      {target: '/var/lib/docker'},
    ])
    expect(await readFile(s.configFile, 'utf8'), 'reading does not rewrite').to.equal(text)
    // Without cache_root the file means the original's root, which deskrun creates on this machine:
    // the test takes it away again unless it was there before.
    const existed = existsSync(ORIGINAL_CACHE_ROOT)
    try {
      expectOk(await s.deskrun(['up']))
      expect(await runnerSets()).to.deep.equal(['my-runner'])
      expect((await s.fake.clusters())[0].nodes[0].extraMounts.map((mount) => mount.hostPath)).to.deep.equal([
        ORIGINAL_CACHE_ROOT,
      ])
    } finally {
      if (!existed) await rm(ORIGINAL_CACHE_ROOT, {recursive: true, force: true})
    }
  })
})
