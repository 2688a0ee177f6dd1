import {expect} from 'chai'

import {hasCacheMount, kindClusterConfig, nodeHostMounts} from '../../src/lib/domain/kind-config.js'

const roots = {cacheRoot: '/tmp/github-runner-cache', nodeCacheRoot: '/var/lib/deskrun/cache'}

describe('kind cluster config', () => {
  it('has one control-plane node that mounts the cache root', () => {
    expect(kindClusterConfig(roots)).to.deep.equal({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes: [
        {
          role: 'control-plane',
          extraMounts: [{hostPath: '/tmp/github-runner-cache', containerPath: '/var/lib/deskrun/cache'}],
        },
      ],
    })
  })

  it("mounts each --mount host path under /var/lib/deskrun/mounts, apart from the node's own folders", () => {
    const config = kindClusterConfig({...roots, hostMounts: ['/nix/store', '/var/run/docker.sock']}) as {
      nodes: {extraMounts: unknown[]}[]
    }
    expect(config.nodes[0].extraMounts).to.deep.equal([
      {hostPath: '/tmp/github-runner-cache', containerPath: '/var/lib/deskrun/cache'},
      {hostPath: '/nix/store', containerPath: '/var/lib/deskrun/mounts/nix/store'},
      {hostPath: '/var/run/docker.sock', containerPath: '/var/lib/deskrun/mounts/var/run/docker.sock'},
    ])
  })

  it('reads back the --mount host paths a node mounts, from where they land in it', () => {
    const mounts = [
      {Source: '/tmp/github-runner-cache', Destination: '/var/lib/deskrun/cache'},
      {Source: '/lib/modules', Destination: '/lib/modules'},
      {Source: '/host_mnt/nix/store', Destination: '/var/lib/deskrun/mounts/nix/store/'},
      {
        Source: '/run/host-services/docker.proxy.sock',
        Destination: '/var/lib/deskrun/mounts/var/run/docker.sock',
      },
    ]
    expect(nodeHostMounts(mounts)).to.deep.equal(['/nix/store', '/var/run/docker.sock'])
  })
})

describe('hasCacheMount', () => {
  const mount = (Source: string, Destination = '/var/lib/deskrun/cache') => ({Source, Destination})
  const {cacheRoot, nodeCacheRoot} = roots

  it('finds the cache root mounted at the node path', () => {
    expect(
      hasCacheMount([mount('/lib/modules', '/lib/modules'), mount(cacheRoot)], cacheRoot, nodeCacheRoot),
    ).to.equal(true)
    expect(hasCacheMount([mount(`${cacheRoot}/`)], `${cacheRoot}/`, `${nodeCacheRoot}/`)).to.equal(true)
  })

  it('accepts the paths Docker Desktop shows for host folders', () => {
    expect(hasCacheMount([mount(`/host_mnt/private${cacheRoot}`)], cacheRoot, nodeCacheRoot)).to.equal(true)
    expect(hasCacheMount([mount(`/private${cacheRoot}`)], cacheRoot, nodeCacheRoot)).to.equal(true)
  })

  it('is false for other folders or other destinations', () => {
    expect(hasCacheMount([], cacheRoot, nodeCacheRoot)).to.equal(false)
    expect(hasCacheMount([mount('/somewhere/else')], cacheRoot, nodeCacheRoot)).to.equal(false)
    expect(hasCacheMount([mount(cacheRoot, '/tmp/cache')], cacheRoot, nodeCacheRoot)).to.equal(false)
    expect(hasCacheMount([mount(`${cacheRoot}/sub`)], cacheRoot, nodeCacheRoot)).to.equal(false)
  })
})
