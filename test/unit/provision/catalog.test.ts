import {expect} from 'chai'

import {
  PINNED_TOOLS,
  artifactFor,
  downloadUrl,
  platformKey,
  toolsBaseUrl,
} from '../../../src/lib/provision/catalog.js'

describe('provision: the pinned catalog', () => {
  it('pins kind, helm and kubectl for Linux and macOS on amd64 and arm64, each with a sha256', () => {
    for (const [tool, pinned] of Object.entries(PINNED_TOOLS)) {
      expect(Object.keys(pinned.artifacts).sort(), tool).to.deep.equal([
        'darwin-amd64',
        'darwin-arm64',
        'linux-amd64',
        'linux-arm64',
      ])
      for (const artifact of Object.values(pinned.artifacts)) {
        expect(artifact?.sha256, tool).to.match(/^[0-9a-f]{64}$/)
        expect(artifact?.url, tool)
          .to.match(/^https:\/\//)
          .and.contain(pinned.version)
      }
    }
    const shas = Object.values(PINNED_TOOLS).flatMap((pinned) =>
      Object.values(pinned.artifacts).map((a) => a?.sha256),
    )
    expect(new Set(shas).size).to.equal(shas.length)
  })

  it('uses the projects’ official downloads', () => {
    expect(artifactFor(PINNED_TOOLS, 'kind', 'linux-amd64')?.url).to.equal(
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.29.0/kind-linux-amd64',
    )
    expect(artifactFor(PINNED_TOOLS, 'helm', 'darwin-arm64')).to.include({
      url: 'https://get.helm.sh/helm-v3.18.4-darwin-arm64.tar.gz',
      archiveMember: 'darwin-arm64/helm',
    })
    expect(artifactFor(PINNED_TOOLS, 'kubectl', 'linux-arm64')?.url).to.equal(
      'https://dl.k8s.io/release/v1.33.7/bin/linux/arm64/kubectl',
    )
    expect(artifactFor(PINNED_TOOLS, 'kind', 'windows-amd64')).to.equal(undefined)
  })

  it('spells platforms as the projects do', () => {
    expect(platformKey('linux', 'x64')).to.equal('linux-amd64')
    expect(platformKey('darwin', 'arm64')).to.equal('darwin-arm64')
    expect(platformKey('win32', 'x64')).to.equal('windows-amd64')
  })

  it('maps a mirror base URL onto <base>/<tool>/<version>/<file>', () => {
    const kubectl = artifactFor(PINNED_TOOLS, 'kubectl', 'linux-amd64')!
    expect(downloadUrl(kubectl, 'https://mirror.example/tools/')).to.equal(
      'https://mirror.example/tools/kubectl/v1.33.7/bin/linux/amd64/kubectl',
    )
    expect(downloadUrl(kubectl)).to.equal(kubectl.url)
  })

  it('takes the mirror from DESKRUN_TOOLS_BASE_URL before the config', () => {
    expect(toolsBaseUrl({})).to.equal(undefined)
    expect(toolsBaseUrl({}, 'https://config')).to.equal('https://config')
    expect(toolsBaseUrl({DESKRUN_TOOLS_BASE_URL: 'https://env'}, 'https://config')).to.equal('https://env')
  })
})
