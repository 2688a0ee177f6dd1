/**
 * The kind, helm and kubectl releases deskrun can install into ~/.deskrun/bin, each pinned to the
 * sha256 its project published. This machine never trusts what a server says a file should be: a
 * download is kept only when it matches the checksum written here.
 *
 * Every checksum below agrees across at least two independent public sources, named next to it. A
 * platform missing here (e.g. Windows) is one whose checksum was not verified: deskrun then says it
 * cannot install the tool there and points at the project's own install docs.
 *
 * Mirrors (DESKRUN_TOOLS_BASE_URL, or `tools_base_url` in the config) serve the same files under one
 * base URL, laid out as `<base>/<tool>/<version>/<file>`:
 *   <base>/kind/v0.29.0/kind-linux-amd64
 *   <base>/helm/v3.18.4/helm-v3.18.4-linux-amd64.tar.gz
 *   <base>/kubectl/v1.33.7/bin/linux/amd64/kubectl
 */
import type {VersionedTool} from '../tools/versions.js'

/** `<os>-<arch>` in the projects' own spelling: linux-amd64, darwin-arm64, ... */
export type PlatformKey = string

export interface Artifact {
  /** The project's official download. */
  url: string
  /** Where a mirror serves the same file, relative to its base URL. */
  mirrorPath: string
  sha256: string
  /** For archives: the member that is the executable (helm ships `linux-amd64/helm` in a .tar.gz). */
  archiveMember?: string
}

export interface PinnedTool {
  version: string
  artifacts: Partial<Record<PlatformKey, Artifact>>
}

export type ToolCatalog = Record<VersionedTool, PinnedTool>

const KIND = 'v0.29.0'
const HELM = 'v3.18.4'
const KUBECTL = 'v1.33.7'

function kind(platform: PlatformKey, sha256: string): [PlatformKey, Artifact] {
  const file = `kind-${platform}`
  return [
    platform,
    {
      url: `https://github.com/kubernetes-sigs/kind/releases/download/${KIND}/${file}`,
      mirrorPath: `kind/${KIND}/${file}`,
      sha256,
    },
  ]
}

function helm(platform: PlatformKey, sha256: string): [PlatformKey, Artifact] {
  const file = `helm-${HELM}-${platform}.tar.gz`
  return [
    platform,
    {
      url: `https://get.helm.sh/${file}`,
      mirrorPath: `helm/${HELM}/${file}`,
      sha256,
      archiveMember: `${platform}/helm`,
    },
  ]
}

function kubectl(platform: PlatformKey, sha256: string): [PlatformKey, Artifact] {
  const file = `bin/${platform.replace('-', '/')}/kubectl`
  return [
    platform,
    {url: `https://dl.k8s.io/release/${KUBECTL}/${file}`, mirrorPath: `kubectl/${KUBECTL}/${file}`, sha256},
  ]
}

export const PINNED_TOOLS: ToolCatalog = {
  // kind v0.29.0 release binaries. Sources: cert-manager/makefile-modules modules/tools/00_mod.mk
  // (commit fdc858d5, "make learn-tools-shas", which hashes the downloaded files) and
  // cashapp/hermit-packages kind.hcl (commit 02766bce, sha256sums).
  kind: {
    version: KIND,
    artifacts: Object.fromEntries([
      kind('linux-amd64', 'c72eda46430f065fb45c5f70e7c957cc9209402ef309294821978677c8fb3284'),
      kind('linux-arm64', '03d45095dbd9cc1689f179a3e5e5da24b77c2d1b257d7645abf1b4174bebcf2a'),
      kind('darwin-amd64', '3eb0d4de25b854f34ea8ce8a3cbe15054fc03bc962b03e96fd10664b829fb6ed'),
      kind('darwin-arm64', '314d8f1428842fd1ba2110fd0052a0f0b3ab5773ab1bdcdad1ff036e913310c9'),
    ]),
  },
  // helm v3.18.4 archives. Sources: the checksums in helm's v3.18.4 release notes
  // (github.com/helm/helm/releases/tag/v3.18.4), cert-manager/makefile-modules modules/tools/00_mod.mk
  // (commit f2dbe741) and cashapp/hermit-packages helm.hcl (commit ff713b0f).
  helm: {
    version: HELM,
    artifacts: Object.fromEntries([
      helm('linux-amd64', 'f8180838c23d7c7d797b208861fecb591d9ce1690d8704ed1e4cb8e2add966c1'),
      helm('linux-arm64', 'c0a45e67eef0c7416a8a8c9e9d5d2d30d70e4f4d3f7bea5de28241fffa8f3b89'),
      helm('darwin-amd64', '860a7238285b44b5dc7b3c4dad6194316885d7015d77c34e23177e0e9554af8f'),
      helm('darwin-arm64', '041849741550b20710d7ad0956e805ebd960b483fe978864f8e7fdd03ca84ec8'),
    ]),
  },
  // kubectl v1.33.7 binaries. Sources: cashapp/hermit-packages kubectl.hcl (commit e7ed34f6,
  // sha256sums), and a Bazel kubectl toolchain table (`_binaries`, copied from dl.k8s.io's .sha256
  // files) in the public code index, which agrees on all four but whose repository it does not name.
  kubectl: {
    version: KUBECTL,
    artifacts: Object.fromEntries([
      kubectl('linux-amd64', '471d94e208a89be62eb776700fc8206cbef11116a8de2dc06fc0086b0015375b'),
      kubectl('linux-arm64', 'fa7ee98fdb6fba92ae05b5e0cde0abd5972b2d9a4a084f7052a1fd0dce6bc1de'),
      kubectl('darwin-amd64', '45be3f5293da84d97e86580a541b247fe3cec60196fdd6abd2b811d7dd4d3f1b'),
      kubectl('darwin-arm64', '2e333f56d115081af83a48b5f31a91fb32852550f8117a0a31cf8bae2e601704'),
    ]),
  },
}

/** This machine in the projects' spelling (Node says x64 where they say amd64). */
export function platformKey(platform: string = process.platform, arch: string = process.arch): PlatformKey {
  const cpu = arch === 'x64' ? 'amd64' : arch
  return `${platform === 'win32' ? 'windows' : platform}-${cpu}`
}

export function artifactFor(
  catalog: ToolCatalog,
  tool: VersionedTool,
  platform: PlatformKey,
): Artifact | undefined {
  return catalog[tool].artifacts[platform]
}

/** The official URL, or the mirror's when a base URL is set. */
export function downloadUrl(artifact: Artifact, baseUrl?: string): string {
  return baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${artifact.mirrorPath}` : artifact.url
}

/** The mirror base URL: DESKRUN_TOOLS_BASE_URL wins over the config's `tools_base_url`. */
export function toolsBaseUrl(env: NodeJS.ProcessEnv = process.env, fromConfig?: string): string | undefined {
  return env.DESKRUN_TOOLS_BASE_URL || fromConfig || undefined
}

export const MIRROR_LAYOUT = '<base>/<tool>/<version>/<file>, e.g. <base>/kind/v0.29.0/kind-linux-amd64'
