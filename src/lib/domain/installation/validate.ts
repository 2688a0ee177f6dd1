/**
 * Checks an installation before anything is saved or deployed. Every message names the flag that
 * fixes it and never repeats a token or key.
 */
import {resourceProblems} from './resources.js'
import type {ContainerMode} from '../modes/api.js'
import {ORIGINAL_CACHE_ROOT} from '../settings.js'
import {cacheProblems} from './caches.js'
import {cacheStorageProblems} from './claims.js'
import {imageReferenceProblem} from './image.js'
import {mountProblems} from './mounts.js'
import {inheritedNetworkProblems, networkProblems, type NetworkSettings} from './network.js'
import {MAX_INSTANCES} from './instances.js'
import {instanceNames, nameProblems} from './naming.js'
import {sharingProblems} from './sharing.js'
import type {Installation} from './types.js'

/** Flag names the messages refer to; commands should define these flags. */
export const FLAGS = {
  repository: '--repository',
  mode: '--mode',
  minRunners: '--min-runners',
  maxRunners: '--max-runners',
  instances: '--instances',
  cache: '--cache',
  mount: '--mount',
  runnerGroup: '--runner-group',
  runnerImage: '--runner-image',
  node: '--node',
  label: '--label',
  authType: '--auth-type',
  authValueFile: '--auth-value-file',
  authValue: '--auth-value',
  privateKeyFile: '--private-key-file',
  appId: '--app-id',
  installationId: '--installation-id',
} as const

export interface GitHubTarget {
  scope: 'repository' | 'organization' | 'enterprise'
  /** Lower-case host, with its port if one was given: github.com or a GitHub Enterprise Server host. */
  host: string
  owner?: string
  repo?: string
  enterprise?: string
  /** Canonical URL to store and give ARC (no trailing slash, no `.git`). */
  url: string
}

export const URL_FORMS =
  'https://github.com/OWNER/REPO (a repository), https://github.com/ORG (an organization) or ' +
  'https://github.com/enterprises/ENTERPRISE (an enterprise), or the same on a GitHub Enterprise Server host'

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,37}[A-Za-z0-9])?$/
const REPO = /^[A-Za-z0-9._-]{1,100}$/
const ENTERPRISE = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/
/** github.com paths that are pages, not organizations. */
const RESERVED_OWNERS = new Set([
  'enterprises',
  'orgs',
  'users',
  'settings',
  'apps',
  'organizations',
  'marketplace',
])

/** Well-known hosts that are not GitHub: ARC's runners register only with GitHub (github.com or GHES). */
const OTHER_FORGES: Record<string, string> = {
  'gitlab.com': 'GitLab',
  'bitbucket.org': 'Bitbucket',
  'dev.azure.com': 'Azure DevOps',
  'visualstudio.com': 'Azure DevOps',
  'codeberg.org': 'Codeberg',
}

function otherForge(hostname: string): string | undefined {
  const found = Object.keys(OTHER_FORGES).find(
    (forge) => hostname === forge || hostname.endsWith(`.${forge}`),
  )
  return found && OTHER_FORGES[found]
}

type UrlAnalysis = {target: GitHubTarget} | {reason: string}

