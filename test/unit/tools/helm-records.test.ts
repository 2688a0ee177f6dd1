import {expect} from 'chai'
import {gzipSync} from 'node:zlib'

import {
  RELEASE_SECRET_TYPE,
  decodeReleaseRecord,
  latestReleases,
} from '../../../src/lib/adapters/tools/helm-records.js'
import type {KubeObject} from '../../../src/lib/domain/kube.js'

interface Release {
  name: string
  namespace: string
  version: number
  status: string
  chart?: {name: string; version: string}
  config?: Record<string, unknown> | null
}

/** The release as Helm 3 marshals it (pkg/release.Release); labels are not part of the JSON. */
function releaseJson(release: Release): string {
  return JSON.stringify({
    name: release.name,
    namespace: release.namespace,
    version: release.version,
    info: {status: release.status, description: 'Install complete'},
    chart: release.chart ? {metadata: {name: release.chart.name, version: release.chart.version}} : undefined,
    config: release.config === undefined ? {minRunners: 0} : release.config,
    manifest: '---\n# Source: ...\n',
  })
}

/**
 * The storage Secret Helm writes (pkg/storage/driver/secrets.go, util.go): the JSON, gzipped, base64
 * under `release`; as `kubectl get -o json` returns it, Secret data is base64-encoded once more.
 */
function record(
  release: Release,
  options: {gzip?: boolean; labels?: Record<string, string>; type?: string} = {},
): KubeObject {
  const json = Buffer.from(releaseJson(release), 'utf8')
  const stored = (options.gzip === false ? json : gzipSync(json)).toString('base64')
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `sh.helm.release.v1.${release.name}.v${release.version}`,
      namespace: release.namespace,
      labels: {
        name: release.name,
        owner: 'helm',
        status: release.status,
        version: String(release.version),
        ...options.labels,
      },
    },
    type: options.type ?? RELEASE_SECRET_TYPE,
    data: {release: Buffer.from(stored, 'utf8').toString('base64')},
  }
}

const web: Release = {
  name: 'web',
  namespace: 'arc-runners',
  version: 2,
  status: 'deployed',
  chart: {name: 'gha-runner-scale-set', version: '0.14.2'},
  config: {githubConfigUrl: 'https://github.com/o/r', maxRunners: 3, containerMode: {type: 'dind'}},
}

describe('helm release records', () => {
  it('reads a record as Helm stores it: gzipped JSON, base64 twice', () => {
    expect(decodeReleaseRecord(record(web))).to.deep.equal({
      name: 'web',
      namespace: 'arc-runners',
      revision: 2,
      status: 'deployed',
      chartName: 'gha-runner-scale-set',
      chartVersion: '0.14.2',
      values: web.config,
      labels: {},
    })
  })

  it('reads a record of plain JSON too', () => {
    expect(decodeReleaseRecord(record(web, {gzip: false}))?.values).to.deep.equal(web.config)
  })

  it('keeps the release labels and leaves out the ones Helm sets itself', () => {
    const labelled = record(web, {
      labels: {
        createdAt: '1717236000',
        modifiedAt: '1717236100',
        'managed-by': 'deskrun',
        'deskrun-installation': 'web',
      },
    })
    expect(decodeReleaseRecord(labelled)?.labels).to.deep.equal({
      'managed-by': 'deskrun',
      'deskrun-installation': 'web',
    })
  })

  it('reads a release installed without values as having none', () => {
    expect(decodeReleaseRecord(record({...web, config: null}))?.values).to.deep.equal({})
  })

  it('leaves out the chart of a record that has none', () => {
    const decoded = decodeReleaseRecord(record({...web, chart: undefined}))
    expect(decoded).to.include({name: 'web', revision: 2})
    expect(decoded?.chartName).to.equal(undefined)
    expect(decoded?.chartVersion).to.equal(undefined)
  })

  it('ignores Secrets that are not Helm records', () => {
    expect(decodeReleaseRecord(record(web, {type: 'Opaque'}))).to.equal(undefined)
    const credentials: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {name: 'web-github-auth', namespace: 'arc-runners'},
      type: 'Opaque',
      data: {github_token: Buffer.from('ghp_x').toString('base64')},
    }
    expect(decodeReleaseRecord(credentials)).to.equal(undefined)
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: 'web-hook-extension', namespace: 'arc-runners'},
      data: {content: 'spec: {}'},
    }
    expect(decodeReleaseRecord(configMap)).to.equal(undefined)
  })

  it('ignores a Helm record it cannot read', () => {
    const garbled = (release: string) => ({...record(web), data: {release}})
    expect(decodeReleaseRecord(garbled('not base64 at all!'))).to.equal(undefined)
    expect(decodeReleaseRecord(garbled(Buffer.from('{"name": ').toString('base64')))).to.equal(undefined)
    const truncatedGzip = gzipSync(releaseJson(web)).subarray(0, 20).toString('base64')
    expect(decodeReleaseRecord(garbled(Buffer.from(truncatedGzip).toString('base64')))).to.equal(undefined)
    expect(decodeReleaseRecord({...record(web), data: {}})).to.equal(undefined)
  })
})

describe('helm release records: latestReleases', () => {
  it('keeps the highest revision of each release, in whatever order the records come', () => {
    const revisions = [3, 1, 4, 2].map((version) =>
      record({...web, version, status: version === 4 ? 'failed' : 'superseded'}),
    )
    const latest = latestReleases(revisions)
    expect(latest.map((release) => [release.name, release.revision, release.status])).to.deep.equal([
      ['web', 4, 'failed'],
    ])
  })

  it('tells releases of the same name in different namespaces apart', () => {
    const latest = latestReleases([
      record({...web, version: 1}),
      record({...web, namespace: 'arc-systems', version: 5}),
      record({...web, name: 'api', version: 2}),
    ])
    expect(
      latest.map((release) => `${release.namespace}/${release.name}.v${release.revision}`),
    ).to.have.members(['arc-runners/web.v1', 'arc-systems/web.v5', 'arc-runners/api.v2'])
  })

  it('passes over what is not a readable record', () => {
    const other: KubeObject = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'x'}, data: {}}
    expect(latestReleases([other, {...record(web), data: {release: '%%%'}}, record(web)])).to.have.length(1)
  })
})
