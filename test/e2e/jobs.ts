/**
 * Real jobs from GitHub on a deskrun runner. With E2E_GITHUB_TOKEN and E2E_REPOSITORY set, `deskrun add`
 * registers a scale set with the test repository, the suite dispatches the e2e workflow to it
 * (`runs-on:` the scale set) and waits for it to succeed, then a second job reads back what the first
 * wrote into the cache. Without them these tests are skipped, and the output says what to set.
 *
 * Mode cached-privileged-kubernetes: a job without `container:` runs in the runner container, as root,
 * with the cache mounted. So the job may write the cache folder that the kubelet created as root, with
 * nothing else to set up, and each job gets a new runner pod (ARC's runners are ephemeral): only the
 * cache on the host can carry the marker from the first job to the second.
 */
import {randomBytes} from 'node:crypto'
import {readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {expect} from 'chai'

import {
  GitHubRepository,
  failedSteps,
  findRun,
  fullName,
  isRunnerOf,
  parseRepository,
  runnersOf,
  type E2eInputs,
  type WorkflowRun,
} from './github.js'
import {waitFor, type Sandbox} from './support.js'

export const JOBS_SKIPPED =
  'jobs on GitHub skipped: set E2E_GITHUB_TOKEN (a token that may administer the runners of the test repository ' +
  'and run its workflows) and E2E_REPOSITORY (OWNER/REPO with .github/workflows/deskrun-e2e.yml). See docs/e2e.md.'

const CACHE = '/deskrun-e2e-cache'
const MINUTE = 60_000

const report = (line: string) => console.log(`      ${line}`)
const secondsSince = (start: number) => Math.round((Date.now() - start) / 1000)

export function jobsOnGitHub(sandbox: Sandbox): void {
  const token = process.env.E2E_GITHUB_TOKEN?.trim() ?? ''
  const repository = process.env.E2E_REPOSITORY?.trim() ?? ''
  // Unique per suite run, so that runs in parallel (CI on a push and its pull request) never meet.
  const name = `e2e-job-${randomBytes(4).toString('hex')}`
  const marker = `deskrun-e2e-${randomBytes(8).toString('hex')}`
  let github: GitHubRepository | undefined
  let ref = ''
  let addStartedAt = 0
  let onlineRunner: string | undefined
  let hostCache: string | undefined
  let firstRunner: string | undefined
  let removed = false
  const unfinished = new Set<number>()

  before(async function () {
    if (!token || !repository) {
      report(JOBS_SKIPPED)
      this.skip()
    }
    github = new GitHubRepository(token, parseRepository(repository))
    ref = await github.preflight()
  })

  after(async () => {
    if (!github) return
    for (const id of unfinished) await github.cancel(id).catch(() => undefined)
    if (!removed && (await isInConfig(sandbox, name))) {
      const remove = await sandbox.deskrun(['remove', name])
      if (remove.exitCode !== 0) report(`could not remove ${name}: ${remove.stderr}`)
    }
    await sandbox.purgeCaches(name)
  })

  it('add registers a scale set whose runner comes online on GitHub', async () => {
    const gh = github!
    const tokenFile = path.join(sandbox.home, 'github-token')
    await writeFile(tokenFile, token, {mode: 0o600})
    addStartedAt = Date.now()
    let add
    try {
      add = await sandbox.deskrun([
        'add',
        name,
        '--repository',
        `https://github.com/${fullName(gh.repository)}`,
        '--mode',
        'cached-privileged-kubernetes',
        '--cache',
        CACHE,
        '--min-runners',
        '1',
        '--max-runners',
        '2',
        '--auth-type',
        'pat',
        '--auth-value-file',
        tokenFile,
        '--json',
      ])
    } finally {
      await rm(tokenFile, {force: true})
    }
    expect(add.exitCode, add.stderr || add.stdout).to.equal(0)
    hostCache = (JSON.parse(add.stdout) as {caches: {target: string; hostPath: string}[]}).caches.find(
      (cache) => cache.target === CACHE,
    )?.hostPath
    expect(hostCache, add.stdout).to.be.a('string')

    const online = await waitFor(
      `a runner of ${name} online on GitHub`,
      {timeoutMs: 15 * MINUTE, intervalMs: 10_000},
      async () => {
        const runners = runnersOf(await gh.runners(), name)
        const runner = runners.find((candidate) => candidate.status === 'online')
        const seen = runners.map((candidate) => `${candidate.name} ${candidate.status}`).join(', ')
        return {
          value: runner,
          status: seen || `none on GitHub; in the cluster: ${await scaleSetStatus(sandbox, name)}`,
        }
      },
    )
    onlineRunner = online.name
    report(
      `seconds from add (no cluster yet) to runner online: ${secondsSince(addStartedAt)} (${online.name})`,
    )
  })

  it('runs a job dispatched with runs-on: <scale set>, which writes a marker into the cache', async () => {
    expect(onlineRunner, 'needs the runner of the test above').to.be.a('string')
    const {run, runner} = await runJob('write')
    report(`seconds from add to job done: ${secondsSince(addStartedAt)} (${run.html_url})`)
    firstRunner = runner
    // The cache lives on this machine, not in the pod that is gone by now.
    expect((await readFile(path.join(hostCache!, 'marker'), 'utf8')).trim()).to.equal(marker)
  })

  it('runs a second job, on a fresh runner, that reads the marker back from the cache', async () => {
    expect(firstRunner, 'needs the job of the test above').to.be.a('string')
    const started = Date.now()
    const {run, runner} = await runJob('read')
    report(`seconds from dispatch to done, second job: ${secondsSince(started)} (${run.html_url})`)
    expect(runner, 'each job gets its own ephemeral runner').not.to.equal(firstRunner)
  })

  it('remove takes the scale set and its runners off GitHub', async () => {
    const gh = github!
    const remove = await sandbox.deskrun(['remove', name])
    expect(remove.exitCode, remove.stderr).to.equal(0)
    removed = true
    await waitFor(
      `GitHub to drop the runners of ${name}`,
      {timeoutMs: 5 * MINUTE, intervalMs: 10_000},
      async () => {
        const left = runnersOf(await gh.runners(), name)
        return {
          value: left.length === 0 ? true : undefined,
          status: left.map((runner) => runner.name).join(', '),
        }
      },
    )
  })

  it('never showed the token in what deskrun printed', () => {
    const leaks = sandbox.outputs.filter((output) => `${output.stdout}${output.stderr}`.includes(token))
    // A count, not the text: a failure message must not print the token either.
    expect(leaks.length, 'deskrun outputs that hold the token').to.equal(0)
  })

  /** Dispatches one step of the workflow to the scale set; resolves when it succeeded. */
  async function runJob(step: E2eInputs['step']): Promise<{run: WorkflowRun; runner: string}> {
    const gh = github!
    // Runs are listed by creation time as GitHub's clock has it: leave room for this machine's.
    const since = new Date(Date.now() - 2 * MINUTE)
    const dispatched = await gh.dispatch(ref, {runs_on: name, marker, step, cache: CACHE})
    const id =
      dispatched ??
      (await waitFor(
        `the run of "${step} ${marker}"`,
        {timeoutMs: 3 * MINUTE, intervalMs: 5000},
        async () => ({
          value: findRun(await gh.runs(since), [step, marker])?.id,
          status: 'no such run listed yet',
        }),
      ))
    unfinished.add(id)
    const run = await waitFor(
      `run ${id} to complete`,
      {timeoutMs: 20 * MINUTE, intervalMs: 10_000},
      async () => {
        const current = await gh.run(id)
        return {
          value: current.status === 'completed' ? current : undefined,
          status: `${current.status} ${current.html_url}`,
        }
      },
    )
    unfinished.delete(id)
    const jobs = await gh.jobs(id)
    expect(run.conclusion, `${run.html_url}: ${failedSteps(jobs).join('; ')}`).to.equal('success')
    const runners = (jobs.jobs ?? []).map((job) => job.runner_name ?? '')
    expect(runners, `${run.html_url} ran on runners of ${name}`).to.have.lengthOf(1)
    expect(isRunnerOf(runners[0], name), `${runners[0]} is a runner of ${name}`).to.equal(true)
    return {run, runner: runners[0]}
  }
}

async function isInConfig(sandbox: Sandbox, name: string): Promise<boolean> {
  const text = await readFile(path.join(sandbox.home, 'config.json'), 'utf8').catch(() => '{}')
  return Boolean((JSON.parse(text) as {installations?: Record<string, unknown>}).installations?.[name])
}

/** What `deskrun status` says of the scale set, for a message when its runner does not come online. */
async function scaleSetStatus(sandbox: Sandbox, name: string): Promise<string> {
  const status = await sandbox.deskrun(['status', name, '--json'])
  if (status.exitCode !== 0) return status.stderr.trim()
  const answer = JSON.parse(status.stdout) as {installations: {scaleSets: unknown[]}[]}
  return JSON.stringify(answer.installations[0]?.scaleSets)
}