function analyseUrl(input: string): UrlAnalysis {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    return {reason: 'it is not a URL'}
  }

  if (url.protocol === 'http:') return {reason: 'it must use https://'}
  if (url.protocol !== 'https:') return {reason: `it must be an https:// URL, not ${url.protocol}`}
  if (url.username || url.password)
    return {reason: 'it must not contain credentials; give them with --auth-type'}
  if (url.search || url.hash) return {reason: 'it must not have a query (?...) or fragment (#...)'}
  const host = url.host.toLowerCase()
  const forge = otherForge(url.hostname.toLowerCase())
  if (forge)
    return {
      reason: `${host} is ${forge}, not GitHub; deskrun's runners (GitHub Actions) register only with GitHub`,
    }
  if (host.endsWith('.github.com') || host.endsWith('githubusercontent.com')) {
    return {reason: `${host} is not where runners register; use github.com`}
  }

  const segments = url.pathname.replace(/\/+$/, '').split('/').slice(1)
  if (segments.length === 0 || segments.some((segment) => segment === '' || segment.includes('%'))) {
    return {
      reason:
        segments.length === 0
          ? 'it names no repository, organization or enterprise'
          : 'its path is malformed',
    }
  }

  if (segments[0] === 'enterprises') {
    if (segments.length === 2 && ENTERPRISE.test(segments[1])) {
      return {
        target: {
          scope: 'enterprise',
          host,
          enterprise: segments[1],
          url: `https://${host}/enterprises/${segments[1]}`,
        },
      }
    }

    return {reason: 'an enterprise URL is https://HOST/enterprises/ENTERPRISE'}
  }

  const [owner, rawRepo] = segments
  if (!OWNER.test(owner) || RESERVED_OWNERS.has(owner.toLowerCase())) {
    return {reason: `"${owner}" is not an organization or user name`}
  }

  if (segments.length === 1)
    return {target: {scope: 'organization', host, owner, url: `https://${host}/${owner}`}}
  if (segments.length > 2) return {reason: 'it points inside a repository; use the repository URL itself'}
  const repo = rawRepo.endsWith('.git') && rawRepo.length > 4 ? rawRepo.slice(0, -4) : rawRepo
  if (!REPO.test(repo) || ['.', '..', '.git'].includes(repo.toLowerCase()))
    return {reason: `"${rawRepo}" is not a repository name`}
  return {target: {scope: 'repository', host, owner, repo, url: `https://${host}/${owner}/${repo}`}}
}

/** Reads a repository, organization or enterprise URL the way ARC's githubConfigUrl expects it. */
export function parseGitHubUrl(url: string): GitHubTarget | undefined {
  const analysis = analyseUrl(url)
  return 'target' in analysis ? analysis.target : undefined
}

/** Why ARC would not take `url` as githubConfigUrl (for example "it must use https://"); undefined when it would. */
export function githubUrlProblem(url: string): string | undefined {
  const analysis = analyseUrl(url)
  return 'reason' in analysis ? analysis.reason : undefined
}

/** The URL as it may appear in a message: credentials removed, nothing echoed if it is no URL at all. */
function displayUrl(url: string): string {
  const trimmed = url.trim()
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return ''
  return ` "${trimmed.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@')}"`
}

function urlProblems(url: string): string[] {
  if (url.trim() === '') return [`${FLAGS.repository} is required: use ${URL_FORMS}.`]
  const analysis = analyseUrl(url)
  if ('target' in analysis) return []
  return [`${FLAGS.repository}${displayUrl(url)} is not usable: ${analysis.reason}. Use ${URL_FORMS}.`]
}

const isCount = (value: number, min: number): boolean => Number.isInteger(value) && value >= min

function scalingProblems(inst: Installation): string[] {
  const problems: string[] = []
  const minOk = isCount(inst.minRunners, 0)
  const maxOk = isCount(inst.maxRunners, 0)
  const instancesOk = isCount(inst.instances, 1)
  if (!minOk) problems.push(`${FLAGS.minRunners} must be a whole number ≥ 0 (got ${inst.minRunners}).`)
  if (!maxOk) problems.push(`${FLAGS.maxRunners} must be a whole number ≥ 0 (got ${inst.maxRunners}).`)
  if (!instancesOk) problems.push(`${FLAGS.instances} must be a whole number ≥ 1 (got ${inst.instances}).`)
  if (!minOk || !maxOk || !instancesOk) return problems
  if (inst.instances > MAX_INSTANCES)
    problems.push(
      `${FLAGS.instances} ${inst.instances} is more than deskrun runs: at most ${MAX_INSTANCES}. Each instance is a ` +
        `scale set with its own listener and runner pods, and the kind node runs at most 110 pods. For more runners ` +
        `without a cache each, use one scale set with ${FLAGS.maxRunners}.`,
    )

  if (inst.instances > 1 && (inst.minRunners !== 1 || inst.maxRunners !== 1)) {
    problems.push(
      `${FLAGS.minRunners} and ${FLAGS.maxRunners} cannot be combined with ${FLAGS.instances} ${inst.instances}: ` +
        `each instance runs exactly one runner (min 1, max 1). Drop them, or use a single instance and ` +
        `${FLAGS.maxRunners} to scale one scale set.`,
    )
  } else if (inst.minRunners > inst.maxRunners) {
    problems.push(
      `${FLAGS.minRunners} (${inst.minRunners}) is greater than ${FLAGS.maxRunners} (${inst.maxRunners}); ` +
        `raise ${FLAGS.maxRunners} or lower ${FLAGS.minRunners}.`,
    )
  }

  return problems
}

