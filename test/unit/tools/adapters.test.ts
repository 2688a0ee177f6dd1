/** The argv each adapter method sends and how it reads the answer: tested here once, for every caller. */
import {expect} from 'chai'

import {DeskrunError} from '../../../src/lib/domain/errors.js'
import {clearSecrets, registerSecret} from '../../../src/lib/domain/redact.js'
import {Docker} from '../../../src/lib/adapters/tools/docker.js'
import {Helm} from '../../../src/lib/adapters/tools/helm.js'
import {Kind} from '../../../src/lib/adapters/tools/kind.js'
import {Kubectl} from '../../../src/lib/adapters/tools/kubectl.js'
import {ToolFailure, probe, reason, unlessFailed} from '../../../src/lib/adapters/tools/probe.js'
import {type RunResult, toolFailure} from '../../../src/lib/adapters/tools/runner.js'
import {rejection} from '../../helpers/rejection.js'
import {RecordingRunner, type Script} from './recording-runner.js'

const CONTEXT = 'kind-deskrun'

function adapters(script?: Script) {
  const recording = new RecordingRunner(script)
  const {runner} = recording
  return {
    recording,
    kind: new Kind(runner),
    docker: new Docker(runner),
    helm: new Helm(runner, CONTEXT),
    kubectl: new Kubectl(runner, CONTEXT),
  }
}

describe('tool adapters', () => {
  afterEach(() => clearSecrets())

  it('version(): kind, helm and kubectl (the client) say their version, with no cluster involved', async () => {
    const {recording, kind, helm, kubectl} = adapters((tool) => ({
      stdout: {
        kind: 'kind v0.29.0 go1.24.2 linux/amd64',
        helm: 'v3.18.4+gd80839c',
        kubectl: JSON.stringify({clientVersion: {gitVersion: 'v1.33.1'}}),
      }[tool],
    }))
    expect(await kind.version()).to.deep.equal({
      version: '0.29.0',
      output: 'kind v0.29.0 go1.24.2 linux/amd64',
    })
    expect((await helm.version()).version).to.equal('3.18.4')
    expect((await kubectl.version()).version).to.equal('1.33.1')
    expect(recording.calls).to.deep.equal([
      ['kind', 'version'],
      ['helm', 'version', '--short'],
      ['kubectl', 'version', '--client', '--output', 'json'],
    ])
  })

  it('version(): output without a version is returned as printed; a failure is the tool’s own words', async () => {
    const {kind, helm} = adapters((tool) =>
      tool === 'kind'
        ? {exitCode: 126, stderr: 'cannot execute binary file: Exec format error'}
        : {stdout: 'something else'},
    )
    expect(await helm.version()).to.deep.equal({version: undefined, output: 'something else'})
    const error = await rejection(kind.version())
    expect(error).to.be.instanceOf(ToolFailure)
    expect(reason(error as ToolFailure)).to.equal('cannot execute binary file: Exec format error')
  })

  it('Docker.version(): the client and daemon as `docker version` reports them', async () => {
    const reported = {Client: {Version: '28.3.2'}, Server: {Version: '28.3.2', ApiVersion: '1.51'}}
    const {recording, docker} = adapters(() => ({stdout: JSON.stringify(reported)}))
    expect(await docker.version()).to.deep.equal(reported)
    expect(recording.calls).to.deep.equal([['docker', 'version', '--format', '{{json .}}']])

    const down = adapters(() => ({
      exitCode: 1,
      stdout: JSON.stringify({Client: {Version: '28.3.2'}, Server: null}),
      stderr:
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    }))
    expect(reason((await rejection(down.docker.version())) as DeskrunError)).to.match(/^Cannot connect/)

    const garbled = adapters(() => ({stdout: 'not json'}))
    expect(((await rejection(garbled.docker.version())) as DeskrunError).message).to.equal(
      'Could not ask Docker for its version: docker printed something that is not JSON.',
    )
  })

  it('Docker.mounts(): the container’s mounts; no such container is a failure unlessFailed() reads as undefined', async () => {
    const mounts = [{Type: 'bind', Source: '/srv/cache', Destination: '/var/lib/deskrun/cache'}]
    const {recording, docker} = adapters((_tool, args) =>
      args[1] === 'deskrun-control-plane'
        ? {stdout: JSON.stringify(mounts)}
        : {exitCode: 1, stderr: `Error: No such object: ${args[1]}`},
    )
    expect(await docker.mounts('deskrun-control-plane')).to.deep.equal(mounts)
    expect(recording.calls).to.deep.equal([
      ['docker', 'inspect', 'deskrun-control-plane', '--format', '{{json .Mounts}}'],
    ])
    const error = await rejection(docker.mounts('gone'))
    expect(reason(error as DeskrunError)).to.equal('Error: No such object: gone')
    expect(await unlessFailed(docker.mounts('gone'))).to.equal(undefined)
  })

  it('Kubectl.nodes(): each node and whether its Ready condition is True', async () => {
    const node = (name: string, conditions?: {type: string; status: string}[]) => ({
      metadata: {name},
      status: conditions && {conditions},
    })
    const {recording, kubectl} = adapters(() => ({
      stdout: JSON.stringify({
        items: [
          node('ready', [
            {type: 'MemoryPressure', status: 'False'},
            {type: 'Ready', status: 'True'},
          ]),
          node('not-ready', [{type: 'Ready', status: 'False'}]),
          node('unknown', [{type: 'Ready', status: 'Unknown'}]),
          node('new'),
        ],
      }),
    }))
    expect(await kubectl.nodes()).to.deep.equal([
      {name: 'ready', ready: true},
      {name: 'not-ready', ready: false},
      {name: 'unknown', ready: false},
      {name: 'new', ready: false},
    ])
    expect(recording.calls).to.deep.equal([
      ['kubectl', '--context', CONTEXT, 'get', 'nodes', '--output', 'json'],
    ])

    const refused = adapters(() => ({
      exitCode: 1,
      stderr: 'The connection to the server 127.0.0.1:40123 was refused',
    }))
    expect(reason((await rejection(refused.kubectl.nodes())) as DeskrunError)).to.contain('was refused')
  })

  it('Kubectl.get(): one object by name, undefined when there is none', async () => {
    const crd = 'autoscalingrunnersets.actions.github.com'
    const {recording, kubectl} = adapters((_tool, args) => ({
      // kubectl prints nothing for a missing object under --ignore-not-found.
      stdout: args.includes(crd)
        ? JSON.stringify({kind: 'CustomResourceDefinition', metadata: {name: crd}})
        : '',
    }))
    expect(await kubectl.get('crd', crd)).to.deep.include({kind: 'CustomResourceDefinition'})
    expect(await kubectl.get('crd', 'missing.actions.github.com')).to.equal(undefined)
    expect(recording.calls[0]).to.deep.equal([
      'kubectl',
      '--context',
      CONTEXT,
      'get',
      'crd',
      crd,
      '--ignore-not-found',
      '--output',
      'json',
    ])
  })

  it('Kind.clusters(): none when kind says "No kind clusters found." on stderr', async () => {
    const {recording, kind} = adapters(() => ({stderr: 'No kind clusters found.'}))
    expect(await kind.clusters()).to.deep.equal([])
    expect(recording.calls).to.deep.equal([['kind', 'get', 'clusters']])
  })
})

