/**
 * The GitHub side of the e2e suite (test/e2e/github.ts), fed answers shaped like the examples in
 * GitHub's REST docs (self-hosted runners, workflows, workflow runs, workflow jobs), and its client
 * run against a local server that answers like api.github.com.
 */
import http from 'node:http'
import type {AddressInfo} from 'node:net'

import {expect} from 'chai'

import {
  GitHubRepository,
  WORKFLOW_SOURCE,
  apiErrorMessage,
  createdSince,
  dispatchBody,
  failedSteps,
  findRun,
  isRunnerOf,
  parseRepository,
  runIdOfDispatch,
  runnersOf,
  type E2eInputs,
} from '../../e2e/github.js'

const TOKEN = 'ghp_UnitTestTokenNeverPrinted000000000000'

/** GET /repos/{owner}/{repo}/actions/runners: the docs' example plus runners ARC registered. */
const RUNNERS = {
  total_count: 5,
  runners: [
    {
      id: 23,
      name: 'MBP',
      os: 'macos',
      status: 'online',
      busy: true,
      labels: [{id: 5, name: 'self-hosted', type: 'read-only'}],
    },
    {id: 24, name: 'iMac', os: 'macos', status: 'offline', busy: false, labels: []},
    {id: 31, name: 'e2e-job-1a2b-x7k2p-runner-4m9zq', os: 'linux', status: 'online', busy: false, labels: []},
    {
      id: 32,
      name: 'e2e-job-1a2b-x7k2p-runner-b8n5w',
      os: 'linux',
      status: 'offline',
      busy: false,
      labels: [],
    },
    {
      id: 33,
      name: 'e2e-job-1a2b-2-q4r7t-runner-c9d2f',
      os: 'linux',
      status: 'online',
      busy: false,
      labels: [],
    },
  ],
}

/** GET .../actions/workflows/{workflow_id}/runs, with the fields the docs' example has that matter here. */
const RUNS = {
  total_count: 3,
  workflow_runs: [
    {
      id: 30433642,
      name: 'deskrun e2e',
      display_title: 'deskrun e2e write deskrun-e2e-aaaa',
      event: 'workflow_dispatch',
      status: 'completed',
      conclusion: 'success',
      run_number: 562,
      html_url: 'https://github.com/octo-org/hello-world/actions/runs/30433642',
      created_at: '2026-03-01T10:00:00Z',
    },
    {
      id: 30433643,
      name: 'deskrun e2e',
      display_title: 'deskrun e2e read deskrun-e2e-aaaa',
      event: 'workflow_dispatch',
      status: 'queued',
      conclusion: null,
      run_number: 563,
      html_url: 'https://github.com/octo-org/hello-world/actions/runs/30433643',
      created_at: '2026-03-01T10:05:00Z',
    },
    {
      id: 30433644,
      name: 'deskrun e2e',
      display_title: 'deskrun e2e write deskrun-e2e-aaaab',
      event: 'workflow_dispatch',
      status: 'in_progress',
      conclusion: null,
      run_number: 564,
      html_url: 'https://github.com/octo-org/hello-world/actions/runs/30433644',
      created_at: '2026-03-01T10:06:00Z',
    },
  ],
}

/** GET .../actions/runs/{run_id}/jobs, shaped like the docs' example. */
const JOBS = {
  total_count: 1,
  jobs: [
    {
      id: 399444496,
      run_id: 29679449,
      name: 'cache',
      status: 'completed',
      conclusion: 'failure',
      runner_name: 'e2e-job-1a2b-x7k2p-runner-4m9zq',
      steps: [
        {name: 'Set up job', status: 'completed', conclusion: 'success', number: 1},
        {name: 'Write the marker into the cache', status: 'completed', conclusion: 'skipped', number: 2},
        {name: 'Read the marker back from the cache', status: 'completed', conclusion: 'failure', number: 3},
        {name: 'Complete job', status: 'completed', conclusion: 'success', number: 4},
      ],
    },
  ],
}

const INPUTS: E2eInputs = {runs_on: 'e2e-job-1a2b', marker: 'deskrun-e2e-aaaa', step: 'write', cache: '/c'}

