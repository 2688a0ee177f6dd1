/** The external tools, bound to one cluster's kube context. */
import {targetContext, type ClusterTarget} from '../../domain/settings.js'
import {Docker} from './docker.js'
import {Helm} from './helm.js'
import {Kind} from './kind.js'
import {Kubectl} from './kubectl.js'
import {ToolRunner, type RunnerOptions} from './runner.js'
import {Launchctl, Systemctl} from './service-managers.js'

export interface Tools {
  kind: Kind
  docker: Docker
  helm: Helm
  kubectl: Kubectl
}

export function createTools(target: ClusterTarget, options: RunnerOptions = {}): Tools {
  const runner = new ToolRunner(options)
  const context = targetContext(target)
  return {
    kind: new Kind(runner),
    docker: new Docker(runner),
    helm: new Helm(runner, context, target.kubeconfig),
    kubectl: new Kubectl(runner, context, target.kubeconfig),
  }
}

/** The service managers of this machine (`deskrun service`), bound to no cluster. */
export interface HostTools {
  systemctl: Systemctl
  launchctl: Launchctl
}

export function createHostTools(options: RunnerOptions = {}): HostTools {
  const runner = new ToolRunner(options)
  return {systemctl: new Systemctl(runner), launchctl: new Launchctl(runner)}
}

export type {HelmRelease} from './helm.js'
export type {ContainerMount, DockerVersion} from './docker.js'
export type {NodeReadiness} from './kubectl.js'
export type {ToolVersion} from './versions.js'
export {probe, reason, unlessFailed, type Probe} from './probe.js'
export {NoServiceManager, type LaunchdJob} from './service-managers.js'
