import {DeskrunError} from '../errors.js'
import type {KubeObject, KubernetesVersion} from '../kube.js'
import {type RunOptions, type ToolRunner, toolFailure} from './runner.js'

export interface GetOptions {
  namespace?: string
  selector?: Record<string, string>
}

export interface ApplyOutcome {
  /** e.g. `secret/my-runner-github-auth` */
  object: string
  /** created, configured or unchanged */
  action: string
}

export class Kubectl {
  constructor(
    private readonly runner: ToolRunner,
    private readonly kubeContext: string,
  ) {}

  private run(args: string[], options: RunOptions) {
    return this.runner.run('kubectl', ['--context', this.kubeContext, ...args], options)
  }

  /** Objects travel as JSON on stdin, so a Secret's data never lands on argv or disk. */
  async apply(objects: KubeObject[], step: string): Promise<ApplyOutcome[]> {
    if (objects.length === 0) return []
    const list = {apiVersion: 'v1', kind: 'List', items: objects}
    const {stdout} = await this.run(['apply', '-f', '-'], {input: JSON.stringify(list), step})
    return stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((words) => words.length >= 2)
      .map(([object, action]) => ({object, action}))
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

  async list<T = KubeObject>(type: string, options: GetOptions = {}): Promise<T[]> {
    const step = `list ${type}`
    const result = await this.run(['get', type, ...scope(options), '--output', 'json'], {
      step,
      allowFailure: true,
    })
    // Before the ARC CRDs exist, kubectl does not know their types: there are none of them.
    if (result.exitCode !== 0 && /doesn't have a resource type/.test(result.stderr)) return []
    if (result.exitCode !== 0) throw toolFailure('kubectl', result, {step})
    return (JSON.parse(result.stdout) as {items: T[]}).items
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
  if (options.selector)
    args.push(
      '--selector',
      Object.entries(options.selector)
        .map(([key, value]) => `${key}=${value}`)
        .join(','),
    )
  return args
}