describe('e2e GitHub helpers', () => {
  describe('parseRepository', () => {
    it('reads OWNER/REPO and github.com URLs', () => {
      expect(parseRepository('octo-org/hello-world')).to.deep.equal({owner: 'octo-org', name: 'hello-world'})
      expect(parseRepository(' https://github.com/octo-org/hello.world.git/ ')).to.deep.equal({
        owner: 'octo-org',
        name: 'hello.world',
      })
    })

    it('says what it wants for anything else', () => {
      for (const value of ['hello-world', 'a/b/c', 'https://example.com/a/b', 'octo/..', ''])
        expect(() => parseRepository(value), value).to.throw('E2E_REPOSITORY must be OWNER/REPO')
    })
  })

  describe('runners of a scale set', () => {
    it('are the runners named the way ARC names them, online or not', () => {
      expect(runnersOf(RUNNERS, 'e2e-job-1a2b').map((runner) => runner.id)).to.deep.equal([31, 32])
    })

    it('never include the runners of a scale set whose name extends it', () => {
      expect(isRunnerOf('e2e-job-1a2b-2-q4r7t-runner-c9d2f', 'e2e-job-1a2b')).to.equal(false)
      expect(runnersOf(RUNNERS, 'e2e-job-1a2b-2').map((runner) => runner.id)).to.deep.equal([33])
      expect(isRunnerOf('e2e-job-1a2b-x7k2p-runner-4m9zq-extra', 'e2e-job-1a2b')).to.equal(false)
    })

    it('are none in an answer without runners', () => {
      expect(runnersOf({total_count: 0, runners: []} as never, 'e2e-job-1a2b')).to.deep.equal([])
      expect(runnersOf({}, 'e2e-job-1a2b')).to.deep.equal([])
    })
  })

  describe('dispatch', () => {
    it('sends the ref and every input, and asks for the run id', () => {
      expect(dispatchBody('main', INPUTS)).to.deep.equal({
        ref: 'main',
        inputs: {runs_on: 'e2e-job-1a2b', marker: 'deskrun-e2e-aaaa', step: 'write', cache: '/c'},
        return_run_details: true,
      })
    })

    it('takes the run id from a 200 answer, and nothing from a 204 one', () => {
      const answer = {
        workflow_run_id: 22452,
        run_url: 'https://api.github.com/repos/octo-org/hello-world/actions/runs/22452',
        html_url: 'https://github.com/octo-org/hello-world/actions/runs/22452',
      }
      expect(runIdOfDispatch(answer)).to.equal(22452)
      expect(runIdOfDispatch(undefined)).to.equal(undefined)
      expect(runIdOfDispatch({workflow_run_id: '22452'})).to.equal(undefined)
      expect(runIdOfDispatch({workflow_run_id: 0})).to.equal(undefined)
    })
  })

  describe('finding a run', () => {
    it('is by every word of its title, newest first', () => {
      expect(findRun(RUNS, ['write', 'deskrun-e2e-aaaa'])?.id).to.equal(30433642)
      expect(findRun(RUNS, ['read', 'deskrun-e2e-aaaa'])?.id).to.equal(30433643)
      expect(findRun(RUNS, ['deskrun-e2e-aaaa'])?.id).to.equal(30433643)
    })

    it('never takes a marker that merely starts the same', () => {
      expect(findRun(RUNS, ['write', 'deskrun-e2e-aaaab'])?.id).to.equal(30433644)
      expect(findRun(RUNS, ['read', 'deskrun-e2e-aaa'])).to.equal(undefined)
      expect(findRun({total_count: 0, workflow_runs: []} as never, ['x'])).to.equal(undefined)
    })

    it('lists runs created since a time, in the search syntax GitHub reads', () => {
      expect(createdSince(new Date('2026-03-01T10:04:05.678Z'))).to.equal('>=2026-03-01T10:04:05Z')
    })
  })

  it('names the steps that failed', () => {
    expect(failedSteps(JOBS)).to.deep.equal(['cache › Read the marker back from the cache: failure'])
    const cancelled = {
      jobs: [{name: 'cache', status: 'completed', conclusion: 'cancelled', runner_name: null}],
    }
    expect(failedSteps(cancelled)).to.deep.equal(['cache: cancelled'])
    expect(failedSteps({jobs: [{...JOBS.jobs[0], conclusion: 'success', steps: []}]})).to.deep.equal([])
  })

  describe('errors', () => {
    const call = {
      method: 'GET',
      path: '/repos/o/r/actions/runners',
      permission: 'Administration: read and write',
    } as const

    it('say which permission a token lacks', () => {
      const message = apiErrorMessage(
        call,
        403,
        '{"message":"Resource not accessible by personal access token"}',
        'o/r',
      )
      expect(message).to.contain('Resource not accessible by personal access token')
      expect(message).to.contain('"Administration: read and write" on o/r')
      expect(message).to.contain('classic token needs the repo scope')
    })

    it('tell a bad token, a rate limit and a missing thing apart', () => {
      expect(apiErrorMessage(call, 401, '{"message":"Bad credentials"}', 'o/r')).to.contain(
        'wrong, expired or revoked',
      )
      expect(
        apiErrorMessage(call, 403, '{"message":"API rate limit exceeded for user ID 1."}', 'o/r'),
      ).to.contain('wait for the rate limit')
      const missing = apiErrorMessage(
        {...call, hint: 'Copy the workflow.'},
        404,
        '{"message":"Not Found"}',
        'o/r',
      )
      expect(missing).to.contain('does not exist or E2E_GITHUB_TOKEN may not use it')
      expect(missing).to.match(/Copy the workflow\.$/)
      expect(apiErrorMessage(call, 502, '<html>Bad gateway</html>', 'o/r')).to.contain(
        '(<html>Bad gateway</html>)',
      )
    })
  })
})

