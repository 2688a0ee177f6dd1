/**
 * On a cluster of several nodes a cache is a folder on one node: an instance with caches must come back
 * to the node that has them. Each such instance is pinned to a node (`kubernetes.io/hostname`), chosen
 * once (the least busy node) and then kept in the config, so it is the same node on every `up`.
 * Caches on a storage class are not pinned: the scheduler keeps an instance's pods where its claim's
 * volume is (with the pods' affinity to one another, see sameNodeAsRunners), and a pin could only
 * disagree with that.
 */
import {instanceNames} from './naming.js'
import type {Installation} from './types.js'

export interface Pinning {
  installations: Installation[]
  /** The pins chosen now, per installation and instance: what the config should record. */
  assigned: Record<string, Record<string, string>>
}

/**
 * Pins every instance with caches that has no pin on one of `nodes` yet; nothing on a single node.
 * `others` are installations this command leaves as they are: their pins count as load too.
 */
export function pinToNodes(
  installations: Installation[],
  nodes: string[],
  others: Installation[] = [],
): Pinning {
  if (nodes.length < 2) return {installations, assigned: {}}
  const load = new Map([...nodes].sort().map((node) => [node, 0]))
  const pinOf = (installation: Installation, instance: string) =>
    installation.node ?? installation.nodes?.[instance]
  for (const installation of [...installations, ...others])
    for (const instance of instanceNames(installation.name, installation.instances)) {
      const node = pinOf(installation, instance)
      if (node !== undefined && load.has(node)) load.set(node, (load.get(node) ?? 0) + 1)
    }
  const assigned: Pinning['assigned'] = {}
  const pinned = installations.map((installation) => {
    const hostCaches = installation.caches.length > 0 && !installation.cacheStorage
    if (!hostCaches || installation.node !== undefined) return installation
    const nodesOf = {...installation.nodes}
    for (const instance of instanceNames(installation.name, installation.instances)) {
      if (load.has(nodesOf[instance] ?? '')) continue
      // The least busy node; among equals the first by name, so that the choice is the same every time.
      const [node] = [...load.entries()].reduce((best, entry) => (entry[1] < best[1] ? entry : best))
      load.set(node, (load.get(node) ?? 0) + 1)
      nodesOf[instance] = node
      assigned[installation.name] = {...assigned[installation.name], [instance]: node}
    }
    return {...installation, nodes: nodesOf}
  })
  return {installations: pinned, assigned}
}

/** Installations pinned with --node to a node the cluster does not have. */
export function missingNodes(
  installations: Installation[],
  nodes: string[],
): {installation: string; node: string}[] {
  return installations
    .filter((installation) => installation.node !== undefined && !nodes.includes(installation.node))
    .map((installation) => ({installation: installation.name, node: installation.node as string}))
}