const NUMERIC_ID = /^[0-9]+$/
/** Client IDs look like `Iv1.0123456789abcdef` (older Apps) or `Iv23liAbCdEf01234567`. */
const CLIENT_ID = /^Iv[0-9]+\.?[A-Za-z0-9]{8,}$/
const PEM_BLOCK = /^-----BEGIN ((?:RSA )?PRIVATE KEY)-----\r?\n[A-Za-z0-9+/=\r\n]+\r?\n-----END \1-----$/

/** What is wrong with a GitHub App private key (the one rule, for flags, the config and the Secret); undefined when nothing. */
export function privateKeyProblem(key: string): string | undefined {
  const where = `pass the App's .pem file with ${FLAGS.privateKeyFile} PATH`
  const trimmed = key.trim()
  if (trimmed === '') return `--auth-type github-app needs the App's private key: ${where}.`
  if (!trimmed.includes('\n') && trimmed.includes('\\n')) {
    return (
      `The private key has literal \\n sequences instead of line breaks (a copy-paste mangling that makes ` +
      `GitHub answer 401): ${where}.`
    )
  }

  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(trimmed)) {
    return `The private key is encrypted with a passphrase; ARC needs the key as GitHub gave it: ${where}.`
  }

  if (/-----BEGIN (?:RSA )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(trimmed)) {
    return `That is a public key or certificate, not the App's private key: ${where}.`
  }

  if (!PEM_BLOCK.test(trimmed)) {
    return (
      `The private key does not look like a PEM private key (a "BEGIN RSA PRIVATE KEY" or "BEGIN PRIVATE KEY" block, ` +
      `with its line breaks): ${where}.`
    )
  }

  return undefined
}

function authProblems(inst: Installation, scope: GitHubTarget['scope'] | undefined): string[] {
  const auth = inst.auth
  const fromFile = `${FLAGS.authValueFile} PATH (or ${FLAGS.authValue})`
  if (auth.type === 'pat') {
    const token = auth.token.trim()
    if (token === '') return [`--auth-type pat needs a token: pass it with ${fromFile}.`]
    if (token.includes('-----BEGIN')) {
      return [`The token looks like a private key; for a GitHub App use --auth-type github-app.`]
    }

    if (/\s/.test(token))
      return [`The token contains spaces or line breaks; pass only the token with ${fromFile}.`]
    return []
  }

  if (auth.type !== 'github-app') {
    return [`${FLAGS.authType} must be pat or github-app (got ${String((auth as {type: unknown}).type)}).`]
  }

  const problems: string[] = []
  if (scope === 'enterprise') {
    problems.push(
      `GitHub Apps cannot register enterprise-level runners: use --auth-type pat with a token that has the ` +
        `manage_runners:enterprise scope, or point ${FLAGS.repository} at an organization or repository.`,
    )
  }

  if (auth.appId.trim() === '') {
    problems.push(
      `--auth-type github-app needs ${FLAGS.appId}: the App ID (e.g. 123456) or Client ID (Iv23li...).`,
    )
  } else if (!NUMERIC_ID.test(auth.appId.trim()) && !CLIENT_ID.test(auth.appId.trim())) {
    problems.push(
      `${FLAGS.appId} must be the App's numeric App ID (e.g. 123456) or its Client ID (e.g. Iv23liAbCdEf01234567 ` +
        `or Iv1.0123456789abcdef); both are on the App's settings page.`,
    )
  }

  if (auth.installationId.trim() === '') {
    problems.push(
      `--auth-type github-app needs ${FLAGS.installationId}: the number at the end of the App installation's ` +
        `settings URL (.../settings/installations/NUMBER).`,
    )
  } else if (!NUMERIC_ID.test(auth.installationId.trim())) {
    problems.push(`${FLAGS.installationId} must be a number (the end of .../settings/installations/NUMBER).`)
  }

  const keyProblem = privateKeyProblem(auth.privateKey)
  if (keyProblem) problems.push(keyProblem)
  return problems
}

