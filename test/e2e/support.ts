/**
 * What the end-to-end suite shares: a private DESKRUN_HOME and kubeconfig, one way to run deskrun and
 * the real tools, and cleanup that leaves the machine as it was. See docs/e2e.md.
 */
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {execa} from 'execa'

import {NODE_CACHE_ROOT, kubeContext} from '../../src/lib/domain/settings.js'
import {nodeContainer} from '../../src/lib/pipeline/cluster.js'
import {formatDuration} from '../../src/lib/domain/duration.js'
import {DeskrunError} from '../../src/lib/domain/errors.js'
import {ALL_TOOLS, requireTools, toolPath} from '../../src/lib/adapters/tools/prerequisites.js'

export const E2E_ENABLED = process.env.DESKRUN_E2E === '1'
export const E2E_SKIPPED =
  'e2e skipped: set DESKRUN_E2E=1 to run it (needs Docker; it creates and deletes the kind cluster deskrun-e2e). See docs/e2e.md.'

export const CLUSTER = 'deskrun-e2e'
export const KUBE_CONTEXT = kubeContext(CLUSTER)
/** Shaped like a PAT, accepted by deskrun, useless on GitHub: the lifecycle tests never reach GitHub. */
export const DUMMY_TOKEN = 'ghp_e2eDummyTokenThatIsNotReal0000000000'

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/run.js')

/** Where a GitHub credential may sit in the suite's own environment; none of them reaches a child. */
const CREDENTIAL_VARIABLES = ['E2E_GITHUB_TOKEN', 'DESKRUN_AUTH_VALUE', 'GITHUB_TOKEN', 'GH_TOKEN']

/**
 * The environment of every process the suite starts: the suite's own minus any credential (deskrun
 * reads the token from a 0600 file or stdin), deskrun's config and kind's kubeconfig in the private
 * home, and the tool search path deskrun itself uses, so that the user's ~/.deskrun/bin (what
 * `deskrun doctor --fix` installed) serves the suite's deskrun and its kubectl alike.
 */
export function childEnv(parent: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(parent).filter(([name]) => !CREDENTIAL_VARIABLES.includes(name.toUpperCase())),
  )
  return {
    ...env,
    PATH: toolPath(parent),
    DESKRUN_HOME: home,
    KUBECONFIG: path.join(home, 'kubeconfig'),
    // Plain progress lines instead of a live display.
    CI: '1',
  }
}

export interface Result {
  exitCode: number
  stdout: string
  stderr: string
}

export class Sandbox {
  home = ''
  cacheRoot = ''
  /** Every deskrun result, for the check that no credential was ever printed. */
  readonly outputs: Result[] = []
  private env: NodeJS.ProcessEnv = {}

  async setUp(): Promise<void> {
    // The same lookup deskrun makes, with the same advice (`deskrun doctor --fix` serves the suite too).
    await requireTools(ALL_TOOLS).catch((error: unknown) => {
      throw error instanceof DeskrunError ? new Error(`${error.message}\n${error.hint ?? ''}`) : error
    })
    this.home = await mkdtemp(path.join(os.tmpdir(), 'deskrun-e2e-'))
    this.env = childEnv(process.env, this.home)
    this.cacheRoot = path.join(this.home, 'cache')
    await mkdir(this.cacheRoot, {recursive: true})
    await writeFile(
      path.join(this.home, 'config.json'),
      JSON.stringify({version: 1, cluster_name: CLUSTER, cache_root: this.cacheRoot, installations: {}}),
      {mode: 0o600},
    )
    // A cluster left by an earlier run (DESKRUN_E2E_KEEP=1, or a killed run) would skew every test.
    await this.tool('kind', 'delete', 'cluster', '--name', CLUSTER)
  }

  /** Sets `chart_version` in the config (undefined: back to deskrun's pinned version). */
  async setChartVersion(version: string | undefined): Promise<void> {
    const file = path.join(this.home, 'config.json')
    const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
    if (version === undefined) delete config.chart_version
    else config.chart_version = version
    await writeFile(file, JSON.stringify(config, null, 2), {mode: 0o600})
  }

  /** The built CLI, as a user runs it; `input` goes to its stdin (e.g. for --auth-value -). */
  async deskrun(args: string[], options: {input?: string} = {}): Promise<Result> {
    const result = await execa(process.execPath, [cli, ...args], {
      env: this.env,
      extendEnv: false,
      input: options.input,
      reject: false,
    })
    const outcome = {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr}
    this.outputs.push(outcome)
    return outcome
  }

  /** A real tool with the suite's environment; throws with its stderr when it fails. */
  async tool(name: 'kind' | 'kubectl' | 'helm' | 'docker', ...args: string[]): Promise<string> {
    const result = await execa(name, args, {env: this.env, extendEnv: false, reject: false})
    if (result.exitCode !== 0) throw new Error(`${result.shortMessage}\n${result.stderr}`)
    return result.stdout
  }

  async kubectl(...args: string[]): Promise<string> {
    return this.tool('kubectl', '--context', KUBE_CONTEXT, ...args)
  }

  /**
   * Deletes an installation's caches through the kind node: jobs write them as root, so on Linux the
   * suite's own user could not delete the host folders. Nothing to do when the node is gone.
   */
  async purgeCaches(installation: string): Promise<void> {
    await execa(
      'docker',
      ['exec', nodeContainer(CLUSTER), 'rm', '-rf', `${NODE_CACHE_ROOT}/${installation}`],
      {
        env: this.env,
        extendEnv: false,
        reject: false,
      },
    )
  }

  /** Deletes the cluster and the private home, unless DESKRUN_E2E_KEEP=1 (then says where they are). */
  async tearDown(): Promise<void> {
    if (!this.home) return
    if (process.env.DESKRUN_E2E_KEEP === '1') {
      console.log(
        `      kept for inspection: cluster ${CLUSTER} (kind export kubeconfig --name ${CLUSTER}) and DESKRUN_HOME=${this.home}`,
      )
      return
    }
    await execa('kind', ['delete', 'cluster', '--name', CLUSTER], {
      env: this.env,
      extendEnv: false,
      reject: false,
    })
    try {
      await rm(this.home, {recursive: true, force: true})
    } catch (error) {
      console.log(
        `      could not delete ${this.home} (${(error as NodeJS.ErrnoException).code}); delete it with: sudo rm -rf ${this.home}`,
      )
    }
  }
}

/**
 * Calls `probe` every `intervalMs` until it returns something, at most `timeoutMs` long (a bounded
 * number of attempts). The error says what was awaited and what `probe` last reported.
 */
export async function waitFor<T>(
  what: string,
  options: {timeoutMs: number; intervalMs: number},
  probe: () => Promise<{value?: T; status: string}>,
): Promise<T> {
  const attempts = Math.max(1, Math.ceil(options.timeoutMs / options.intervalMs))
  let status = 'not checked yet'
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const answer = await probe()
    if (answer.value !== undefined) return answer.value
    status = answer.status
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, options.intervalMs))
  }
  throw new Error(
    `Gave up waiting for ${what} after ${formatDuration(options.timeoutMs)}. Last seen: ${status}`,
  )
}