describe('e2e GitHub client', () => {
  let server: http.Server
  let url: string
  const requests: {method: string; url: string; headers: http.IncomingHttpHeaders; body: string}[] = []
  let answers: Record<string, {status: number; body?: unknown}> = {}

  before(async () => {
    server = http.createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        requests.push({method: request.method!, url: request.url!, headers: request.headers, body})
        const answer = answers[`${request.method} ${request.url}`] ?? {
          status: 404,
          body: {message: 'Not Found'},
        }
        response.writeHead(answer.status, {'Content-Type': 'application/json'})
        response.end(answer.body === undefined ? '' : JSON.stringify(answer.body))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  after(() => new Promise((resolve) => server.close(resolve)))

  beforeEach(() => {
    requests.length = 0
    answers = {
      'GET /repos/octo-org/hello-world': {
        status: 200,
        body: {full_name: 'octo-org/hello-world', default_branch: 'trunk'},
      },
      'GET /repos/octo-org/hello-world/actions/runners?per_page=100': {status: 200, body: RUNNERS},
      'GET /repos/octo-org/hello-world/actions/workflows/deskrun-e2e.yml': {
        status: 200,
        body: {id: 161335, name: 'deskrun e2e', path: '.github/workflows/deskrun-e2e.yml', state: 'active'},
      },
    }
  })

  const client = () => new GitHubRepository(TOKEN, {owner: 'octo-org', name: 'hello-world'}, url)

  it('checks repository, runners and workflow before anything else, with the token in the header only', async () => {
    expect(await client().preflight()).to.equal('trunk')
    expect(requests.map((request) => `${request.method} ${request.url}`)).to.deep.equal(Object.keys(answers))
    for (const request of requests) {
      expect(request.headers.authorization).to.equal(`Bearer ${TOKEN}`)
      expect(request.headers['x-github-api-version']).to.equal('2022-11-28')
      expect(request.headers.accept).to.equal('application/vnd.github+json')
    }
  })

  it('says where the workflow comes from when the test repository lacks it', async () => {
    delete answers['GET /repos/octo-org/hello-world/actions/workflows/deskrun-e2e.yml']
    const error = await client()
      .preflight()
      .catch((caught: Error) => caught)
    expect(String(error)).to.contain(`Copy ${WORKFLOW_SOURCE} to .github/workflows/deskrun-e2e.yml`)
    expect(String(error)).not.to.contain(TOKEN)
  })

  it('refuses a disabled workflow', async () => {
    answers['GET /repos/octo-org/hello-world/actions/workflows/deskrun-e2e.yml'] = {
      status: 200,
      body: {state: 'disabled_manually'},
    }
    const error = await client()
      .preflight()
      .catch((caught: Error) => caught)
    expect(String(error)).to.contain('is disabled_manually: enable it')
  })

  it('dispatches with the run details asked for, and reads the id when GitHub gives one', async () => {
    const path = 'POST /repos/octo-org/hello-world/actions/workflows/deskrun-e2e.yml/dispatches'
    answers[path] = {status: 200, body: {workflow_run_id: 22452, run_url: 'u', html_url: 'h'}}
    expect(await client().dispatch('trunk', INPUTS)).to.equal(22452)
    expect(JSON.parse(requests[0].body)).to.deep.equal(dispatchBody('trunk', INPUTS))
    expect(requests[0].headers['content-type']).to.equal('application/json')
    answers[path] = {status: 204}
    expect(await client().dispatch('trunk', INPUTS)).to.equal(undefined)
  })

  it('lists the dispatched runs created since a time', async () => {
    const since = new Date('2026-03-01T10:00:00Z')
    const query = 'event=workflow_dispatch&created=%3E%3D2026-03-01T10%3A00%3A00Z&per_page=100'
    answers[`GET /repos/octo-org/hello-world/actions/workflows/deskrun-e2e.yml/runs?${query}`] = {
      status: 200,
      body: RUNS,
    }
    expect(findRun(await client().runs(since), ['read', 'deskrun-e2e-aaaa'])?.id).to.equal(30433643)
  })

  it('says what a token needs when GitHub refuses it', async () => {
    answers['POST /repos/octo-org/hello-world/actions/runs/7/cancel'] = {
      status: 403,
      body: {message: 'Resource not accessible by personal access token'},
    }
    const error = await client()
      .cancel(7)
      .catch((caught: Error) => caught)
    expect(String(error)).to.contain('"Actions: read and write" on octo-org/hello-world')
  })

  it('says when GitHub cannot be reached', async () => {
    const closed = new GitHubRepository(TOKEN, {owner: 'o', name: 'r'}, 'http://127.0.0.1:9')
    const error = await closed.run(1).catch((caught: Error) => caught)
    expect(String(error)).to.match(/Cannot reach GitHub for GET \/repos\/o\/r\/actions\/runs\/1: /)
  })
})