export type ModeInfo = Pick<ContainerMode, 'name' | 'takesCaches' | 'validate'>

export interface ValidationOptions {
  /** The container modes deskrun knows (built-in and from plugins). */
  modes: readonly ModeInfo[]
  /** Host folder that must hold explicit cache sources; default: the original's, as in a config without one. */
  cacheRoot?: string
  /** Other installations of the config, to catch scale set names and cache folders used twice. */
  otherInstallations?: readonly Installation[]
  /** Resolves symbolic links on this machine, so that folders are compared where they really are. */
  realPath?: (folder: string) => string
  /** The config's proxy and CA (`deskrun defaults`): those the installation uses are checked too. */
  networkDefaults?: NetworkSettings
}

function modeProblems(inst: Installation, modes: readonly ModeInfo[]): string[] {
  const mode = modes.find((candidate) => candidate.name === inst.mode)
  if (!mode) {
    const known = modes.map((candidate) => candidate.name).join(', ')
    return [
      known
        ? `${FLAGS.mode} "${inst.mode}" is not a known container mode; known modes: ${known}.`
        : `${FLAGS.mode} "${inst.mode}" is not available: no container modes are registered.`,
    ]
  }

  const problems: string[] = []
  if (inst.caches.length > 0 && !mode.takesCaches) {
    const takers = modes.filter((candidate) => candidate.takesCaches).map((candidate) => candidate.name)
    problems.push(
      `${FLAGS.mode} ${mode.name} does not take caches: drop ${FLAGS.cache}` +
        (takers.length > 0 ? `, or use a mode that takes them (${takers.join(', ')}).` : '.'),
    )
  }

  if (mode.validate) {
    const {auth, ...rest} = inst
    try {
      const found: unknown = mode.validate({...rest, authType: auth.type})
      if (Array.isArray(found)) problems.push(...found.map(String))
      else problems.push(`Container mode ${mode.name} gave no list of problems from its validate step.`)
    } catch (error) {
      problems.push(
        `Container mode ${mode.name} failed to check the installation: ${(error as Error).message}`,
      )
    }
  }

  return problems
}

function clashProblems(inst: Installation, others: ValidationOptions['otherInstallations'] = []): string[] {
  const mine = new Set(instanceNames(inst.name, isCount(inst.instances, 1) ? inst.instances : 1))
  const problems: string[] = []
  for (const other of others) {
    if (other.name === inst.name) continue
    const shared = instanceNames(other.name, other.instances).filter((name) => mine.has(name))
    if (shared.length > 0) {
      problems.push(
        `The scale set name ${shared[0]} is already used by installation ${other.name}; choose another name.`,
      )
    }
  }

  return problems
}

