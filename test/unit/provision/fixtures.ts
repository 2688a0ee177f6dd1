/** A catalog whose pinned files live on the test server, with checksums computed from the fixtures. */
import type {ToolCatalog} from '../../../src/lib/adapters/provision/catalog.js'
import {fakeBinary, sha256, tarGz, type Route} from './server.js'

export const KIND_BINARY = fakeBinary('kind v0.29.0 go1.24.2 linux/amd64')
export const HELM_BINARY = fakeBinary('v3.18.4+gd80839c')
export const KUBECTL_BINARY = fakeBinary('{"clientVersion": {"gitVersion": "v1.33.7"}}')
export const HELM_ARCHIVE = tarGz([
  {name: 'linux-amd64/', type: '5'},
  {name: 'linux-amd64/LICENSE', body: Buffer.from('Apache-2.0\n')},
  {name: 'linux-amd64/helm', body: HELM_BINARY},
  {name: 'linux-amd64/README.md', body: Buffer.from('# helm\n')},
])

/** The official downloads as the test server serves them. */
export const OFFICIAL: Record<string, Route> = {
  '/official/kind-linux-amd64': {body: KIND_BINARY},
  '/official/helm-v3.18.4-linux-amd64.tar.gz': {body: HELM_ARCHIVE},
  '/official/kubectl': {body: KUBECTL_BINARY},
}

export function testCatalog(server: string): ToolCatalog {
  return {
    kind: {
      version: 'v0.29.0',
      artifacts: {
        'linux-amd64': {
          url: `${server}/official/kind-linux-amd64`,
          mirrorPath: 'kind/v0.29.0/kind-linux-amd64',
          sha256: sha256(KIND_BINARY),
        },
      },
    },
    helm: {
      version: 'v3.18.4',
      artifacts: {
        'linux-amd64': {
          url: `${server}/official/helm-v3.18.4-linux-amd64.tar.gz`,
          mirrorPath: 'helm/v3.18.4/helm-v3.18.4-linux-amd64.tar.gz',
          sha256: sha256(HELM_ARCHIVE),
          archiveMember: 'linux-amd64/helm',
        },
      },
    },
    kubectl: {
      version: 'v1.33.7',
      artifacts: {
        'linux-amd64': {
          url: `${server}/official/kubectl`,
          mirrorPath: 'kubectl/v1.33.7/bin/linux/amd64/kubectl',
          sha256: sha256(KUBECTL_BINARY),
        },
      },
    },
  }
}