describe('probe, and the reason a tool failed', () => {
  afterEach(() => clearSecrets())
  const result: RunResult = {command: 'kind get clusters', exitCode: 1, stdout: '', stderr: ''}

  it('gives the answer, or the DeskrunError in its place', async () => {
    expect(await probe(Promise.resolve(3))).to.deep.equal({ok: true, value: 3})
    const timedOut = new DeskrunError(
      'Could not list kind clusters: kind did not finish within 30s.\n  command: kind',
      {
        code: 'TIMEOUT',
      },
    )
    expect(await probe(Promise.reject(timedOut))).to.deep.equal({ok: false, error: timedOut})
    expect(reason(timedOut)).to.equal('Could not list kind clusters: kind did not finish within 30s.')
  })

  it('still throws Ctrl-C and bugs, which are not findings about a tool', async () => {
    const interrupted = new DeskrunError('Interrupted while running: kind', {code: 'INTERRUPTED', exit: 130})
    expect(await rejection(probe(Promise.reject(interrupted)))).to.equal(interrupted)
    const bug = new TypeError('x is undefined')
    expect(await rejection(probe(Promise.reject(bug)))).to.equal(bug)
    expect(await rejection(unlessFailed(Promise.reject(interrupted)))).to.equal(interrupted)
  })

  it('is the first line the tool printed (stderr, else stdout), redacted; or how it ended', () => {
    registerSecret('s3cr3t-value-1234')
    const said = (extra: Partial<RunResult>) => reason(toolFailure('kind', {...result, ...extra}, {}))
    expect(said({stderr: '\n  ERROR: token s3cr3t-value-1234 refused\nmore'})).to.equal(
      'ERROR: token *** refused',
    )
    expect(said({stdout: 'only on stdout'})).to.equal('only on stdout')
    // A killed tool may have printed half of a normal answer, which would read as the reason.
    expect(said({exitCode: -1, signal: 'SIGKILL', stdout: 'deskrun'})).to.equal('killed (SIGKILL)')
    expect(said({exitCode: 3})).to.equal('exit code 3')
  })
})
