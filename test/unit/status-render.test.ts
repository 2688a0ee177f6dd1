import {expect} from 'chai'

import type {ScaleSetStatus, StatusReport} from '../../src/lib/app/status.js'
import {type Paint, statusLines} from '../../src/lib/cli/status-render.js'

/** Shows where colour goes: <red>text</red>. */
const tag: Paint = (colour, text) => `<${colour}>${text}</${colour}>`

const scaleSet = (fields: Partial<ScaleSetStatus> = {}): ScaleSetStatus => ({
  name: 'web',
  release: {status: 'deployed', version: '0.14.2'},
  runnerSet: {currentRunners: 1, pendingRunners: 0, runningRunners: 1},
  listener: {name: 'web-listener', phase: 'Running', ready: true},
  runners: [{name: 'web-runner-a', phase: 'Running', ready: true}],
  jobs: [],
  ...fields,
})

const report = (fields: {controllerReady?: boolean; scaleSets?: ScaleSetStatus[]; paused?: boolean} = {}) =>
  ({
    cluster: {
      name: 'deskrun',
      context: 'kind-deskrun',
      exists: true,
      nodes: [{name: 'deskrun-control-plane', ready: true}],
      cacheRoot: '/tmp/cache',
    },
    controller: {
      release: 'arc',
      namespace: 'arc-systems',
      installed: true,
      status: 'deployed',
      version: '0.14.2',
      ready: fields.controllerReady ?? true,
    },
    installations: [
      {
        name: 'web',
        mode: 'kubernetes',
        paused: fields.paused ?? false,
        runnerImage: 'ghcr.io/actions/actions-runner:latest',
        mounts: [],
        network: {},
        scaleSets: fields.scaleSets ?? [scaleSet()],
      },
    ],
  }) as unknown as StatusReport

describe('status lines', () => {
  it('all well: the states in green, no hint', () => {
    expect(statusLines(report(), tag).join('\n')).to.equal(
      [
        'Cluster deskrun: <green>ready</green> (context kind-deskrun)',
        'Controller arc (arc-systems): <green>deployed</green>, chart 0.14.2, <green>ready</green>',
        '\nweb (kubernetes)',
        '  web: release <green>deployed</green>, chart 0.14.2',
        '    runners: 1 current, 0 pending, 1 running',
        '    listener web-listener: <green>Running</green>',
        '    runner web-runner-a: <green>Running</green>, idle',
      ].join('\n'),
    )
  })

  it('a controller that is not ready: in red, and where to look', () => {
    const lines = statusLines(report({controllerReady: false}), tag)
    expect(lines[1]).to.equal(
      'Controller arc (arc-systems): <green>deployed</green>, chart 0.14.2, <red>not ready</red>',
    )
    expect(lines[2]).to.equal(
      '  Check its pods: kubectl --context kind-deskrun -n arc-systems get pods, and its log: deskrun logs --controller',
    )
  })

  it('what needs attention: red when broken, yellow when waiting', () => {
    const text = statusLines(
      report({
        paused: true,
        scaleSets: [
          scaleSet({
            release: {status: 'failed', version: '0.14.2'},
            runnerSet: undefined,
            listener: {name: 'web-listener', phase: 'Pending', ready: false},
            runners: [
              {name: 'web-runner-a', phase: 'Pending', ready: false, reason: 'ImagePullBackOff'},
              {name: 'web-runner-b', phase: 'Pending', ready: false},
            ],
          }),
          {name: 'web-2', runners: [], jobs: []},
        ],
      }),
      tag,
    ).join('\n')
    expect(text)
      .to.contain('web (kubernetes, <yellow>paused</yellow>: deskrun resume')
      .and.contain('web: release <red>failed</red>')
      .and.contain('<red>no AutoscalingRunnerSet</red>: the controller rejected')
      .and.contain('listener web-listener: <yellow>Pending</yellow>')
      .and.contain('runner web-runner-a: <red>Pending (ImagePullBackOff)</red>')
      .and.contain('runner web-runner-b: <yellow>Pending</yellow>')
      .and.contain('web-2: <yellow>not deployed</yellow> (run deskrun up)')
  })

  it("a runner's job: what it is, and since when only when that is known", () => {
    const now = Date.parse('2025-06-01T12:00:00Z')
    const job = {
      runner: 'web-runner-a',
      job: 'build',
      workflow: 'owner/repo/.github/workflows/ci.yml@refs/heads/main',
    }
    const started = statusLines(
      report({scaleSets: [scaleSet({jobs: [{...job, startedAt: '2025-06-01T10:45:30Z'}]})]}),
      tag,
      now,
    )
    expect(started.at(-1)).to.equal(
      '    runner web-runner-a: <green>Running</green>, running build of owner/repo/.github/workflows/ci.yml@refs/heads/main, started 1h 14m ago',
    )
    const unknown = statusLines(report({scaleSets: [scaleSet({jobs: [job]})]}), tag, now)
    expect(unknown.at(-1)).to.equal(
      '    runner web-runner-a: <green>Running</green>, running build of owner/repo/.github/workflows/ci.yml@refs/heads/main',
    )
  })

  it('without a paint (stdout no terminal, NO_COLOR): plain text', () => {
    expect(statusLines(report({controllerReady: false})).join('\n')).not.to.contain('\u001B[')
  })
})
