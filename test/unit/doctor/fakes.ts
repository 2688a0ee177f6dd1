/**
 * A machine described in data: what the tools answer through their adapters (kind lists these clusters,
 * the node is Ready, Docker is down...), and what /proc, statfs and PATH would say.
 */
import {DeskrunError} from '../../../src/lib/domain/errors.js'
import type {ConfigFile} from '../../../src/lib/domain/tmpfiles.js'
import type {CheckTools, DoctorContext} from '../../../src/lib/app/doctor/context.js'
import type {DiskFacts, SystemFacts} from '../../../src/lib/adapters/host-facts.js'
import type {Reach} from '../../../src/lib/adapters/reach.js'
import type {
  ContainerMount,
  DockerVersion,
  HelmRelease,
  NodeReadiness,
  ToolVersion,
} from '../../../src/lib/adapters/tools/index.js'
import {ToolFailure} from '../../../src/lib/adapters/tools/probe.js'
import type {ToolLocation} from '../../../src/lib/adapters/tools/prerequisites.js'
import type {VersionedTool} from '../../../src/lib/adapters/tools/versions.js'

/** An answer, or the error the adapter raises instead. */
type Or<T> = T | DeskrunError

export interface World {
  /** What `docker version` reports. */
  docker: Or<DockerVersion>
  versions: Record<VersionedTool, Or<ToolVersion>>
  /** The kind clusters. */
  clusters: Or<string[]>
  /** The nodes of cluster "deskrun". */
  nodes: Or<NodeReadiness[]>
  /** The bind mounts of each container. */
  mounts: Record<string, Or<ContainerMount[]>>
  /** The Helm releases of cluster "deskrun", all namespaces. */
  releases: Or<Partial<HelmRelease>[]>
  /** The CRDs of cluster "deskrun". */
  crds: string[]
  /** `verb resource` pairs kubectl auth can-i answers "no" to (all others: "yes"). */
  denied?: string[]
}

/** A tool that ran and failed, saying `said` (as the runner reports it). */
export const failed = (said: string) =>
  new ToolFailure(`Could not do it: the tool exited with code 1.\n  command: tool\n    ${said}`, said)

export const missing = (tool: string) =>
  new DeskrunError(`${tool} is not installed (or not on PATH).`, {code: 'TOOL_MISSING'})

/** The adapters the checks call, answering from a World; `calls` says what was asked, in order. */
export class FakeTools implements CheckTools {
  readonly calls: string[] = []
  constructor(public world: World) {}

  private answer<T>(call: string, value: Or<T>): Promise<T> {
    this.calls.push(call)
    return value instanceof DeskrunError ? Promise.reject(value) : Promise.resolve(value)
  }

  private version = (tool: VersionedTool) => () => this.answer(`${tool} version`, this.world.versions[tool])

  docker = {
    version: () => this.answer('docker version', this.world.docker),
    mounts: (container: string) =>
      this.answer(
        `docker mounts ${container}`,
        this.world.mounts[container] ?? failed(`Error: No such object: ${container}`),
      ),
  }

  kind = {version: this.version('kind'), clusters: () => this.answer('kind clusters', this.world.clusters)}

  helm = {
    version: this.version('helm'),
    release: async (namespace: string, name: string) => {
      const releases = await this.answer(`helm release ${namespace}/${name}`, this.world.releases)
      return releases.find((r) => r.namespace === namespace && r.name === name) as HelmRelease | undefined
    },
  }

  kubectl = {
    version: this.version('kubectl'),
    nodes: () => this.answer('kubectl nodes', this.world.nodes),
    get: async <T>(type: string, name: string) => {
      const found = type === 'crd' && this.world.crds.includes(name)
      return this.answer(`kubectl get ${type} ${name}`, found ? ({metadata: {name}} as T) : undefined)
    },
    canI: (verb: string, resource: string) =>
      this.answer(
        `kubectl auth can-i ${verb} ${resource}`,
        !this.world.denied?.includes(`${verb} ${resource}`),
      ),
  }
}

