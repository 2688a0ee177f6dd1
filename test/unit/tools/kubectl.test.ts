import {expect} from 'chai'

import type {KubeObject} from '../../../src/lib/domain/kube.js'
import {clearSecrets, redact} from '../../../src/lib/domain/redact.js'
import {Kubectl} from '../../../src/lib/adapters/tools/kubectl.js'
import type {RunOptions, ToolRunner} from '../../../src/lib/adapters/tools/runner.js'

const object = (kind: string, name: string, resourceVersion?: string): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name,
    ...(kind === 'Namespace' ? {} : {namespace: 'arc-runners'}),
    ...(resourceVersion ? {resourceVersion} : {}),
  },
})

/** A runner that answers `get -f -` and `apply` with what a cluster holds before and after. */
function fakeRunner(before: KubeObject[], after: unknown) {
  const calls: {args: string[]; options: RunOptions}[] = []
  const runner = {
    async run(_tool: string, args: string[], options: RunOptions = {}) {
      calls.push({args, options})
      const printed = args.includes('get')
        ? before.length > 0
          ? {apiVersion: 'v1', kind: 'List', items: before}
          : undefined
        : after
      return {command: 'kubectl', exitCode: 0, stdout: printed ? JSON.stringify(printed) : '', stderr: ''}
    },
  }
  return {kubectl: new Kubectl(runner as unknown as ToolRunner, 'kind-deskrun'), calls}
}

describe('Kubectl.apply', () => {
  afterEach(() => clearSecrets())

  it('applies server-side as deskrun, all objects in one call on stdin', async () => {
    const {kubectl, calls} = fakeRunner([], {})
    const desired = [
      object('Namespace', 'arc-runners'),
      object('Secret', 'auth'),
      object('ConfigMap', 'hook'),
    ]
    await kubectl.apply(desired, 'store the credentials')
    expect(calls.map((call) => call.args)).to.deep.equal([
      [
        '--context',
        'kind-deskrun',
        'apply',
        '--server-side',
        '--field-manager=deskrun',
        '--force-conflicts',
        '-f',
        '-',
      ],
    ])
    expect(JSON.parse(calls[0].options.input ?? '')).to.deep.equal({
      apiVersion: 'v1',
      kind: 'List',
      items: desired,
    })
  })

  it('makes no call for no objects', async () => {
    const {kubectl, calls} = fakeRunner([], {})
    await kubectl.apply([], 'store')
    expect(calls).to.deep.equal([])
  })

  it('masks the base64 form of the Secret data it sends, which kubectl prints back', async () => {
    const data = Buffer.from('ghp_x_not_a_shaped_token').toString('base64')
    const secret = {...object('Secret', 'auth'), data: {github_token: data}}
    const {kubectl} = fakeRunner([], {...object('Secret', 'auth', '7'), data: {github_token: data}})
    await kubectl.apply([secret], 'store')
    expect(redact(`token ${data}`)).to.equal('token ***')
  })
})
