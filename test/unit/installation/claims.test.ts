/** Caches on a storage class (`--cache-storage-class`): one claim per instance, a folder per cache. */
import {expect} from 'chai'

import {claimInventory} from '../../../src/lib/domain/installation/cache-inventory.js'
import {
  CACHE_CLAIM_VOLUME,
  cacheClaim,
  cacheStorageProblems,
} from '../../../src/lib/domain/installation/claims.js'
import {expandInstances} from '../../../src/lib/domain/installation/instances.js'
import {cacheClaimName} from '../../../src/lib/domain/installation/naming.js'
import {pinToNodes} from '../../../src/lib/domain/installation/nodes.js'
import {cacheFolders} from '../../../src/lib/domain/installation/sharing.js'
import type {Installation} from '../../../src/lib/domain/installation/types.js'
import {type ModeInfo, installationProblems} from '../../../src/lib/domain/installation/validate.js'
import {installation as anInstallation} from '../modes/fixtures.js'

const ROOT = '/c'
const roots = {cacheRoot: ROOT, nodeCacheRoot: '/var/lib/deskrun/cache'}
const MODES: ModeInfo[] = [{name: 'dind', takesCaches: true}]
const storage = {storageClass: 'longhorn', size: '50Gi'}

/** A dind installation with two caches on the storage class. */
const installation = (overrides: Partial<Installation> = {}): Installation =>
  anInstallation({
    name: 'build',
    mode: 'dind',
    maxRunners: 1,
    caches: [{target: '/var/lib/docker'}, {target: '/home/runner/.cache/'}],
    cacheStorage: storage,
    ...overrides,
  })

const problemsOf = (inst: Installation) => installationProblems(inst, {modes: MODES, cacheRoot: ROOT})

describe('caches on a storage class', () => {
  it('makes each cache of an instance a folder of its one claim, named after the instance', () => {
    const instances = expandInstances(installation({instances: 2}), roots)
    expect(instances.map((instance) => instance.caches)).to.deep.equal([
      [
        {
          volumeName: CACHE_CLAIM_VOLUME,
          target: '/var/lib/docker',
          claimName: 'build-1-cache',
          subPath: 'cache-0',
        },
        {
          volumeName: CACHE_CLAIM_VOLUME,
          target: '/home/runner/.cache',
          claimName: 'build-1-cache',
          subPath: 'cache-1',
        },
      ],
      [
        {
          volumeName: CACHE_CLAIM_VOLUME,
          target: '/var/lib/docker',
          claimName: 'build-2-cache',
          subPath: 'cache-0',
        },
        {
          volumeName: CACHE_CLAIM_VOLUME,
          target: '/home/runner/.cache',
          claimName: 'build-2-cache',
          subPath: 'cache-1',
        },
      ],
    ])
  })

  it('claims ReadWriteOnce storage of the class and size, labelled as deskrun labels its objects', () => {
    expect(cacheClaim(storage, 'build-1', 'arc-runners', {app: 'x'})).to.deep.equal({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {name: 'build-1-cache', namespace: 'arc-runners', labels: {app: 'x'}},
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'longhorn',
        resources: {requests: {storage: '50Gi'}},
      },
    })
  })

  it('has no host folders: nothing to share with other installations, nothing to pin to a node', () => {
    const inst = installation({instances: 2})
    expect(cacheFolders(inst, ROOT)).to.deep.equal([])
    expect(pinToNodes([inst], ['n1', 'n2'])).to.deep.equal({installations: [inst], assigned: {}})
  })

  it('lists each cache by claim, folder and class', () => {
    expect(claimInventory([installation({paused: true})])).to.deep.equal([
      {
        installation: 'build',
        instance: 'build',
        claim: 'build-cache',
        subPath: 'cache-0',
        target: '/var/lib/docker',
        storageClass: 'longhorn',
        size: '50Gi',
        state: 'paused',
      },
      {
        installation: 'build',
        instance: 'build',
        claim: 'build-cache',
        subPath: 'cache-1',
        target: '/home/runner/.cache',
        storageClass: 'longhorn',
        size: '50Gi',
        state: 'paused',
      },
    ])
    expect(claimInventory([installation({cacheStorage: undefined})])).to.deep.equal([])
  })

  it('keeps the data root rule: one runner per claim at /var/lib/docker', () => {
    const [problem, ...rest] = problemsOf(installation({maxRunners: 3}))
    expect(rest).to.deep.equal([])
    expect(problem).to.contain("--cache /var/lib/docker: /var/lib/docker is Docker's data root")
    expect(problem).to.contain('--instances 3').and.contain('--max-runners 1')
    expect(problemsOf(installation({instances: 3}))).to.deep.equal([])
  })

  it('accepts a valid class and size', () => {
    expect(problemsOf(installation())).to.deep.equal([])
  })

  const bad: [string, Partial<Installation>, string][] = [
    [
      'a class name that is none',
      {cacheStorage: {storageClass: 'Fast SSD', size: '20Gi'}},
      '--cache-storage-class "Fast SSD" is not a storage class name',
    ],
    [
      'a size that is none',
      {cacheStorage: {storageClass: 'longhorn', size: '20GB'}},
      '--cache-size "20GB" is not a storage size',
    ],
    [
      'a size without its unit',
      {cacheStorage: {storageClass: 'longhorn', size: '20'}},
      '--cache-size 20 is too small (a unit missing?)',
    ],
    ['no caches to keep', {caches: []}, '--cache-storage-class is for caches, and there are none'],
    [
      'a host folder',
      {caches: [{target: '/root/.cache', source: '/elsewhere/x'}]},
      '--cache /elsewhere/x:/root/.cache: with --cache-storage-class a cache is a folder',
    ],
  ]
  for (const [what, overrides, message] of bad)
    it(`refuses ${what}, naming the flag`, () => {
      const problems = problemsOf(installation(overrides))
      expect(problems, problems.join('\n')).to.have.length(1)
      expect(problems[0]).to.contain(message)
    })

  it('has nothing to say about an installation with host folders', () => {
    expect(cacheStorageProblems(installation({cacheStorage: undefined}))).to.deep.equal([])
  })

  it('derives the claim name in one place, short enough for the longest scale set name', () => {
    expect(cacheClaimName('a'.repeat(45))).to.have.length.at.most(63)
    expect(cacheClaimName('web-2')).to.equal('web-2-cache')
  })
})
