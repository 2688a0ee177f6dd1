import {expect} from 'chai'

import {missingNodes, pinToNodes} from '../../../src/lib/domain/installation/nodes.js'
import type {Installation} from '../../../src/lib/domain/installation/types.js'

function installation(name: string, more: Partial<Installation> = {}): Installation {
  return {
    name,
    repository: 'https://github.com/owner/repo',
    mode: 'cached-privileged-kubernetes',
    minRunners: 1,
    maxRunners: 1,
    instances: 1,
    caches: [{target: '/var/lib/docker'}],
    labels: [],
    auth: {type: 'pat', token: 'ghp_x'},
    ...more,
  }
}

const NODES = ['n2', 'n1', 'n3']

describe('pinning instances to nodes', () => {
  it('does nothing on a single node', () => {
    const all = [installation('a', {instances: 2})]
    expect(pinToNodes(all, ['n1'])).to.deep.equal({installations: all, assigned: {}})
  })

  it('spreads new instances over the least busy nodes, the first by name among equals', () => {
    const {assigned} = pinToNodes([installation('a', {instances: 2}), installation('b')], NODES)
    expect(assigned).to.deep.equal({a: {'a-1': 'n1', 'a-2': 'n2'}, b: {b: 'n3'}})
  })

  it('keeps pins on nodes that exist, and moves only those whose node is gone', () => {
    const a = installation('a', {instances: 2, nodes: {'a-1': 'n3', 'a-2': 'gone'}})
    const {installations, assigned} = pinToNodes([a], NODES)
    expect(assigned).to.deep.equal({a: {'a-2': 'n1'}})
    expect(installations[0].nodes).to.deep.equal({'a-1': 'n3', 'a-2': 'n1'})
  })

  it('counts what the other installations run where', () => {
    const others = [installation('x', {nodes: {x: 'n1'}}), installation('y', {node: 'n2'})]
    expect(pinToNodes([installation('b')], NODES, others).assigned).to.deep.equal({b: {b: 'n3'}})
  })

  it('leaves installations without caches, and those with --node, as they are', () => {
    const free = installation('web', {caches: []})
    const fixed = installation('fixed', {node: 'n2'})
    expect(pinToNodes([free, fixed], NODES)).to.deep.equal({installations: [free, fixed], assigned: {}})
  })

  it('finds --node pins the cluster does not have', () => {
    expect(
      missingNodes([installation('a', {node: 'n9'}), installation('b', {node: 'n1'})], NODES),
    ).to.deep.equal([{installation: 'a', node: 'n9'}])
  })
})
