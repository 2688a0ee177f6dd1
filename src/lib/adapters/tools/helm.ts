import {yaml} from '../../domain/yaml.js'
import type {RunOptions, ToolRunner} from './runner.js'
import {readToolVersion, type ToolVersion} from './versions.js'

export interface HelmRelease {
  name: string
  namespace: string
  revision: string
  updated: string
  /** deployed, failed, pending-install, pending-upgrade, pending-rollback, uninstalling, ... */
  status: string
  /** `<chart name>-<chart version>` */
  chart: string
  app_version: string
}

export interface UpgradeInstallRequest {
  release: string
  chart: string
  version: string
  namespace: string
  values: Record<string, unknown>
  /** Helm release labels (helm >= 3.13): how deskrun recognises its own releases. */
  labels?: Record<string, string>
  step: string
  hint?: string
}

export class Helm {
  constructor(
    private readonly runner: ToolRunner,
    private readonly kubeContext: string,
    private readonly kubeconfig?: string,
  ) {}

  private run(args: string[], options: RunOptions) {
    const kubeconfig = this.kubeconfig ? ['--kubeconfig', this.kubeconfig] : []
    return this.runner.run('helm', [...args, '--kube-context', this.kubeContext, ...kubeconfig], options)
  }

  /** The client's version: it needs no cluster, so no kube context either. */
  version(): Promise<ToolVersion> {
    return readToolVersion(this.runner, 'helm')
  }

  /** All releases of a namespace, pending and failed ones included. */
  async releases(namespace: string, selector?: Record<string, string>): Promise<HelmRelease[]> {
    const args = ['list', '--namespace', namespace, '--all', '--output', 'json']
    if (selector) args.push('--selector', labelList(selector))
    const {stdout} = await this.run(args, {step: `list Helm releases in ${namespace}`})
    return JSON.parse(stdout || '[]') as HelmRelease[]
  }

  async release(namespace: string, name: string): Promise<HelmRelease | undefined> {
    return (await this.releases(namespace)).find((release) => release.name === name)
  }

  /** Values go on stdin: no temp file, nothing on argv. */
  async upgradeInstall(
    request: UpgradeInstallRequest,
    options: Pick<RunOptions, 'onLine' | 'timeoutMs'> = {},
  ): Promise<void> {
    const args = ['upgrade', '--install', request.release, request.chart, '--version', request.version]
    args.push('--namespace', request.namespace, '--create-namespace', '--values', '-', ...this.wait())
    if (request.labels) args.push('--labels', labelList(request.labels))
    await this.run(args, {
      ...options,
      ownTimeout: true,
      input: yaml().stringify(request.values),
      step: request.step,
      hint: request.hint,
    })
  }

  async uninstall(
    namespace: string,
    release: string,
    options: Pick<RunOptions, 'onLine' | 'hint'> = {},
  ): Promise<void> {
    await this.run(['uninstall', release, '--namespace', namespace, ...this.wait()], {
      ...options,
      ownTimeout: true,
      step: `uninstall the Helm release ${release}`,
    })
  }

  async rollback(namespace: string, release: string): Promise<void> {
    await this.run(['rollback', release, '--namespace', namespace, ...this.wait()], {
      ownTimeout: true,
      step: `roll back ${release}`,
    })
  }

  /** helm waits for the objects itself, up to deskrun's per-call limit, and then reports what is not ready. */
  private wait(): string[] {
    return ['--wait', '--timeout', this.runner.toolTimeout()]
  }
}

function labelList(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',')
}
