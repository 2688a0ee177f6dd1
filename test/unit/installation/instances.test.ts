import {expect} from 'chai'

import {expandInstances} from '../../../src/lib/domain/installation/instances.js'
import type {HostCacheMount, Installation} from '../../../src/lib/domain/installation/types.js'

const roots = {cacheRoot: '/tmp/github-runner-cache', nodeCacheRoot: '/var/lib/deskrun/cache'}

function installation(overrides: Partial<Installation> = {}): Installation {
  return {
    name: 'my-runner',
    repository: 'https://github.com/owner/repo',
    mode: 'cached-privileged-kubernetes',
    minRunners: 2,
    maxRunners: 5,
    instances: 1,
    caches: [{target: '/var/lib/docker'}],
    labels: [],
    auth: {type: 'pat', token: 't'},
    ...overrides,
  }
}

describe('expandInstances', () => {
  it("gives a single instance the installation's name and scaling", () => {
    expect(expandInstances(installation(), roots)).to.deep.equal([
      {
        name: 'my-runner',
        index: 1,
        count: 1,
        minRunners: 2,
        maxRunners: 5,
        caches: [
          {
            volumeName: 'cache-0',
            target: '/var/lib/docker',
            hostPath: '/tmp/github-runner-cache/my-runner/cache-0',
            nodePath: '/var/lib/deskrun/cache/my-runner/cache-0',
          },
        ],
      },
    ])
  })

  it('makes N instances of one runner each, with their own caches', () => {
    const instances = expandInstances(installation({instances: 3, minRunners: 1, maxRunners: 1}), roots)
    expect(
      instances.map(({name, index, count, minRunners, maxRunners}) => ({
        name,
        index,
        count,
        minRunners,
        maxRunners,
      })),
    ).to.deep.equal([
      {name: 'my-runner-1', index: 1, count: 3, minRunners: 1, maxRunners: 1},
      {name: 'my-runner-2', index: 2, count: 3, minRunners: 1, maxRunners: 1},
      {name: 'my-runner-3', index: 3, count: 3, minRunners: 1, maxRunners: 1},
    ])
    const folders = instances.map((instance) => (instance.caches[0] as HostCacheMount).hostPath)
    expect(new Set(folders).size).to.equal(3)
    expect(folders[1]).to.equal('/tmp/github-runner-cache/my-runner-2/cache-0')
  })

  it('uses one runner per instance even if the stored min/max say otherwise', () => {
    const instances = expandInstances(installation({instances: 2, minRunners: 0, maxRunners: 9}), roots)
    expect(instances.map((instance) => [instance.minRunners, instance.maxRunners])).to.deep.equal([
      [1, 1],
      [1, 1],
    ])
  })
})
