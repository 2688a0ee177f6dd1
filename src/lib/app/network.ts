/** What add, set and defaults do with --proxy, --no-proxy and --github-ca-file. */
import {readGitHubCA} from '../adapters/ca-file.js'
import {parseNoProxy, proxyProblem, splitProxy, type NetworkSettings} from '../domain/installation/network.js'
import {registerSecret} from '../domain/redact.js'
import type {ActionContext} from './context.js'

/** The --proxy, --no-proxy and --github-ca-file a command was given (add, set, defaults). */
export interface NetworkFlags {
  proxy?: string
  noProxy?: string[]
  githubCAFile?: string
}

/** --proxy (its password registered as a secret at once), --no-proxy and the CA bundle read from its file. */
export async function networkFrom(
  request: NetworkFlags,
  context: Pick<ActionContext, 'note'>,
  command = 'add',
): Promise<NetworkSettings> {
  const network: NetworkSettings = {}
  if (request.proxy !== undefined) {
    network.proxy = request.proxy.trim()
    if (!proxyProblem(network.proxy)) {
      const {credentials} = splitProxy(network.proxy)
      registerSecret(credentials?.password)
      if (credentials?.password)
        context.note(
          'The proxy password given with --proxy is visible in your shell history and process list; deskrun keeps it in ' +
            'the config (mode 0600) and hands it to the cluster as a Secret only.',
        )
    }
  }
  if (request.noProxy !== undefined && request.noProxy.length > 0)
    network.noProxy = parseNoProxy(request.noProxy)
  if (request.githubCAFile !== undefined)
    network.githubCA = await readGitHubCA(request.githubCAFile, {command, note: context.note})
  return network
}
