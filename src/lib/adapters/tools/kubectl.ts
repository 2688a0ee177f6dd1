import {DeskrunError} from '../../domain/errors.js'
import type {KubeObject, KubernetesVersion} from '../../domain/kube.js'
import {registerSecret} from '../../domain/redact.js'
import {type RunOptions, type ToolRunner, toolFailure} from './runner.js'
import {readToolVersion, type ToolVersion} from './versions.js'

export interface GetOptions {
  namespace?: string
  /** `{key: value}` pairs, or a selector as kubectl takes it (`status!=superseded`). */
  selector?: Record<string, string> | string
}

export interface NodeReadiness {
  name: string
  /** The node's Ready condition is True. */
  ready: boolean
  /** What its kubelet reports, e.g. `v1.31.4+k3s1`. */
  kubeletVersion?: string
}

/** Pods whose logs `deskrun logs --follow` streams at once (kubectl's default is 5). */
const MAX_FOLLOWED_LOGS = 40

/** The field manager of everything deskrun applies: the owner of the fields it sets. */
export const FIELD_MANAGER = 'deskrun'

/** Server-side apply of the objects on stdin, which kubectl prints back as the API server stored them. */
const APPLY = ['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-']

export class Kubectl {
  constructor(
    private readonly runner: ToolRunner,
    private readonly kubeContext: string,
    private readonly kubeconfig?: string,
  ) {}

  private run(args: string[], options: RunOptions) {
    const kubeconfig = this.kubeconfig ? ['--kubeconfig', this.kubeconfig] : []
    return this.runner.run('kubectl', ['--context', this.kubeContext, ...kubeconfig, ...args], options)
  }

  /**
   * Server-side apply, as field manager `deskrun`, in one call. Client-side apply would keep a copy of
   * each object, a Secret's data included, in the last-applied-configuration annotation (shown by
   * `kubectl describe`). `--force-conflicts` because deskrun owns these objects, also those an older
   * deskrun applied client-side: on the first server-side apply kubectl (1.26 and later; deskrun needs
   * 1.27) hands their client-side fields to `deskrun` and applies again, which removes the old
   * annotation with its copy of the credentials.
   *
   * Whether anything changes is the plan's business (it compared the objects before); kubectl prints
   * `serverside-applied` either way. Objects travel as JSON on stdin, so a Secret's data never lands
   * on argv or disk.
   */
  async apply(objects: KubeObject[], step: string): Promise<void> {
    if (objects.length === 0) return
    // kubectl prints the Secrets back (base64): mask that form too, should any output ever be shown.
    for (const object of objects)
      if (object.kind === 'Secret')
        for (const value of Object.values(object.data ?? {})) registerSecret(String(value))
    const input = JSON.stringify({apiVersion: 'v1', kind: 'List', items: objects})
    await this.run(APPLY, {input, step})
  }

  /** The API server's version. Managed clusters report minors like "29+": the release is read from gitVersion. */
  async serverVersion(): Promise<KubernetesVersion> {
    const step = 'read the Kubernetes version of the cluster'
    const {stdout} = await this.run(['version', '--output', 'json'], {step})
    const gitVersion = (JSON.parse(stdout) as {serverVersion?: {gitVersion?: string}}).serverVersion
      ?.gitVersion
    const [, major, minor] = /^v?(\d+)\.(\d+)/.exec(gitVersion ?? '') ?? []
    if (!gitVersion || !major)
      throw new DeskrunError(`Could not ${step}: kubectl reported no server version.`, {code: 'TOOL_FAILED'})
    return {major: Number(major), minor: Number(minor), gitVersion}
  }

  /** The version of this kubectl (the client; it needs no cluster). */
  version(): Promise<ToolVersion> {
    return readToolVersion(this.runner, 'kubectl')
  }

  /** The cluster's nodes and whether each is Ready. */
  async nodes(): Promise<NodeReadiness[]> {
    type Node = {
      metadata: {name: string}
      status?: {conditions?: {type: string; status: string}[]; nodeInfo?: {kubeletVersion?: string}}
    }
    const nodes = await this.list<Node>('nodes', {}, 'list the cluster nodes')
    return nodes.map((node) => ({
      name: node.metadata.name,
      ready: Boolean(
        node.status?.conditions?.some(
          (condition) => condition.type === 'Ready' && condition.status === 'True',
        ),
      ),
      ...(node.status?.nodeInfo?.kubeletVersion ? {kubeletVersion: node.status.nodeInfo.kubeletVersion} : {}),
    }))
  }

