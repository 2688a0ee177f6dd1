/**
 * The scale set values and objects for `--proxy`, `--no-proxy` and `--github-ca-file` (chart values
 * `proxy` and `githubServerTLS`). The controller reads both from the AutoscalingRunnerSet for its own
 * GitHub calls and gives the proxy to the listener and runner pods; the chart mounts the CA into the
 * runner. The proxy's credentials and the CA live in objects of their own, one per scale set.
 */
import {githubCAName, proxySecretName} from '../installation/naming.js'
import {CA_KEY, CA_RUNNER_MOUNT_PATH, splitProxy} from '../installation/network.js'
import type {Installation} from '../installation/types.js'
import type {KubeObject} from '../kube.js'

const base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64')

type Network = Pick<Installation, 'proxy' | 'noProxy' | 'githubCA'>

export function networkValues(installation: Network, instanceName: string): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  if (installation.proxy !== undefined) {
    const {url, credentials} = splitProxy(installation.proxy)
    const endpoint = {url, ...(credentials ? {credentialSecretRef: proxySecretName(instanceName)} : {})}
    // One proxy for both: GitHub is https, and a proxy URL's scheme is how to reach the proxy itself.
    values.proxy = {
      http: endpoint,
      https: {...endpoint},
      ...(installation.noProxy?.length ? {noProxy: [...installation.noProxy]} : {}),
    }
  }
  if (installation.githubCA !== undefined)
    values.githubServerTLS = {
      certificateFrom: {configMapKeyRef: {name: githubCAName(instanceName), key: CA_KEY}},
      runnerMountPath: CA_RUNNER_MOUNT_PATH,
    }
  return values
}

/** The proxy credentials Secret (keys `username`, `password`, as ARC reads them) and the CA ConfigMap. */
export function networkObjects(
  installation: Network,
  instanceName: string,
  namespace: string,
  labels: Readonly<Record<string, string>>,
): KubeObject[] {
  const objects: KubeObject[] = []
  const credentials =
    installation.proxy === undefined ? undefined : splitProxy(installation.proxy).credentials
  if (credentials)
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {name: proxySecretName(instanceName), namespace, labels: {...labels}},
      type: 'Opaque',
      // data, not stringData, as in authSecret: so that an unchanged Secret compares equal to the live one.
      data: {username: base64(credentials.username), password: base64(credentials.password)},
    })
  if (installation.githubCA !== undefined)
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: githubCAName(instanceName), namespace, labels: {...labels}},
      data: {[CA_KEY]: `${installation.githubCA.trim()}\n`},
    })
  return objects
}
