import {expect} from 'chai'

import {checkCacheMount, checkCluster, checkController} from '../../../src/lib/doctor/checks/cluster.js'
import type {CheckState} from '../../../src/lib/doctor/context.js'
import type {Check, CheckId} from '../../../src/lib/doctor/types.js'
import {
  CRDS,
  FakeTools,
  context,
  controller,
  failed,
  healthyMachine,
  healthyWorld,
  type World,
} from './fakes.js'

/** The state after the tool checks, all fine unless told otherwise. */
function toolsChecked(statuses: Partial<Record<CheckId, Check['status']>> = {}): CheckState {
  const results = new Map<CheckId, Check>()
  for (const id of ['docker', 'kind', 'helm', 'kubectl'] as const)
    results.set(id, {id, title: id, status: statuses[id] ?? 'ok', found: ''})
  return {results}
}

async function checkAll(world: Partial<World>, installations = 1, state = toolsChecked()) {
  const ctx = context(new FakeTools({...healthyWorld(), ...world}), healthyMachine(), {installations})
  const cluster = await checkCluster(ctx, state)
  const mount = await checkCacheMount(ctx, state)
  const controller = await checkController(ctx, state)
  return {cluster, mount, controller, state}
}

describe('doctor: cluster checks', () => {
  it('passes a running cluster with the cache mount and a matching controller', async () => {
    const {cluster, mount, controller} = await checkAll({})
    expect(cluster).to.include({status: 'ok'})
    expect(cluster.found).to.contain('1 node(s) Ready')
    expect(mount).to.include({
      status: 'ok',
      found: '/srv/cache is mounted at /var/lib/deskrun/cache in the node',
    })
    expect(controller).to.include({status: 'ok', found: 'arc 0.14.2 deployed, 4 CRDs present'})
  })

  it('without a cluster: a warning when installations wait for it, fine when there are none', async () => {
    const noClusters = {clusters: []}
    const waiting = await checkAll(noClusters, 2)
    expect(waiting.cluster.status).to.equal('warn')
    expect(waiting.cluster.fix).to.contain('deskrun up')
    expect(waiting.mount.status).to.equal('ok')
    expect(waiting.controller.status).to.equal('warn')

    const fresh = await checkAll(noClusters, 0)
    expect(fresh.cluster.status).to.equal('ok')
    expect(fresh.cluster.found).to.contain('deskrun add creates it')
    expect(fresh.controller.status).to.equal('ok')
  })

  it('fails when kind cannot list its clusters, in kind’s words', async () => {
    const {cluster} = await checkAll({
      clusters: failed('ERROR: failed to list clusters: command "docker ps" failed'),
    })
    expect(cluster.status).to.equal('fail')
    expect(cluster.found).to.equal(
      'kind cannot list clusters: ERROR: failed to list clusters: command "docker ps" failed',
    )
    expect(cluster.fix).to.contain('docker ps')
  })

  it('does not ask the cluster anything when Docker or kind failed', async () => {
    const tools = new FakeTools(healthyWorld())
    const ctx = context(tools, healthyMachine())
    const state = toolsChecked({docker: 'fail'})
    expect((await checkCluster(ctx, state)).found).to.equal('not checked: needs Docker and kind')
    expect((await checkCacheMount(ctx, state)).status).to.equal('warn')
    expect((await checkController(ctx, state)).status).to.equal('warn')
    expect(tools.calls).to.deep.equal([])
  })

  it('fails a cluster whose API server does not answer (e.g. its node is stopped after a reboot)', async () => {
    const {cluster, controller} = await checkAll({
      nodes: failed(
        'The connection to the server 127.0.0.1:40123 was refused - did you specify the right host or port?',
      ),
    })
    expect(cluster.status).to.equal('fail')
    expect(cluster.found).to.contain('does not answer').and.contain('was refused')
    expect(cluster.fix).to.contain('docker start deskrun-control-plane')
    expect(controller.found).to.equal('not checked: needs a reachable cluster')
  })

  it('warns about nodes that are not Ready, and about a cluster without nodes', async () => {
    const {cluster} = await checkAll({nodes: [{name: 'deskrun-control-plane', ready: false}]})
    expect(cluster.status).to.equal('warn')
    expect(cluster.found).to.contain('deskrun-control-plane not Ready')

    const empty = await checkAll({nodes: []})
    expect(empty.cluster.status).to.equal('warn')
    expect(empty.cluster.found).to.contain('has no nodes')
  })

  it('fails a cluster created without the cache mount, with the recreate command', async () => {
    const {mount} = await checkAll({
      mounts: {'deskrun-control-plane': [{Source: '/lib/modules', Destination: '/lib/modules'}]},
    })
    expect(mount.status).to.equal('fail')
    expect(mount.found).to.contain('does not mount /srv/cache')
    expect(mount.fix).to.contain('deskrun cluster delete && deskrun up')
  })

  it('fails when Docker cannot inspect the node container, in Docker’s words', async () => {
    const {mount} = await checkAll({mounts: {}})
    expect(mount.status).to.equal('fail')
    expect(mount.found).to.equal(
      'cannot inspect the node container deskrun-control-plane: Error: No such object: deskrun-control-plane',
    )
  })

  it('fails a controller of another minor version, a stuck release, and missing CRDs', async () => {
    const skew = await checkAll({
      releases: [controller('deployed', 'gha-runner-scale-set-controller-0.13.1')],
    })
    expect(skew.controller.status).to.equal('fail')
    expect(skew.controller.found).to.contain('controller 0.13.1').and.contain('0.14.2')
    expect(skew.controller.fix).to.contain('"chart_version": "0.13.1"')

    const stuck = await checkAll({
      releases: [controller('pending-upgrade', 'gha-runner-scale-set-controller-0.14.2')],
    })
    expect(stuck.controller.status).to.equal('fail')
    expect(stuck.controller.found).to.contain('pending-upgrade')

    const noCrd = await checkAll({crds: CRDS.slice(0, 3)})
    expect(noCrd.controller.status).to.equal('fail')
    expect(noCrd.controller.found).to.contain(`CRDs are missing: ${CRDS[3]}`)
  })

  it('says the controller is not installed yet, and fails when helm cannot list releases', async () => {
    const {controller: absent} = await checkAll({releases: []})
    expect(absent.status).to.equal('warn')
    expect(absent.found).to.contain('not there yet')

    const {controller: broken} = await checkAll({releases: failed('Error: Kubernetes cluster unreachable')})
    expect(broken.status).to.equal('fail')
    expect(broken.found).to.equal('helm cannot list releases: Error: Kubernetes cluster unreachable')
  })
})
