import {expect} from 'chai'

import {checkCurrent} from '../../../src/lib/domain/config/check.generated.js'
import {validateCurrent} from '../../../src/lib/domain/config/validators.generated.js'

/** A valid config of the current shape that sets every field the schema knows. */
const full = () => ({
  version: 1,
  cluster_name: 'deskrun',
  cache_root: '/home/me/.cache/deskrun',
  chart_version: '0.14.2',
  tools_base_url: 'https://mirror.example.com/deskrun',
  kube_context: 'kind-deskrun',
  kubeconfig: '/home/me/.kube/config',
  proxy: 'http://proxy:3128',
  no_proxy: ['localhost'],
  github_ca: 'PEM',
  installations: {
    one: {
      Name: 'one',
      Repository: 'https://github.com/owner/repo',
      ContainerMode: 'kubernetes',
      MinRunners: 1,
      MaxRunners: 5,
      Instances: 2,
      CachePaths: [{Target: '/root/.cache', Source: ''}],
      CacheStorageClass: 'standard',
      CacheSize: '20Gi',
      Mounts: [{Source: '/a', Target: '/b', Type: 'Directory', ReadOnly: true}],
      RunnerGroup: 'default',
      Proxy: 'http://proxy:3128',
      NoProxy: ['localhost'],
      GitHubCA: 'PEM',
      RunnerImage: 'ghcr.io/actions/actions-runner:latest',
      Node: 'node-a',
      Nodes: {'one-1': 'node-a'},
      Labels: ['gpu'],
      AuthType: 'github-app',
      AuthValue: 'key',
      AppID: 1,
      InstallationID: '2',
      AuthSource: 'file',
      Deployed: true,
      Paused: false,
      CPUs: '2',
      Memory: '4Gi',
    },
  },
})

/** Every path to a value in `data`, objects and arrays included. */
function pathsOf(data: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof data !== 'object' || data === null) return [at]
  return [
    at,
    ...Object.entries(data).flatMap(([key, value]) =>
      pathsOf(value, [...at, Array.isArray(data) ? Number(key) : key]),
    ),
  ]
}

function withValue(path: (string | number)[], value: unknown): unknown {
  const data = full() as Record<string | number, unknown>
  let node = data
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  if (value === undefined) delete node[path.at(-1)!]
  else node[path.at(-1)!] = value
  return data
}

describe('the config validators', () => {
  it('the quick check says valid exactly when the detailed validator does', () => {
    const wrongValues = [undefined, null, '', 'x', '/abs', -1, 0, 1.5, 2, true, [], [''], {}, {Target: ''}]
    const paths = pathsOf(full()).filter((at) => at.length > 0)
    let invalid = 0
    for (const at of paths) {
      for (const value of wrongValues) {
        const data = withValue(at, value)
        const expected = validateCurrent(data)
        if (!expected) invalid++
        expect(checkCurrent(data), `${at.join('.')} = ${JSON.stringify(value)}`).to.equal(expected)
      }
    }

    expect(checkCurrent(full())).to.be.true
    // The samples break the schema in many ways, not only by a missing field.
    expect(invalid).to.be.greaterThan(paths.length * 5)
  })
})
