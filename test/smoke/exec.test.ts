/**
 * deskrun's exec seam with the fakes in process (test/helpers/fake-exec.ts) answers as execa does with the
 * fake executables: the same exit codes, output, signals, timeouts, cancellation and missing programs.
 * That is what lets the in-process tests stand for runs with real processes.
 */
import {expect} from 'chai'

import {
  execaExecutor,
  type ExecOptions,
  type ExecResult,
  type Executor,
} from '../../src/lib/adapters/tools/exec.js'
import {toolEnv} from '../../src/lib/adapters/tools/prerequisites.js'
import {fakeExec} from '../helpers/fake-exec.js'
import {FakeTools, type Fault} from '../helpers/fake-tools.js'

const KIND_CONFIG = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n'

interface Call {
  title: string
  program: string
  args: string[]
  input?: string
  faults?: Fault[]
  timeoutMs?: number
  /** Abort the call's signal this long after it starts. */
  abortAfterMs?: number
}

const CALLS: Call[] = [
  {title: 'a call that succeeds', program: 'kind', args: ['get', 'clusters']},
  {title: 'a call the tool refuses', program: 'kind', args: ['frobnicate']},
  {
    title: 'a call that reads stdin',
    program: 'kind',
    args: ['create', 'cluster', '--name', 'x', '--config', '-'],
    input: KIND_CONFIG,
  },
  {title: 'an injected failure', program: 'helm', args: ['version'], faults: [{call: 1, action: 'fail'}]},
  {
    title: 'a hung call past its timeout',
    program: 'kubectl',
    args: ['version', '--client'],
    faults: [{call: 1, action: 'hang'}],
    timeoutMs: 1500,
  },
  {
    title: 'a hung call whose command is interrupted',
    program: 'docker',
    args: ['version'],
    faults: [{call: 1, action: 'hang'}],
    abortAfterMs: 1500,
  },
  {
    title: 'a call killed midway',
    program: 'kind',
    args: ['create', 'cluster', '--name', 'x'],
    faults: [{call: 1, action: 'die'}],
  },
  {title: 'a program that is not there', program: 'podman', args: ['version']},
]

async function call(exec: Executor, spec: Call): Promise<ExecResult> {
  const fakes = await FakeTools.create({
    faults: spec.faults?.map((fault) => ({tool: spec.program, ...fault}) as Fault),
  })
  try {
    const abort = new AbortController()
    if (spec.abortAfterMs) setTimeout(() => abort.abort(), spec.abortAfterMs)
    const options: ExecOptions = {
      input: spec.input,
      env: toolEnv(fakes.env()),
      timeoutMs: spec.timeoutMs ?? 60_000,
      signal: abort.signal,
    }
    return await exec(spec.program, spec.args, options)
  } finally {
    await fakes.cleanup()
  }
}

describe('the exec seam: fakes in process answer as their processes do', function () {
  this.timeout(60_000)

  for (const spec of CALLS)
    it(spec.title, async () => {
      const [inProcess, asProcess] = await Promise.all([call(fakeExec, spec), call(execaExecutor, spec)])
      expect(inProcess).to.deep.equal(asProcess)
    })
})
