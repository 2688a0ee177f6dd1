import {expect} from 'chai'

import {
  dataRootAt,
  purgePlan,
  sharedFolderProblems,
  sharingProblems,
} from '../../../src/lib/installation/sharing.js'
import type {Installation} from '../../../src/lib/installation/types.js'
import {type ModeInfo, installationProblems} from '../../../src/lib/installation/validate.js'

const ROOT = '/c'
const MODES: ModeInfo[] = [
  {name: 'kubernetes', takesCaches: false},
  {name: 'cached-privileged-kubernetes', takesCaches: true},
  // A plugin's mode gets the same rules.
  {name: 'gpu', takesCaches: true},
]

function installation(name: string, overrides: Partial<Installation> = {}): Installation {
  return {
    name,
    repository: 'https://github.com/owner/repo',
    mode: 'cached-privileged-kubernetes',
    minRunners: 1,
    maxRunners: 1,
    instances: 1,
    caches: [],
    labels: [],
    auth: {type: 'pat', token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'},
    ...overrides,
  }
}

const problemsOf = (inst: Installation, others: Installation[] = [], realPath?: (f: string) => string) =>
  installationProblems(inst, {modes: MODES, cacheRoot: ROOT, otherInstallations: others, realPath})

describe('dataRootAt', () => {
  const cases: Array<[string, string | undefined]> = [
    ['/var/lib/docker', '/var/lib/docker'],
    ['/var/lib/docker/', '/var/lib/docker'],
    ['/var/lib/docker/overlay2', '/var/lib/docker'],
    ['/var/lib', '/var/lib/docker'],
    ['/var/lib/containerd', '/var/lib/containerd'],
    ['/var/lib/buildkit/runc-overlayfs', '/var/lib/buildkit'],
    ['/home/runner/.local/share/docker', '/home/runner/.local/share/docker'],
    ['/root/.local/share/containerd/io.containerd.content.v1', '/root/.local/share/containerd'],
    ['/home/runner/.local/share', '/home/runner/.local/share/docker'],
    ['/home/runner/.local', '/home/runner/.local/share/docker'],
    ['/var/lib/docker-cache', undefined],
    ['/var/lib/apt', undefined],
    ['/root/.cache', undefined],
    ['/home/runner/.local/share/pip', undefined],
    ['/home/runner/.local/bin', undefined],
  ]
  for (const [target, root] of cases)
    it(`${target} -> ${root ?? 'none'}`, () => expect(dataRootAt(target)?.root).to.equal(root))
})

describe('a daemon data root serves one runner per host folder', () => {
  const docker = {target: '/var/lib/docker'}

  it('refuses a shared folder with the two flags that fix it, for any mode that takes caches', () => {
    for (const mode of ['cached-privileged-kubernetes', 'gpu']) {
      const problems = problemsOf(installation('r', {mode, maxRunners: 5, caches: [docker]}))
      expect(problems).to.have.length(1)
      expect(problems[0])
        .to.include('--cache /var/lib/docker')
        .and.include("Docker's data root")
        .and.include('up to 5 runners of r')
        .and.include('--instances 5')
        .and.include('--max-runners 1')
    }
  })

  it('says so for a path inside or above a data root, and for containerd, BuildKit and rootless ones', () => {
    const targets = [
      '/var/lib/docker/overlay2',
      '/var/lib',
      '/var/lib/containerd',
      '/var/lib/buildkit',
      '/home/runner/.local/share/docker',
    ]
    for (const target of targets) {
      const problems = problemsOf(installation('r', {maxRunners: 2, caches: [{target}]}))
      expect(problems, target).to.have.length(1)
      expect(problems[0], target).to.include('--instances 2').and.include('--max-runners 1')
    }

    expect(problemsOf(installation('r', {maxRunners: 2, caches: [{target: '/var/lib'}]}))[0]).to.include(
      "/var/lib contains Docker's data root /var/lib/docker",
    )
  })

  it('refuses an explicit host folder the same way', () => {
    const caches = [{source: '/c/docker', target: '/var/lib/docker'}]
    expect(problemsOf(installation('r', {maxRunners: 3, caches}))).to.have.length(1)
    expect(problemsOf(installation('r', {maxRunners: 1, caches}))).to.deep.equal([])
  })

  it('accepts one runner, or several instances of one runner each', () => {
    expect(problemsOf(installation('r', {maxRunners: 1, caches: [docker]}))).to.deep.equal([])
    expect(problemsOf(installation('r', {minRunners: 0, maxRunners: 0, caches: [docker]}))).to.deep.equal([])
    expect(problemsOf(installation('r', {instances: 5, caches: [docker]}))).to.deep.equal([])
    expect(
      problemsOf(
        installation('r', {instances: 3, caches: [{source: '/c/shared-docker', target: '/var/lib/docker'}]}),
      ),
    ).to.deep.equal([])
  })

  it('leaves other caches alone', () => {
    expect(problemsOf(installation('r', {maxRunners: 5, caches: [{target: '/root/.cache'}]}))).to.deep.equal(
      [],
    )
  })
})

describe('caches stay apart', () => {
  const cache = (target: string, source?: string) => (source ? {target, source} : {target})
  const owner = installation('owner', {caches: [cache('/root/.cache')]})

  it('refuses a host folder inside another installation’s cache folder', () => {
    const problems = problemsOf(installation('r', {caches: [cache('/data', '/c/owner/mine')]}), [owner])
    expect(problems).to.have.length(1)
    expect(problems[0])
      .to.include('--cache /c/owner/mine:/data: its host folder /c/owner/mine is inside /c/owner')
      .and.include('installation owner')
      .and.include('--purge-cache')
      .and.include('--cache /data')
  })

  it('refuses the same folder and a folder that contains another’s', () => {
    const named = installation('named', {caches: [cache('/x', '/c/shared/pip')]})
    const same = problemsOf(installation('r', {caches: [cache('/y', '/c/shared/pip')]}), [named])
    expect(same[0]).to.include(
      'is the same folder as /c/shared/pip, the host folder of --cache /c/shared/pip:/x',
    )
    const holds = problemsOf(installation('r', {caches: [cache('/y', '/c/shared')]}), [named])
    expect(holds[0]).to.include('/c/shared contains /c/shared/pip')
  })

  it('refuses a folder of another installation’s instance', () => {
    const several = installation('multi', {instances: 2, caches: [cache('/root/.cache')]})
    const problems = problemsOf(installation('r', {caches: [cache('/y', '/c/multi-2/x')]}), [several])
    expect(problems[0]).to.include('where deskrun keeps the caches of multi-2')
    const partitioned = installation('multi', {instances: 2, caches: [cache('/x', '/c/s')]})
    expect(
      problemsOf(installation('r', {caches: [cache('/y', '/c/s/multi-1')]}), [partitioned]),
    ).to.have.length(1)
    expect(problemsOf(installation('r', {caches: [cache('/y', '/c/s/other')]}), [partitioned])).to.deep.equal(
      [],
    )
  })

  it('refuses a name whose cache folder would hold another installation’s', () => {
    const inside = installation('other', {caches: [cache('/x', '/c/r/x')]})
    const problems = problemsOf(installation('r', {caches: [cache('/root/.cache')]}), [inside])
    expect(problems).to.have.length(1)
    expect(problems[0])
      .to.include('/c/r, where deskrun keeps the caches of r, contains /c/r/x')
      .and.include('choose another installation name')
  })

  it('refuses two caches of one installation on one folder', () => {
    const problems = problemsOf(installation('r', {caches: [cache('/a'), cache('/b', '/c/r/cache-0')]}))
    expect(problems).to.have.length(1)
    expect(problems[0]).to.include(
      '--cache /a: its host folder /c/r/cache-0 is the same folder as /c/r/cache-0, the host folder of --cache /c/r/cache-0:/b',
    )
  })

  it('follows symbolic links to where the folders really are', () => {
    const realPath = (folder: string) => folder.replace(/^\/c\/link/, '/c/owner/cache-0')
    const problems = problemsOf(installation('r', {caches: [cache('/y', '/c/link/sub')]}), [owner], realPath)
    expect(problems).to.have.length(1)
    expect(problems[0])
      .to.include('/c/link/sub is inside /c/owner, where deskrun keeps the caches of owner')
      .and.include('through symbolic links: /c/link/sub is really /c/owner/cache-0/sub')
  })

  it('accepts folders side by side, and caches of modes that mount none', () => {
    expect(problemsOf(installation('r', {caches: [cache('/y', '/c/mine')]}), [owner])).to.deep.equal([])
    expect(problemsOf(installation('r', {caches: [cache('/root/.cache')]}), [owner])).to.deep.equal([])
    const plain = installation('owner-x', {mode: 'kubernetes', caches: [cache('/y', '/c/owner/y')]})
    expect(problemsOf(plain, [owner]).join()).not.to.include('stay apart')
  })

  it('checks nothing against an entry of the same name (the one being replaced)', () => {
    expect(sharingProblems(owner, [owner], {cacheRoot: ROOT})).to.deep.equal([])
  })
})

describe('purgePlan', () => {
  const everything = () => true

  it('deletes the partitions deskrun chose that exist', () => {
    const multi = installation('multi', {instances: 3, caches: [{target: '/root/.cache'}]})
    const plan = purgePlan(multi, [], {cacheRoot: ROOT, exists: (folder) => folder !== '/c/multi-3'})
    expect(plan).to.deep.equal({remove: ['/c/multi-1', '/c/multi-2'], keep: []})
  })

  it('keeps a partition that another installation’s cache is in, is, or holds, saying which', () => {
    const owner = installation('owner', {caches: [{target: '/root/.cache'}]})
    const squatter = installation('squatter', {caches: [{target: '/data', source: '/c/owner/data'}]})
    const plan = purgePlan(owner, [owner, squatter], {cacheRoot: ROOT, exists: everything})
    expect(plan.remove).to.deep.equal([])
    expect(plan.keep).to.have.length(1)
    expect(plan.keep[0].folder).to.equal('/c/owner')
    expect(plan.keep[0].reason).to.include('contains /c/owner/data').and.include('installation squatter')
  })

  it('compares real paths', () => {
    const owner = installation('owner', {caches: [{target: '/root/.cache'}]})
    const linked = installation('linked', {caches: [{target: '/data', source: '/c/link'}]})
    const realPath = (folder: string) => (folder === '/c/link' ? '/c/owner/cache-0' : folder)
    const plan = purgePlan(owner, [linked], {cacheRoot: ROOT, exists: everything, realPath})
    expect(plan.remove).to.deep.equal([])
    expect(plan.keep[0].reason).to.include('/c/link is really /c/owner/cache-0')
  })

  it('keeps host folders the user named, and says why', () => {
    const named = installation('named', {caches: [{target: '/data', source: '/c/mine'}]})
    const plan = purgePlan(named, [], {cacheRoot: ROOT, exists: everything})
    expect(plan.remove).to.deep.equal(['/c/named'])
    expect(plan.keep).to.deep.equal([
      {
        folder: '/c/mine',
        reason: 'you named it with --cache /c/mine:/data; deskrun deletes only the folders it chose itself',
      },
    ])
  })
})

describe('sharedFolderProblems', () => {
  it('says why each one cannot live in a folder shared into Docker’s VM', () => {
    const problems = sharedFolderProblems(
      [
        {target: '/var/lib/docker'},
        {target: '/root/.cache'},
        {target: '/var/lib/containerd', source: '/x/y'},
      ],
      'macOS',
    )
    expect(problems).to.have.length(2)
    expect(problems[0]).to.match(/^--cache \/var\/lib\/docker: on macOS Docker runs in a VM .*overlay2/)
    expect(problems[1]).to.match(/^--cache \/var\/lib\/containerd: /)
  })
})