  /**
   * Whether the user may `verb` `resource` (`kubectl auth can-i`): it prints "yes" and exits 0, or
   * prints "no" and exits 1.
   */
  async canI(verb: string, resource: string, namespace?: string): Promise<boolean> {
    const result = await this.run(
      ['auth', 'can-i', verb, resource, ...(namespace ? ['-n', namespace] : [])],
      {
        step: `ask whether you may ${verb} ${resource}`,
        allowFailure: true,
      },
    )
    if (result.stdout.trim() === 'yes') return true
    if (result.stdout.trim().startsWith('no')) return false
    throw toolFailure('kubectl', result, {step: `ask whether you may ${verb} ${resource}`})
  }

  /** One object by name, or undefined when there is none. */
  async get<T = KubeObject>(type: string, name: string, options: GetOptions = {}): Promise<T | undefined> {
    const {stdout} = await this.run(
      ['get', type, name, ...scope(options), '--ignore-not-found', '--output', 'json'],
      {step: `read ${type} ${name}`},
    )
    return stdout.trim() ? (JSON.parse(stdout) as T) : undefined
  }

  /** `managedFields`: keep metadata.managedFields (who wrote which fields, when), which kubectl leaves out. */
  async list<T = KubeObject>(
    type: string,
    options: GetOptions & {managedFields?: boolean} = {},
    step = `list ${type}`,
  ): Promise<T[]> {
    const shown = options.managedFields ? ['--show-managed-fields'] : []
    const result = await this.run(['get', type, ...scope(options), ...shown, '--output', 'json'], {
      step,
      allowFailure: true,
    })
    // Before the ARC CRDs exist, kubectl does not know their types: there are none of them.
    if (result.exitCode !== 0 && /doesn't have a resource type/.test(result.stderr)) return []
    if (result.exitCode !== 0) throw toolFailure('kubectl', result, {step})
    return (JSON.parse(result.stdout) as {items: T[]}).items
  }

  /**
   * `kubectl logs` of the pods the selector finds, each line prefixed with its pod and container and
   * handed to `onLine` as it comes. `follow` streams until the pods end or Ctrl-C: no time limit then.
   * Returns what kubectl said on stderr (say, that no pod matched).
   */
  async logs(
    options: GetOptions & {
      /** The container to read; none: every one of each pod (init containers too). */
      container?: string
      tail?: number
      follow?: boolean
      onLine: (line: string) => void
    },
  ): Promise<{stderr: string}> {
    const {container, tail, follow, onLine} = options
    const which = container === undefined ? ['--all-containers'] : ['--container', container]
    const args = ['logs', ...scope(options), ...which, '--prefix']
    if (tail !== undefined) args.push(`--tail=${tail}`)
    if (follow) args.push('--follow', `--max-log-requests=${MAX_FOLLOWED_LOGS}`)
    const result = await this.run(args, {step: 'read the logs', onLine, ...(follow ? {timeoutMs: 0} : {})})
    return {stderr: result.stderr}
  }

  async delete(type: string, options: GetOptions & {names?: string[]}): Promise<void> {
    const target = options.names ?? []
    if (target.length === 0 && !options.selector) return
    const wait = ['--wait', '--timeout', this.runner.toolTimeout()]
    await this.run(['delete', type, ...target, ...scope(options), '--ignore-not-found', ...wait], {
      ownTimeout: true,
      step: `delete ${type} ${target.join(' ')}`.trim(),
    })
  }
}

function scope(options: GetOptions): string[] {
  const args = options.namespace ? ['--namespace', options.namespace] : []
  const {selector} = options
  if (selector)
    args.push(
      '--selector',
      typeof selector === 'string'
        ? selector
        : Object.entries(selector)
            .map(([key, value]) => `${key}=${value}`)
            .join(','),
    )
  return args
}