function labelProblems(inst: Installation): string[] {
  const problems: string[] = []
  if (inst.runnerImage !== undefined) {
    const problem = imageReferenceProblem(inst.runnerImage, FLAGS.runnerImage)
    if (problem) problems.push(problem)
  }
  if (inst.runnerGroup !== undefined && inst.runnerGroup.trim() === '') {
    problems.push(`${FLAGS.runnerGroup} is empty; give the runner group's name or leave the flag out.`)
  }
  // A node's name is a DNS subdomain (what `kubectl get nodes` prints).
  if (inst.node !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(inst.node)) {
    problems.push(
      `${FLAGS.node} "${inst.node}" is not a node name: lower-case letters, digits, '-' and '.' (see kubectl get nodes).`,
    )
  }

  const seen = new Set<string>()
  for (const label of inst.labels) {
    if (label.trim() === '' || /[\s,]/.test(label)) {
      problems.push(`${FLAGS.label} "${label}" must be a non-empty word without spaces or commas.`)
    } else if (seen.has(label)) {
      problems.push(`${FLAGS.label} ${label} is given more than once.`)
    }

    seen.add(label)
  }

  return problems
}

/** Where the caches live on this machine: only for caches that are well-formed and will be mounted. */
function cacheFolderProblems(inst: Installation, opts: ValidationOptions, cacheRoot: string): string[] {
  const mode = opts.modes.find((candidate) => candidate.name === inst.mode)
  if (inst.caches.length === 0 || (mode && !mode.takesCaches)) return []
  return sharingProblems(inst, opts.otherInstallations ?? [], {cacheRoot, realPath: opts.realPath})
}

/**
 * What deskrun deploys as asked but the user most likely did not mean, one message per finding: a scale
 * set that can never run a job, or a runs-on name that two installations answer to (GitHub then gives
 * a job to either). For an installation without problems.
 */
export function installationWarnings(inst: Installation, others: readonly Installation[] = []): string[] {
  const warnings: string[] = []
  if (inst.instances === 1 && inst.maxRunners === 0)
    warnings.push(
      `${inst.name} has ${FLAGS.maxRunners} 0, so it never starts a runner: jobs with runs-on: ${inst.name} wait ` +
        `until it may. Give it ${FLAGS.maxRunners} 1 or more (deskrun remove ${inst.name}, then add it again).`,
    )
  const mine = instanceNames(inst.name, inst.instances)
  for (const other of others) {
    if (other.name === inst.name) continue
    const theirs = instanceNames(other.name, other.instances)
    for (const label of inst.labels.filter((label) => theirs.includes(label)))
      warnings.push(
        `${FLAGS.label} ${label} of ${inst.name} is the runs-on name of installation ${other.name}: jobs meant ` +
          `for ${other.name} may run on ${inst.name} too. Use a label of its own unless that is what you want.`,
      )
    for (const label of other.labels.filter((label) => mine.includes(label)))
      warnings.push(
        `${label}, a runs-on name of ${inst.name}, is also a ${FLAGS.label} of installation ${other.name}: jobs ` +
          `for runs-on: ${label} may run on ${other.name} too.`,
      )
  }
  return warnings
}

/** Everything wrong with an installation, one message per problem; empty when it can be deployed. */
export function installationProblems(inst: Installation, opts: ValidationOptions): string[] {
  const target = parseGitHubUrl(inst.repository)
  const cacheRoot = opts.cacheRoot ?? ORIGINAL_CACHE_ROOT
  return [
    ...nameProblems(inst.name, inst.instances),
    ...clashProblems(inst, opts.otherInstallations),
    ...urlProblems(inst.repository),
    ...modeProblems(inst, opts.modes),
    ...scalingProblems(inst),
    // Host folders (SRC:PATH) are no matter of caches on a storage class: cacheStorageProblems refuses them.
    ...cacheProblems(inst.cacheStorage ? inst.caches.map(({target}) => ({target})) : inst.caches, {
      cacheRoot,
    }),
    ...cacheStorageProblems(inst),
    ...cacheFolderProblems(inst, opts, cacheRoot),
    ...mountProblems(inst, cacheRoot),
    ...networkProblems(inst),
    ...inheritedNetworkProblems(inst, opts.networkDefaults),
    ...labelProblems(inst),
    ...authProblems(inst, target?.scope),
    ...resourceProblems(inst),
  ]
}
