import {expect} from 'chai'

import {jobContainerOf, workflowSnippet} from '../../src/lib/domain/snippet.js'

const runner = (env: {name: string; value: string}[]) => ({
  template: {spec: {containers: [{name: 'runner', env}]}},
})

describe('workflow snippet', () => {
  it('requires a job container in the kubernetes modes unless the runner says otherwise', () => {
    expect(jobContainerOf({containerMode: {type: 'kubernetes'}})).to.equal('required')
    expect(jobContainerOf({containerMode: {type: 'kubernetes-novolume'}, ...runner([])})).to.equal('required')
    expect(
      jobContainerOf({
        containerMode: {type: 'kubernetes-novolume'},
        ...runner([{name: 'ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER', value: 'false'}]),
      }),
    ).to.equal('optional')
    expect(jobContainerOf({containerMode: {type: 'dind'}})).to.equal('no')
    expect(jobContainerOf({})).to.equal('no')
  })

  it('prints runs-on, then container: when required', () => {
    const one = workflowSnippet({
      installation: 'web',
      mode: 'kubernetes',
      runsOn: ['web'],
      jobContainer: 'required',
    })
    expect(one.text.split('\n')).to.deep.equal([
      'runs-on: web',
      'container: ubuntu:24.04 # required in kubernetes mode: the steps run in this image',
    ])
  })
})