export interface Machine {
  platform: NodeJS.Platform
  arch: string
  sysctl: Record<string, number>
  cgroup?: 1 | 2
  disk?: DiskFacts
  /** The effective tmpfiles.d files; undefined: systemd does not run this host. */
  tmpfiles?: ConfigFile[]
  programs: Record<string, ToolLocation>
  /** What `host:port` answers (default: the name does not resolve). */
  hosts?: Record<string, Reach>
  /** The clock (default: 2026-06-01). */
  now?: Date
}

export function fakeFacts(machine: Machine): SystemFacts {
  return {
    platform: machine.platform,
    arch: machine.arch,
    sysctl: async (name) => machine.sysctl[name],
    cgroupVersion: async () => machine.cgroup,
    disk: async () => machine.disk,
    tmpfiles: async () => machine.tmpfiles,
    locate: async (program) => machine.programs[program],
    reach: async (host, port) =>
      machine.hosts?.[`${host}:${port}`] ?? {ok: false, stage: 'resolve', reason: 'ENOTFOUND'},
    now: () => machine.now ?? new Date('2026-06-01T00:00:00Z'),
  }
}

const onPath = (tool: string): ToolLocation => ({path: `/usr/local/bin/${tool}`, source: 'path'})

export function healthyMachine(): Machine {
  return {
    platform: 'linux',
    arch: 'x64',
    sysctl: {'fs.inotify.max_user_watches': 524288, 'fs.inotify.max_user_instances': 512},
    cgroup: 2,
    disk: {path: '/srv/cache', type: '0xef53', freeBytes: 80e9},
    programs: {
      docker: onPath('docker'),
      kind: onPath('kind'),
      helm: onPath('helm'),
      kubectl: onPath('kubectl'),
    },
  }
}

export const DOCKER_VERSION: DockerVersion = {
  Client: {Version: '27.5.1'},
  Server: {
    Platform: {Name: 'Docker Engine - Community'},
    Version: '27.5.1',
    ApiVersion: '1.47',
    Os: 'linux',
    Arch: 'amd64',
  },
}

export const CRDS = [
  'autoscalingrunnersets.actions.github.com',
  'autoscalinglisteners.actions.github.com',
  'ephemeralrunnersets.actions.github.com',
  'ephemeralrunners.actions.github.com',
]

export const controller = (status: string, chart: string): Partial<HelmRelease> => ({
  name: 'arc',
  namespace: 'arc-systems',
  status,
  chart,
})

/** A machine where deskrun runs fine: cluster "deskrun" is up with its cache mount and controller. */
export function healthyWorld(): World {
  return {
    docker: DOCKER_VERSION,
    versions: {
      kind: {version: '0.29.0', output: 'kind v0.29.0 go1.24.2 linux/amd64'},
      helm: {version: '3.18.4', output: 'v3.18.4+gd80839c'},
      kubectl: {version: '1.33.1', output: '{"clientVersion": {"gitVersion": "v1.33.1"}}'},
    },
    clusters: ['deskrun', 'other'],
    nodes: [{name: 'deskrun-control-plane', ready: true}],
    mounts: {
      'deskrun-control-plane': [
        {Type: 'bind', Source: '/lib/modules', Destination: '/lib/modules'},
        {Type: 'bind', Source: '/srv/cache', Destination: '/var/lib/deskrun/cache'},
      ],
    },
    releases: [controller('deployed', 'gha-runner-scale-set-controller-0.14.2')],
    crds: [...CRDS],
  }
}

export function context(
  tools: FakeTools,
  machine: Machine,
  overrides: Partial<DoctorContext> = {},
): DoctorContext {
  return {
    tools,
    facts: fakeFacts(machine),
    env: {},
    binDir: '/home/dev/.deskrun/bin',
    clusterName: 'deskrun',
    cacheRoot: '/srv/cache',
    chartVersion: '0.14.2',
    configFile: '/home/dev/.deskrun/config.json',
    installations: 1,
    caches: {},
    cacheClaims: false,
    network: [],
    provisionable: (tool) => ({kind: 'v0.29.0', helm: 'v3.18.4', kubectl: 'v1.33.7'})[tool],
    ...overrides,
  }
}
