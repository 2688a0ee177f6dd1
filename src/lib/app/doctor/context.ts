/** What every check gets: the tools, the machine's facts, and deskrun's settings. */
import os from 'node:os'

import type {CacheSpec} from '../../domain/installation/types.js'
import type {Tools} from '../../adapters/tools/index.js'
import type {SystemFacts} from '../../adapters/host-facts.js'
import type {Check, CheckId} from './types.js'
import type {VersionedTool} from '../../adapters/tools/versions.js'

/** The adapter calls the checks make (tests answer them with plain objects). */
export interface CheckTools {
  docker: Pick<Tools['docker'], 'version' | 'mounts'>
  kind: Pick<Tools['kind'], 'version' | 'clusters'>
  helm: Pick<Tools['helm'], 'version' | 'release'>
  kubectl: Pick<Tools['kubectl'], 'version' | 'nodes' | 'get' | 'canI'>
}

export interface DoctorContext {
  /** Bound to the config's cluster, with the checks' own time limit. */
  tools: CheckTools
  facts: SystemFacts
  env: NodeJS.ProcessEnv
  /** deskrun's own tool folder (deskrunBinDir()). */
  binDir: string
  clusterName: string
  /** An existing cluster's kube context (`deskrun cluster use`); undefined for deskrun's kind cluster. */
  existingContext?: string
  cacheRoot: string
  chartVersion: string
  configFile: string
  /** How many installations the config has: without any, no cluster or controller is expected yet. */
  installations: number
  /** The `--cache` entries of each installation that has any. */
  caches: Record<string, CacheSpec[]>
  /** Whether an installation keeps its caches on a storage class (claims deskrun creates). */
  cacheClaims: boolean
  /** The proxies and GitHub CAs to check: the defaults', and each installation's own. */
  network: NetworkSubject[]
  /** The pinned version `deskrun doctor --fix` would install here, or undefined when there is none. */
  provisionable: (tool: VersionedTool) => string | undefined
}

/** A proxy and CA as set: in the defaults (no installation), or by an installation of its own. */
export interface NetworkSubject {
  installation?: string
  proxy?: string
  githubCA?: string
}

/** What earlier checks learned, for the checks that build on them. */
export interface CheckState {
  results: Map<CheckId, Check>
  clusterExists?: boolean
  clusterReachable?: boolean
  /** Docker Desktop (on any platform) runs the daemon in a VM that sees host folders through file sharing. */
  dockerDesktop?: boolean
}

/** True when the check ran and did not fail (a warning is usable). */
export function usable(state: CheckState, id: CheckId): boolean {
  const check = state.results.get(id)
  return check !== undefined && check.status !== 'fail'
}

/** `~/.deskrun/bin/kind` rather than the full home path: shorter, and the same on every machine. */
export function tildify(file: string): string {
  const home = os.homedir()
  return home && (file === home || file.startsWith(`${home}/`)) ? `~${file.slice(home.length)}` : file
}
