import {expect} from 'chai'

import {UsageError} from '../../../src/lib/errors.js'
import {cacheProblems, parseCacheFlag, resolveCaches} from '../../../src/lib/installation/caches.js'

const roots = {cacheRoot: '/tmp/github-runner-cache', nodeCacheRoot: '/var/lib/deskrun/cache'}

describe('parseCacheFlag', () => {
  it('reads a target', () => {
    expect(parseCacheFlag('/var/lib/docker')).to.deep.equal({target: '/var/lib/docker'})
  })

  it('reads SRC:PATH', () => {
    expect(parseCacheFlag('/tmp/github-runner-cache/docker:/var/lib/docker')).to.deep.equal({
      source: '/tmp/github-runner-cache/docker',
      target: '/var/lib/docker',
    })
  })

  it('normalises slashes and dots', () => {
    expect(parseCacheFlag('/root//.cache/./pip/')).to.deep.equal({target: '/root/.cache/pip'})
    expect(parseCacheFlag('/tmp/github-runner-cache/x/:/y/')).to.deep.equal({
      source: '/tmp/github-runner-cache/x',
      target: '/y',
    })
  })

  const bad: Array<[string, string]> = [
    ['', 'empty'],
    ['var/lib/docker', 'not absolute'],
    ['/var/../etc', '".."'],
    ['/', 'cannot be /'],
    ['/a:/b:/c', "more than one ':'"],
    ['relative:/var/lib/docker', 'the host folder "relative" is not absolute'],
    [':/var/lib/docker', 'the host folder is empty'],
    ['/tmp/github-runner-cache/x:', 'the path inside the job is empty'],
  ]
  for (const [value, message] of bad) {
    it(`rejects ${JSON.stringify(value)} with an example`, () => {
      let error: unknown
      try {
        parseCacheFlag(value)
      } catch (error_) {
        error = error_
      }

      expect(error).to.be.instanceOf(UsageError)
      expect((error as Error).message)
        .to.include(message)
        .and.include('--cache /root/.cache')
    })
  }
})

describe('resolveCaches', () => {
  it('partitions a single instance by installation', () => {
    const mounts = resolveCaches(
      'docker-runner',
      [{target: '/var/lib/docker'}, {target: '/root/.cache'}],
      {name: 'docker-runner', index: 1, count: 1},
      roots,
    )
    expect(mounts).to.deep.equal([
      {
        volumeName: 'cache-0',
        target: '/var/lib/docker',
        hostPath: '/tmp/github-runner-cache/docker-runner/cache-0',
        nodePath: '/var/lib/deskrun/cache/docker-runner/cache-0',
      },
      {
        volumeName: 'cache-1',
        target: '/root/.cache',
        hostPath: '/tmp/github-runner-cache/docker-runner/cache-1',
        nodePath: '/var/lib/deskrun/cache/docker-runner/cache-1',
      },
    ])
  })

  it('gives every instance its own partition', () => {
    const caches = [{target: '/var/lib/docker'}]
    const paths = [1, 2, 3].map(
      (index) => resolveCaches('multi', caches, {name: `multi-${index}`, index, count: 3}, roots)[0].hostPath,
    )
    expect(paths).to.deep.equal([
      '/tmp/github-runner-cache/multi-1/cache-0',
      '/tmp/github-runner-cache/multi-2/cache-0',
      '/tmp/github-runner-cache/multi-3/cache-0',
    ])
  })

  it('uses an explicit source as is for one instance', () => {
    const [mount] = resolveCaches(
      'r',
      [{target: '/var/lib/docker', source: '/tmp/github-runner-cache/shared/docker/'}],
      {name: 'r', index: 1, count: 1},
      roots,
    )
    expect(mount).to.deep.equal({
      volumeName: 'cache-0',
      target: '/var/lib/docker',
      hostPath: '/tmp/github-runner-cache/shared/docker',
      nodePath: '/var/lib/deskrun/cache/shared/docker',
    })
  })

  it('partitions an explicit source per instance', () => {
    const [mount] = resolveCaches(
      'r',
      [{target: '/var/lib/docker', source: '/tmp/github-runner-cache/shared'}],
      {name: 'r-2', index: 2, count: 2},
      roots,
    )
    expect(mount.hostPath).to.equal('/tmp/github-runner-cache/shared/r-2')
    expect(mount.nodePath).to.equal('/var/lib/deskrun/cache/shared/r-2')
  })

  it('refuses a source outside the cache root, saying why', () => {
    const caches = [{target: '/var/lib/docker', source: '/home/me/docker'}]
    expect(() => resolveCaches('r', caches, {name: 'r', index: 1, count: 1}, roots))
      .to.throw(UsageError)
      .with.property('message')
      .that.includes('inside the cache root /tmp/github-runner-cache')
      .and.includes('kind node')
  })

  it('refuses the cache root itself and look-alike siblings', () => {
    expect(cacheProblems([{target: '/x', source: '/tmp/github-runner-cache'}], roots)).to.have.length(1)
    expect(cacheProblems([{target: '/x', source: '/tmp/github-runner-cache-other/x'}], roots)).to.have.length(
      1,
    )
    expect(cacheProblems([{target: '/x', source: '/tmp/github-runner-cache/../etc'}], roots)).to.have.length(
      1,
    )
  })

  it('refuses duplicate targets', () => {
    expect(cacheProblems([{target: '/a'}, {target: '/a/'}], roots)[0]).to.include('more than once')
  })

  it('honours a custom cache root', () => {
    const [mount] = resolveCaches(
      'r',
      [{target: '/c'}],
      {name: 'r', index: 1, count: 1},
      {cacheRoot: '/data/cache/', nodeCacheRoot: '/var/lib/deskrun/cache'},
    )
    expect(mount.hostPath).to.equal('/data/cache/r/cache-0')
    expect(mount.nodePath).to.equal('/var/lib/deskrun/cache/r/cache-0')
  })
})
