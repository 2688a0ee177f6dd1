/** A machine described in data: what the tools answer, and what /proc, statfs and PATH would say. */
import {DeskrunError} from '../../../src/lib/errors.js'
import type {ConfigFile} from '../../../src/lib/doctor/cleanup.js'
import type {DoctorContext} from '../../../src/lib/doctor/context.js'
import type {DiskFacts, SystemFacts} from '../../../src/lib/doctor/facts.js'
import type {RunOptions, RunResult} from '../../../src/lib/tools/runner.js'
import type {ToolLocation} from '../../../src/lib/tools/prerequisites.js'

export type Answer = Partial<Omit<RunResult, 'command'>> | DeskrunError

/** Answers tool calls by their command line (`kind version`); a call nobody scripted fails the test. */
export class FakeRunner {
  readonly calls: string[] = []
  constructor(public answers: Record<string, Answer>) {}

  async run(tool: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    const command = [tool, ...args].join(' ')
    this.calls.push(command)
    const answer = this.answers[command]
    if (answer === undefined) throw new Error(`unexpected call: ${command}`)
    if (answer instanceof DeskrunError) throw answer
    const result = {command, exitCode: 0, stdout: '', stderr: '', ...answer}
    if (result.exitCode !== 0 && !options.allowFailure) throw new Error(`${command} failed`)
    return result
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

export const DOCKER_VERSION = JSON.stringify({
  Client: {Version: '27.5.1', ApiVersion: '1.47', Os: 'linux', Arch: 'amd64'},
  Server: {
    Platform: {Name: 'Docker Engine - Community'},
    Version: '27.5.1',
    ApiVersion: '1.47',
    Os: 'linux',
    Arch: 'amd64',
  },
})

const ready = (name: string) => ({metadata: {name}, status: {conditions: [{type: 'Ready', status: 'True'}]}})

export const CRDS = [
  'autoscalingrunnersets.actions.github.com',
  'autoscalinglisteners.actions.github.com',
  'ephemeralrunnersets.actions.github.com',
  'ephemeralrunners.actions.github.com',
]

/** Every tool answering as on a machine where deskrun runs fine, with cluster "deskrun". */
export function healthyAnswers(): Record<string, Answer> {
  const answers: Record<string, Answer> = {
    'docker version --format {{json .}}': {stdout: DOCKER_VERSION},
    'kind version': {stdout: 'kind v0.29.0 go1.24.2 linux/amd64'},
    'helm version --short': {stdout: 'v3.18.4+gd80839c'},
    'kubectl version --client --output json': {
      stdout: JSON.stringify({clientVersion: {gitVersion: 'v1.33.1'}, kustomizeVersion: 'v5.6.0'}),
    },
    'kind get clusters': {stdout: 'deskrun\nother'},
    'kubectl --context kind-deskrun get nodes --output json': {
      stdout: JSON.stringify({items: [ready('deskrun-control-plane')]}),
    },
    'docker inspect deskrun-control-plane --format {{json .Mounts}}': {
      stdout: JSON.stringify([
        {Type: 'bind', Source: '/lib/modules', Destination: '/lib/modules'},
        {Type: 'bind', Source: '/srv/cache', Destination: '/var/lib/deskrun/cache'},
      ]),
    },
    'helm list --namespace arc-systems --all --output json --kube-context kind-deskrun': {
      stdout: JSON.stringify([
        {
          name: 'arc',
          namespace: 'arc-systems',
          status: 'deployed',
          chart: 'gha-runner-scale-set-controller-0.14.2',
        },
      ]),
    },
  }
  for (const crd of CRDS)
    answers[`kubectl --context kind-deskrun get crd ${crd} --output json`] = {stdout: '{}'}
  return answers
}

export function context(
  runner: FakeRunner,
  machine: Machine,
  overrides: Partial<DoctorContext> = {},
): DoctorContext {
  return {
    run: runner,
    facts: fakeFacts(machine),
    env: {},
    binDir: '/home/dev/.deskrun/bin',
    clusterName: 'deskrun',
    cacheRoot: '/srv/cache',
    chartVersion: '0.14.2',
    configFile: '/home/dev/.deskrun/config.json',
    installations: 1,
    caches: {},
    provisionable: (tool) => ({kind: 'v0.29.0', helm: 'v3.18.4', kubectl: 'v1.33.7'})[tool],
    ...overrides,
  }
}

export const missing = (tool: string) =>
  new DeskrunError(`${tool} is not installed (or not on PATH).`, {code: 'TOOL_MISSING'})
