/**
 * The proxies and GitHub CAs of the config, as set in the defaults and by installations of their own:
 * a proxy URL must be one ARC takes, and its host must resolve and accept a connection (nothing is
 * sent, so no credential leaves); a CA bundle must hold certificates that parse and are valid now.
 */
import {checkCABundle} from '../../../domain/installation/certificates.js'
import {caProblem, displayProxy, proxyProblem} from '../../../domain/installation/network.js'
import type {DoctorContext, NetworkSubject} from '../context.js'
import {fail, ok, warn, type Check} from '../types.js'

/** A proxy that has not answered by then will not serve runners either. */
export const PROXY_TIMEOUT_MS = 5000

const who = (subject: NetworkSubject) => subject.installation ?? 'the defaults'

/** How to set it again: the defaults by `deskrun defaults`, an installation's own by `deskrun set`. */
function fixWith(subject: NetworkSubject, flag: string, value: string, clear: string): string {
  return subject.installation === undefined
    ? `deskrun defaults ${flag} ${value} (or ${clear})`
    : `deskrun set ${subject.installation} ${flag} ${value} (or ${clear} to use the defaults)`
}

/** host:port of a proxy URL, as the proxy's clients connect to it (default ports of http and https). */
function endpoint(url: string): {host: string; port: number} {
  const parsed = new URL(url.trim())
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80),
  }
}

export async function checkProxies(ctx: DoctorContext): Promise<Check | undefined> {
  const subjects = ctx.network.filter((subject) => subject.proxy !== undefined)
  if (subjects.length === 0) return undefined
  // One probe per host and port, however many installations use it.
  const probes = new Map<string, Promise<string | undefined>>()
  const problemOf = (url: string): Promise<string | undefined> => {
    const malformed = proxyProblem(url)
    if (malformed) return Promise.resolve(malformed)
    const {host, port} = endpoint(url)
    const key = `${host}:${port}`
    if (!probes.has(key))
      probes.set(
        key,
        ctx.facts.reach(host, port, PROXY_TIMEOUT_MS).then((answer) => {
          if (answer.ok) return undefined
          return answer.stage === 'resolve'
            ? `${host} does not resolve (${answer.reason})`
            : `${key} does not accept a connection (${answer.reason})`
        }),
      )
    return probes.get(key)!
  }
  const found = await Promise.all(
    subjects.map(async (subject) => ({subject, problem: await problemOf(subject.proxy!)})),
  )
  const base = {id: 'proxy', title: 'Proxy'} as const
  const said = found.map(({subject, problem}) => {
    // A malformed URL's problem names the flag and the URL (credentials masked) itself.
    if (problem?.startsWith('--proxy')) return `${who(subject)}: ${problem}`
    return `${who(subject)}: ${displayProxy(subject.proxy!)}${problem ? `: ${problem}` : ' accepts connections'}`
  })
  const failed = found.filter(({problem}) => problem !== undefined)
  if (failed.length === 0) return ok({...base, found: said.join('; ')})
  return fail({
    ...base,
    found: said.join('; '),
    fix: [
      'Give a proxy that this machine reaches (runners reach GitHub only through it):',
      ...failed.map(({subject}) => fixWith(subject, '--proxy', 'URL', '--clear-proxy')),
    ].join('\n'),
  })
}

export async function checkGitHubCAs(ctx: DoctorContext): Promise<Check | undefined> {
  const subjects = ctx.network.filter((subject) => subject.githubCA !== undefined)
  if (subjects.length === 0) return undefined
  const now = ctx.facts.now()
  const found = subjects.map((subject) => {
    const pem = subject.githubCA!
    const shape = caProblem(pem, 'the CA kept in the config')
    const report = shape ? undefined : checkCABundle(pem, now)
    const problem = shape ?? report?.problem
    const certificates = report?.certificates
      .map(
        (certificate) => `${certificate.subject}, until ${certificate.notAfter.toISOString().slice(0, 10)}`,
      )
      .join('; ')
    return {subject, problem, warnings: report?.warnings ?? [], certificates}
  })
  const base = {id: 'github-ca', title: 'GitHub CA'} as const
  const said = found
    .map(({subject, problem, warnings, certificates}) =>
      problem
        ? `${who(subject)}: ${problem}`
        : `${who(subject)}: ${certificates}${warnings.length > 0 ? ` (${warnings.join('; ')})` : ''}`,
    )
    .join('. ')
  const bad = found.filter(({problem, warnings}) => problem !== undefined || warnings.length > 0)
  if (bad.length === 0) return ok({...base, found: said})
  const fix = [
    "Export your GitHub Enterprise Server's current CA as PEM and give it again:",
    ...bad.map(({subject}) => fixWith(subject, '--github-ca-file', 'FILE', '--clear-github-ca')),
  ].join('\n')
  return found.some(({problem}) => problem !== undefined)
    ? fail({...base, found: said, fix})
    : warn({...base, found: said, fix, summary: 'a GitHub CA certificate is out of date'})
}
