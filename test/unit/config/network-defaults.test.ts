import {expect} from 'chai'

import {affectedByDefaults, usersOfDefaults} from '../../../src/lib/domain/config/network-defaults.js'
import {
  changeNetwork,
  describeNetworkChange,
  networkFlagConflicts,
} from '../../../src/lib/domain/installation/network.js'
import {installation} from '../modes/fixtures.js'

const PROXY = 'http://me:Secr3tPass@proxy.example.com:3128'
const CA = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'

describe('network defaults', () => {
  it('change: what is named is cleared or set, the rest stays', () => {
    const current = {proxy: PROXY, noProxy: ['.example.com'], githubCA: CA}
    expect(changeNetwork(current, {set: {proxy: 'http://other:8080'}})).to.deep.equal({
      ...current,
      proxy: 'http://other:8080',
    })
    expect(changeNetwork(current, {set: {}, clearProxy: true})).to.deep.equal({githubCA: CA})
    expect(changeNetwork(current, {set: {}, clearNoProxy: true})).to.deep.equal({proxy: PROXY, githubCA: CA})
    expect(changeNetwork(current, {set: {}, clearGitHubCA: true})).to.deep.equal({
      proxy: PROXY,
      noProxy: ['.example.com'],
    })
    expect(changeNetwork({}, {set: {noProxy: ['a']}})).to.deep.equal({noProxy: ['a']})
  })

  it('says what changed without a credential or the CA', () => {
    expect(describeNetworkChange({}, {proxy: PROXY, noProxy: ['a', 'b'], githubCA: CA})).to.deep.equal([
      'proxy: none → http://***@proxy.example.com:3128',
      'no-proxy: none → a, b',
      'GitHub CA: none → set',
    ])
    expect(
      describeNetworkChange(
        {proxy: PROXY, githubCA: CA},
        {proxy: PROXY.replace('Secr3t', 'N3w'), githubCA: 'x'},
      ),
    ).to.deep.equal(['proxy: credentials changed', 'GitHub CA: changed'])
    expect(describeNetworkChange({githubCA: CA}, {})).to.deep.equal(['GitHub CA: set → none'])
    expect(describeNetworkChange({proxy: PROXY}, {proxy: PROXY})).to.deep.equal([])
  })

  it('knows which installations use the defaults and which change with them', () => {
    const all = [
      installation({name: 'plain'}),
      installation({name: 'own-proxy', proxy: 'http://own:1'}),
      installation({name: 'own-all', proxy: 'http://own:1', githubCA: CA}),
    ]
    expect(usersOfDefaults(all, {proxy: PROXY, githubCA: CA})).to.deep.equal({
      proxy: ['plain'],
      githubCA: ['plain', 'own-proxy'],
    })
    expect(usersOfDefaults(all)).to.deep.equal({proxy: [], githubCA: []})
    expect(affectedByDefaults(all, {}, {proxy: PROXY})).to.deep.equal(['plain'])
    expect(affectedByDefaults(all, {proxy: PROXY}, {proxy: PROXY, noProxy: ['a']})).to.deep.equal(['plain'])
    expect(affectedByDefaults(all, {}, {githubCA: CA})).to.deep.equal(['plain', 'own-proxy'])
    expect(affectedByDefaults(all, {proxy: PROXY}, {proxy: PROXY})).to.deep.equal([])
  })

  it('refuses flags that set what another one clears', () => {
    expect(networkFlagConflicts({proxy: PROXY, clearNoProxy: true, githubCAFile: 'ca.pem'})).to.deep.equal([])
    expect(
      networkFlagConflicts({
        proxy: PROXY,
        noProxy: ['a'],
        clearProxy: true,
        githubCAFile: 'x',
        clearGitHubCA: true,
      }),
    ).to.deep.equal([
      '--proxy and --clear-proxy contradict each other; give one of them.',
      '--no-proxy and --clear-proxy contradict each other; give one of them.',
      '--github-ca-file and --clear-github-ca contradict each other; give one of them.',
    ])
    expect(describeNetworkChange({}, {proxy: PROXY, githubCA: CA}, 'default')).to.deep.equal([
      'proxy: default → http://***@proxy.example.com:3128',
      'GitHub CA: default → set',
    ])
  })
})
