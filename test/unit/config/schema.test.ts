import {expect} from 'chai'

import {configProblems} from '../../../src/lib/domain/config/problems.js'

const installation = (fields: Record<string, unknown> = {}) => ({
  Repository: 'https://github.com/owner/repo',
  ContainerMode: 'kubernetes',
  MinRunners: 1,
  MaxRunners: 5,
  AuthType: 'pat',
  AuthValue: 'ghp_x',
  ...fields,
})
const current = (fields: Record<string, unknown>) => ({
  version: 1,
  cluster_name: 'deskrun',
  installations: {one: installation(fields)},
})
const original = (fields: Record<string, unknown>) => ({
  cluster_name: 'deskrun',
  installations: {one: installation(fields)},
})

describe('configProblems', () => {
  it('accepts the three cache shapes of the original and null lists, which the current format does not', async () => {
    const caches = ['/root/.cache', {MountPath: '/a', HostPath: '/b'}, {Target: '/c', Source: ''}]
    expect(await configProblems(original({CachePaths: caches, Mounts: null, Labels: null}))).to.deep.equal([])
    expect(await configProblems(current({CachePaths: caches, Mounts: null}))).to.deep.equal([
      'installations.one.CachePaths[0] must be an object {"Target": "/path/in/job", "Source": ""}',
      'installations.one.CachePaths[1].Target is required',
      'installations.one.Mounts must be a list of mounts',
    ])
  })

  it('says once what a cache of the original may be when it is none of its shapes', async () => {
    expect(await configProblems(original({CachePaths: [{Source: '/x'}, 7, '']}))).to.deep.equal([
      'installations.one.CachePaths[0] must be a path or an object {"Target": "/path/in/job", "Source": ""}',
      'installations.one.CachePaths[1] must be a path or an object {"Target": "/path/in/job", "Source": ""}',
      'installations.one.CachePaths[2] must be a path or an object {"Target": "/path/in/job", "Source": ""}',
    ])
  })

  it('checks types, ranges, patterns and the version, and keeps settings it does not know', async () => {
    const data = {
      ...current({MinRunners: 1.5, Instances: 0, AppID: true}),
      version: '1',
      cluster_name: 'x'.repeat(51),
      cache_root: 'relative',
      somethingElse: {kept: true},
    }
    expect(await configProblems(data)).to.deep.equal([
      'version must be 1 (the format this deskrun writes)',
      "cluster_name must be a kind cluster name: lower-case letters, digits, '.' and '-'",
      'cache_root must be an absolute host path such as /home/me/.cache/deskrun',
      'installations.one.MinRunners must be an integer ≥ 0',
      'installations.one.Instances must be an integer ≥ 1',
      'installations.one.AppID must be a number or a string',
    ])
  })

  it('takes caches on a storage class as two words, and says what each must be', async () => {
    expect(await configProblems(current({CacheStorageClass: 'longhorn', CacheSize: '50Gi'}))).to.deep.equal(
      [],
    )
    expect(await configProblems(current({CacheStorageClass: '', CacheSize: 50}))).to.deep.equal([
      'installations.one.CacheStorageClass must be a storage class name (kubectl get storageclass)',
      'installations.one.CacheSize must be a storage size such as "20Gi"',
    ])
  })

  it('names an installation key that is no plain word as it is written', async () => {
    const data = {version: 1, cluster_name: 'deskrun', installations: {'my runner': {}}}
    expect((await configProblems(data))[0]).to.equal('installations["my runner"].Repository is required')
  })
})
