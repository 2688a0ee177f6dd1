import {expect} from 'chai'

import {checkCacheMount, checkCluster, checkController} from '../../../src/lib/doctor/checks/cluster.js'
import type {CheckState} from '../../../src/lib/doctor/context.js'
import type {Check, CheckId} from '../../../src/lib/doctor/types.js'
import {CRDS, FakeRunner, context, healthyAnswers, healthyMachine, type Answer} from './fakes.js'

/** The state after the tool checks, all fine unless told otherwise. */
function toolsChecked(statuses: Partial<Record<CheckId, Check['status']>> = {}): CheckState {
  const results = new Map<CheckId, Check>()
  for (const id of ['docker', 'kind', 'helm', 'kubectl'] as const)
    results.set(id, {id, title: id, status: statuses[id] ?? 'ok', found: ''})
  return {results}
}

async function checkAll(answers: Record<string, Answer>, installations = 1, state = toolsChecked()) {
  const ctx = context(new FakeRunner(answers), healthyMachine(), {installations})
  const cluster = await checkCluster(ctx, state)
  const mount = await checkCacheMount(ctx, state)
  const controller = await checkController(ctx, state)
  return {cluster, mount, controller, state}
}

describe('doctor: cluster checks', () => {
  it('passes a running cluster with the cache mount and a matching controller', async () => {
    const {cluster, mount, controller} = await checkAll(healthyAnswers())
    expect(cluster).to.include({status: 'ok'})
    expect(cluster.found).to.contain('1 node(s) Ready')
    expect(mount).to.include({
      status: 'ok',
      found: '/srv/cache is mounted at /var/lib/deskrun/cache in the node',
    })
    expect(controller).to.include({status: 'ok', found: 'arc 0.14.2 deployed, 4 CRDs present'})
  })

  it('without a cluster: a warning when installations wait for it, fine when there are none', async () => {
    const answers = {...healthyAnswers(), 'kind get clusters': {stderr: 'No kind clusters found.'}}
    const waiting = await checkAll(answers, 2)
    expect(waiting.cluster.status).to.equal('warn')
    expect(waiting.cluster.fix).to.contain('deskrun up')
    expect(waiting.mount.status).to.equal('ok')
    expect(waiting.controller.status).to.equal('warn')

    const fresh = await checkAll(answers, 0)
    expect(fresh.cluster.status).to.equal('ok')
    expect(fresh.cluster.found).to.contain('deskrun add creates it')
    expect(fresh.controller.status).to.equal('ok')
  })

  it('does not ask the cluster anything when Docker or kind failed', async () => {
    const runner = new FakeRunner({})
    const ctx = context(runner, healthyMachine())
    const state = toolsChecked({docker: 'fail'})
    expect((await checkCluster(ctx, state)).found).to.equal('not checked: needs Docker and kind')
    expect((await checkCacheMount(ctx, state)).status).to.equal('warn')
    expect((await checkController(ctx, state)).status).to.equal('warn')
    expect(runner.calls).to.deep.equal([])
  })

  it('fails a cluster whose API server does not answer (e.g. its node is stopped after a reboot)', async () => {
    const answers = {
      ...healthyAnswers(),
      'kubectl --context kind-deskrun get nodes --output json': {
        exitCode: 1,
        stderr:
          'The connection to the server 127.0.0.1:40123 was refused - did you specify the right host or port?',
      },
    }
    const {cluster, controller} = await checkAll(answers)
    expect(cluster.status).to.equal('fail')
    expect(cluster.found).to.contain('does not answer').and.contain('was refused')
    expect(cluster.fix).to.contain('docker start deskrun-control-plane')
    expect(controller.found).to.equal('not checked: needs a reachable cluster')
  })

  it('warns about nodes that are not Ready', async () => {
    const answers = {
      ...healthyAnswers(),
      'kubectl --context kind-deskrun get nodes --output json': {
        stdout: JSON.stringify({
          items: [{metadata: {name: 'deskrun-control-plane'}, status: {conditions: []}}],
        }),
      },
    }
    const {cluster} = await checkAll(answers)
    expect(cluster.status).to.equal('warn')
    expect(cluster.found).to.contain('deskrun-control-plane not Ready')
  })

  it('fails a cluster created without the cache mount, with the recreate command', async () => {
    const answers = {
      ...healthyAnswers(),
      'docker inspect deskrun-control-plane --format {{json .Mounts}}': {
        stdout: JSON.stringify([{Source: '/lib/modules', Destination: '/lib/modules'}]),
      },
    }
    const {mount} = await checkAll(answers)
    expect(mount.status).to.equal('fail')
    expect(mount.found).to.contain('does not mount /srv/cache')
    expect(mount.fix).to.contain('deskrun cluster delete && deskrun up')
  })

  it('fails a controller of another minor version, a stuck release, and missing CRDs', async () => {
    const release = (status: string, chart: string) => ({
      stdout: JSON.stringify([{name: 'arc', namespace: 'arc-systems', status, chart}]),
    })
    const list = 'helm list --namespace arc-systems --all --output json --kube-context kind-deskrun'

    const skew = await checkAll({
      ...healthyAnswers(),
      [list]: release('deployed', 'gha-runner-scale-set-controller-0.13.1'),
    })
    expect(skew.controller.status).to.equal('fail')
    expect(skew.controller.found).to.contain('controller 0.13.1').and.contain('0.14.2')
    expect(skew.controller.fix).to.contain('"chart_version": "0.13.1"')

    const stuck = await checkAll({
      ...healthyAnswers(),
      [list]: release('pending-upgrade', 'gha-runner-scale-set-controller-0.14.2'),
    })
    expect(stuck.controller.status).to.equal('fail')
    expect(stuck.controller.found).to.contain('pending-upgrade')

    const noCrd = await checkAll({
      ...healthyAnswers(),
      [`kubectl --context kind-deskrun get crd ${CRDS[3]} --output json`]: {
        exitCode: 1,
        stderr: `Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io "${CRDS[3]}" not found`,
      },
    })
    expect(noCrd.controller.status).to.equal('fail')
    expect(noCrd.controller.found).to.contain(`CRDs are missing: ${CRDS[3]}`)
  })

  it('says the controller is not installed yet', async () => {
    const list = 'helm list --namespace arc-systems --all --output json --kube-context kind-deskrun'
    const {controller} = await checkAll({...healthyAnswers(), [list]: {stdout: '[]'}})
    expect(controller.status).to.equal('warn')
    expect(controller.found).to.contain('not there yet')
  })
})
