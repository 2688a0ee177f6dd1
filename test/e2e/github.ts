/**
 * The GitHub side of the end-to-end suite, through GitHub's REST API and Node's own fetch: is the
 * scale set's runner online, dispatch the e2e workflow to it, follow the run. The pure functions read
 * GitHub's answers as its REST docs shape them; test/unit/e2e/github.test.ts feeds them canned ones.
 */

/** The workflow the suite dispatches. The test repository must hold a copy of WORKFLOW_SOURCE. */
export const WORKFLOW_FILE = 'deskrun-e2e.yml'
export const WORKFLOW_SOURCE = `test/e2e/workflow/${WORKFLOW_FILE}`

const API_URL = 'https://api.github.com'
const API_VERSION = '2022-11-28'
const REQUEST_TIMEOUT_MS = 60_000

export interface Repository {
  owner: string
  name: string
}

export const fullName = (repository: Repository) => `${repository.owner}/${repository.name}`

/** E2E_REPOSITORY: OWNER/REPO (a https://github.com/OWNER/REPO URL is accepted too). */
export function parseRepository(value: string): Repository {
  const match =
    /^(?:https:\/\/github\.com\/)?([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(
      value.trim(),
    )
  if (!match || /^\.+$/.test(match[2]))
    throw new Error(`E2E_REPOSITORY must be OWNER/REPO, for example my-org/deskrun-e2e (it is "${value}").`)
  return {owner: match[1], name: match[2]}
}

export interface Runner {
  id: number
  name: string
  /** online or offline */
  status: string
  busy: boolean
}

/**
 * ARC registers each runner with GitHub under its EphemeralRunner's name, which Kubernetes generates
 * as `{scale set}-{random}-runner-{random}` (generateName of the EphemeralRunnerSet, then of the
 * EphemeralRunner). The random parts hold no '-', so scale set `a` never claims the runners of `a-2`.
 */
export function isRunnerOf(runnerName: string, scaleSet: string): boolean {
  const escaped = scaleSet.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^${escaped}-[a-z0-9]+-runner-[a-z0-9]+$`).test(runnerName)
}

/** The runners of one scale set in an answer of GET /repos/{owner}/{repo}/actions/runners. */
export function runnersOf(answer: {runners?: Runner[]}, scaleSet: string): Runner[] {
  return (answer.runners ?? []).filter((runner) => isRunnerOf(runner.name, scaleSet))
}

/** The inputs of the e2e workflow (see WORKFLOW_SOURCE). */
export interface E2eInputs {
  /** The scale set: the job's `runs-on:`. */
  runs_on: string
  /** Written to the cache by the write step, read back by the read step; also in the run's title. */
  marker: string
  step: 'write' | 'read'
  /** The cached path inside the job. */
  cache: string
}

/** The body of POST .../actions/workflows/{workflow}/dispatches, asking for the run's id back. */
export function dispatchBody(ref: string, inputs: E2eInputs): Record<string, unknown> {
  return {ref, inputs: {...inputs}, return_run_details: true}
}

/**
 * The run id from a dispatch answer: GitHub returns it (200 with `workflow_run_id`) when asked with
 * `return_run_details` since February 2026; without it (204, no body) the run is found by its title.
 */
export function runIdOfDispatch(answer: unknown): number | undefined {
  const id = (answer as {workflow_run_id?: unknown} | undefined)?.workflow_run_id
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined
}

export interface WorkflowRun {
  id: number
  /** The run's title: what the workflow's `run-name:` evaluated to. */
  display_title: string
  /** queued, in_progress, completed, ... */
  status: string
  /** success, failure, cancelled, ... once completed */
  conclusion: string | null
  html_url: string
  created_at: string
}

/** GitHub's search syntax for the `created` filter of the runs list: runs created at or after `time`. */
export function createdSince(time: Date): string {
  return `>=${time.toISOString().replace(/\.\d+Z$/, 'Z')}`
}

/**
 * The newest run in an answer of GET .../workflows/{workflow}/runs whose title holds every one of
 * `words` (the workflow's `run-name:` shows the step and the marker).
 */
export function findRun(
  answer: {workflow_runs?: WorkflowRun[]},
  words: readonly string[],
): WorkflowRun | undefined {
  return (answer.workflow_runs ?? [])
    .filter((run) => {
      const title = (run.display_title ?? '').split(/\s+/)
      return words.every((word) => title.includes(word))
    })
    .sort((a, b) => b.created_at.localeCompare(a.created_at))[0]
}

export interface WorkflowJob {
  name: string
  status: string
  conclusion: string | null
  /** The runner that took the job; null while it waits for one. */
  runner_name: string | null
  steps?: {name: string; status: string; conclusion: string | null}[]
}

/** `job › step: conclusion` for every step of an answer of GET .../runs/{id}/jobs that went wrong. */
export function failedSteps(answer: {jobs?: WorkflowJob[]}): string[] {
  const ok = new Set([null, 'success', 'skipped'])
  return (answer.jobs ?? []).flatMap((job) => {
    const steps = (job.steps ?? []).filter((step) => !ok.has(step.conclusion))
    if (steps.length > 0) return steps.map((step) => `${job.name} › ${step.name}: ${step.conclusion}`)
    return ok.has(job.conclusion) ? [] : [`${job.name}: ${job.conclusion}`]
  })
}

/** One REST call, and what a fine-grained token needs for it. */
export interface Call {
  method: 'GET' | 'POST'
  path: string
  permission: string
  /** What to do when GitHub answers 404 or 422 to it. */
  hint?: string
}

/** What a failed call means for the person running the suite: which token permission, which fix. */
export function apiErrorMessage(call: Call, status: number, body: string, repository: string): string {
  let message: string | undefined
  try {
    message = (JSON.parse(body) as {message?: string}).message
  } catch {
    message = body.trim().slice(0, 200) || undefined
  }
  const what = `GitHub answered ${status} to ${call.method} ${call.path}${message ? ` (${message})` : ''}`
  if (status === 401)
    return `${what}: it does not accept E2E_GITHUB_TOKEN, which is wrong, expired or revoked.`
  if (status === 403 && /rate limit/i.test(message ?? '')) return `${what}: wait for the rate limit to reset.`
  const grant = `A fine-grained token needs "${call.permission}" on ${repository}; a classic token needs the repo scope.`
  if (status === 403) return `${what}: E2E_GITHUB_TOKEN may not do this. ${grant}`
  if (status === 404)
    return (
      `${what}: either it does not exist or E2E_GITHUB_TOKEN may not use it (GitHub says 404 to both). ${grant}` +
      (call.hint ? ` ${call.hint}` : '')
    )
  if (status === 422 && call.hint) return `${what}. ${call.hint}`
  return what
}

/** The test repository, seen through one token. The token stays in this object's request headers. */
export class GitHubRepository {
  readonly #token: string

  constructor(
    token: string,
    readonly repository: Repository,
    private readonly apiUrl = API_URL,
  ) {
    this.#token = token
  }

  private get base(): string {
    return `/repos/${encodeURIComponent(this.repository.owner)}/${encodeURIComponent(this.repository.name)}`
  }

  private get workflowHint(): string {
    return `Copy ${WORKFLOW_SOURCE} to .github/workflows/${WORKFLOW_FILE} on the default branch of ${fullName(this.repository)} (docs/e2e.md).`
  }

  private async call<T>(call: Call, body?: unknown): Promise<T> {
    let response: Response
    try {
      response = await fetch(`${this.apiUrl}${call.path}`, {
        method: call.method,
        headers: {
          Accept: 'application/vnd.github+json',
          Authorization: `Bearer ${this.#token}`,
          'X-GitHub-Api-Version': API_VERSION,
          'User-Agent': 'deskrun-e2e',
          ...(body === undefined ? {} : {'Content-Type': 'application/json'}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      })
    } catch (error) {
      const cause = (error as {cause?: {message?: string}}).cause?.message ?? (error as Error).message
      throw new Error(`Cannot reach GitHub for ${call.method} ${call.path}: ${cause}`)
    }
    const text = await response.text()
    if (!response.ok) throw new Error(apiErrorMessage(call, response.status, text, fullName(this.repository)))
    return (text ? JSON.parse(text) : undefined) as T
  }

  /**
   * Checks, before the suite spends minutes on a cluster, that the repository is there, that the
   * token may see its runners and that the e2e workflow is in place. Returns the branch to dispatch on.
   */
  async preflight(): Promise<string> {
    const repo = await this.call<{default_branch: string}>({
      method: 'GET',
      path: this.base,
      permission: 'Metadata: read',
    })
    await this.runners()
    const workflow = await this.call<{state: string}>({
      method: 'GET',
      path: `${this.base}/actions/workflows/${WORKFLOW_FILE}`,
      permission: 'Actions: read',
      hint: this.workflowHint,
    })
    if (workflow.state !== 'active')
      throw new Error(
        `The workflow ${WORKFLOW_FILE} in ${fullName(this.repository)} is ${workflow.state}: enable it in the repository's Actions tab.`,
      )
    return repo.default_branch
  }

  /** The first 100 self-hosted runners: a test repository has few. */
  async runners(): Promise<{runners?: Runner[]}> {
    return this.call({
      method: 'GET',
      path: `${this.base}/actions/runners?per_page=100`,
      // What ARC needs to register a scale set, too.
      permission: 'Administration: read and write',
    })
  }

  /** Starts a run of the e2e workflow; its id when GitHub says it. */
  async dispatch(ref: string, inputs: E2eInputs): Promise<number | undefined> {
    const answer = await this.call<unknown>(
      {
        method: 'POST',
        path: `${this.base}/actions/workflows/${WORKFLOW_FILE}/dispatches`,
        permission: 'Actions: read and write',
        hint: `The workflow may be older than this suite: ${this.workflowHint}`,
      },
      dispatchBody(ref, inputs),
    )
    return runIdOfDispatch(answer)
  }

  async runs(since: Date): Promise<{workflow_runs?: WorkflowRun[]}> {
    const query = new URLSearchParams({
      event: 'workflow_dispatch',
      created: createdSince(since),
      per_page: '100',
    })
    return this.call({
      method: 'GET',
      path: `${this.base}/actions/workflows/${WORKFLOW_FILE}/runs?${query}`,
      permission: 'Actions: read',
    })
  }

  async run(id: number): Promise<WorkflowRun> {
    return this.call({method: 'GET', path: `${this.base}/actions/runs/${id}`, permission: 'Actions: read'})
  }

  async jobs(id: number): Promise<{jobs?: WorkflowJob[]}> {
    return this.call({
      method: 'GET',
      path: `${this.base}/actions/runs/${id}/jobs`,
      permission: 'Actions: read',
    })
  }

  /** Stops a run that never finished, so it does not wait a day in the queue for a runner. */
  async cancel(id: number): Promise<void> {
    await this.call({
      method: 'POST',
      path: `${this.base}/actions/runs/${id}/cancel`,
      permission: 'Actions: read and write',
    })
  }
}
