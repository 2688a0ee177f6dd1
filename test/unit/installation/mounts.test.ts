import {expect} from 'chai'

import {UsageError} from '../../../src/lib/domain/errors.js'
import {
  hostMountSources,
  mountProblems,
  parseMountFlag,
  resolveMounts,
} from '../../../src/lib/domain/installation/mounts.js'
import type {HostMountSpec} from '../../../src/lib/domain/installation/types.js'

const ROOT = '/home/me/.cache/deskrun'
const mount = (source: string, target = source, more: Partial<HostMountSpec> = {}): HostMountSpec => ({
  source,
  target,
  type: 'DirectoryOrCreate',
  readOnly: false,
  ...more,
})

describe('--mount', () => {
  describe('parseMountFlag', () => {
    const cases: [string, HostMountSpec][] = [
      ['/nix/store', mount('/nix/store')],
      ['/nix/store:ro', mount('/nix/store', '/nix/store', {readOnly: true})],
      ['/opt/sdk/:/sdk', mount('/opt/sdk', '/sdk')],
      ['/opt/sdk:/sdk:Directory:ro', mount('/opt/sdk', '/sdk', {type: 'Directory', readOnly: true})],
      [
        '/var/run/docker.sock:/var/run/docker.sock:Socket',
        mount('/var/run/docker.sock', '/var/run/docker.sock', {type: 'Socket'}),
      ],
      ['/data:Directory', mount('/data', '/data', {type: 'Directory'})],
    ]
    for (const [value, expected] of cases)
      it(`reads ${value}`, () => expect(parseMountFlag(value)).to.deep.equal(expected))

    const bad: [string, RegExp][] = [
      ['relative:/x', /host path "relative" is not absolute/],
      ['/x:relative', /path inside the job "relative" is not absolute/],
      ['/a:/b:File', /"File" is not a mount type/],
      ['/a:/b:/c', /too many parts/],
      ['/:/host', /host path cannot be \/ itself/],
      ['/a/../b', /contains "\.\."/],
      ['', /is empty/],
    ]
    for (const [value, message] of bad)
      it(`refuses "${value}" with the forms`, () => {
        expect(() => parseMountFlag(value))
          .to.throw(UsageError, message)
          .with.property('message')
          .that.includes('[HOST_PATH:]PATH[:TYPE][:ro]')
      })
  })

  describe('mountProblems', () => {
    const problems = (mounts: HostMountSpec[], caches: {target: string}[] = []) =>
      mountProblems({mounts, caches}, ROOT)

    it('takes separate paths', () => {
      expect(
        problems([mount('/nix/store'), mount('/var/run/docker.sock')], [{target: '/root/.cache'}]),
      ).to.deep.equal([])
    })

    it('refuses a path given twice or inside another mount', () => {
      expect(problems([mount('/a', '/x'), mount('/b', '/x')])).to.deep.equal([
        '--mount /x is given more than once; mount each path once.',
      ])
      expect(problems([mount('/a', '/x'), mount('/b', '/x/y')])[0]).to.match(
        /lies in or holds another --mount/,
      )
    })

    it('refuses overlap with a cache, either way', () => {
      expect(problems([mount('/a', '/root/.cache')], [{target: '/root/.cache'}])[0]).to.match(
        /--cache \/root\/.cache/,
      )
      expect(problems([mount('/a', '/root')], [{target: '/root/.cache'}])[0]).to.match(/drop one of the two/)
    })

    it('refuses host paths in the cache root (that is what --cache is for) and / itself', () => {
      expect(problems([mount(`${ROOT}/x`, '/x')])[0]).to.match(/use --cache for folders there/)
      expect(problems([mount('/home/me', '/x')])[0]).to.match(/cache root/)
      expect(problems([mount('/', '/host')])[0]).to.match(/cannot be \/ itself/)
    })

    it('names an unknown type from a hand-written config', () => {
      expect(problems([mount('/a', '/a', {type: 'File' as never})])[0]).to.match(
        /"File" is not a mount type; use DirectoryOrCreate, Directory, Socket/,
      )
    })
  })

  it('resolves to volumes on the node path, or on the host path on a cluster of your own', () => {
    const specs = [
      mount('/var/run/docker.sock', '/var/run/docker.sock', {type: 'Socket'}),
      mount('/nix/store'),
    ]
    expect(
      resolveMounts(specs, '/var/lib/deskrun/mounts').map((m) => [m.volumeName, m.nodePath]),
    ).to.deep.equal([
      ['mount-0', '/var/lib/deskrun/mounts/var/run/docker.sock'],
      ['mount-1', '/var/lib/deskrun/mounts/nix/store'],
    ])
    expect(resolveMounts(specs).map((m) => m.nodePath)).to.deep.equal(['/var/run/docker.sock', '/nix/store'])
  })

  it('collects the host paths of all installations once', () => {
    expect(
      hostMountSources([{mounts: [mount('/b'), mount('/a')]}, {mounts: [mount('/a', '/z')]}, {}]),
    ).to.deep.equal(['/a', '/b'])
  })
})
