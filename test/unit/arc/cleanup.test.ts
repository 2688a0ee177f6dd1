import {expect} from 'chai'

import {protectedObjects, reinstallReason} from '../../../src/lib/arc/cleanup.js'

const base = {
  githubConfigUrl: 'https://github.com/o/r',
  githubConfigSecret: 'r-github-auth',
  runnerScaleSetName: 'r',
}
const claim = {
  accessModes: ['ReadWriteOnce'],
  storageClassName: 'standard',
  resources: {requests: {storage: '1Gi'}},
}
const kubernetes = {...base, containerMode: {type: 'kubernetes', kubernetesModeWorkVolumeClaim: claim}}
const novolume = {...base, containerMode: {type: 'kubernetes-novolume'}}
const dind = {...base, containerMode: {type: 'dind'}}
const ownTemplate = {...base, template: {spec: {containers: [{name: 'runner'}]}}}

describe('cleanup-protected chart objects', () => {
  it('lists what the chart renders with the finalizer, per container mode', () => {
    expect(protectedObjects('r', kubernetes)).to.have.members([
      'Role/r-gha-rs-manager',
      'RoleBinding/r-gha-rs-manager',
      'ServiceAccount/r-gha-rs-kube-mode',
      'Role/r-gha-rs-kube-mode',
      'RoleBinding/r-gha-rs-kube-mode',
    ])
    expect(protectedObjects('r', dind)).to.have.members([
      'Role/r-gha-rs-manager',
      'RoleBinding/r-gha-rs-manager',
      'ServiceAccount/r-gha-rs-no-permission',
    ])
    const {runnerScaleSetName: _, ...unnamed} = ownTemplate
    expect(protectedObjects('rel', {...unnamed, githubConfigSecret: {github_token: 'x'}})).to.include(
      'Secret/rel-gha-rs-github-secret',
    )
  })

  it('asks for a reinstall when the container mode family changes, in either direction', () => {
    expect(reinstallReason('r', kubernetes, dind)).to.equal(
      'its ARC container mode changes from kubernetes to dind',
    )
    expect(reinstallReason('r', dind, novolume)).to.equal(
      'its ARC container mode changes from dind to kubernetes-novolume',
    )
    expect(reinstallReason('r', novolume, ownTemplate)).to.match(/from kubernetes-novolume to none/)
  })

  it('upgrades in place within a family', () => {
    expect(reinstallReason('r', kubernetes, novolume)).to.equal(undefined)
    expect(reinstallReason('r', novolume, kubernetes)).to.equal(undefined)
    expect(reinstallReason('r', dind, ownTemplate)).to.equal(undefined)
    expect(reinstallReason('r', dind, {...dind, minRunners: 3})).to.equal(undefined)
  })

  it('asks for a reinstall when any other change drops a protected object', () => {
    const withAccount = {
      ...dind,
      template: {spec: {serviceAccountName: 'mine', containers: [{name: 'runner'}]}},
    }
    expect(reinstallReason('r', dind, withAccount)).to.equal(
      'the chart would leave ServiceAccount/r-gha-rs-no-permission stuck Terminating',
    )
    expect(reinstallReason('r', {...dind, githubConfigSecret: {github_token: 'x'}}, dind)).to.match(
      /Secret\/r-gha-rs-github-secret/,
    )
  })
})
