import {expect} from 'chai'

import {runsJob} from '../../../src/lib/domain/arc/runners.js'

describe('an EphemeralRunner running a job', () => {
  const runner = (status: Record<string, unknown>) => ({metadata: {name: 'web-abcde-runner-fghij'}, status})

  it('runs one when the controller set the job it was assigned', () => {
    expect(runsJob(runner({phase: 'Running', jobRequestId: 7, jobRepositoryName: 'owner/repo'}))).to.equal(
      true,
    )
  })

  it('runs none while idle', () => {
    expect(runsJob(runner({phase: 'Running'}))).to.equal(false)
  })

  it('runs none once it failed or finished, though the job fields stay until it goes', () => {
    for (const phase of ['Failed', 'Succeeded'])
      expect(runsJob(runner({phase, jobRequestId: 7, jobRepositoryName: 'owner/repo'})), phase).to.equal(
        false,
      )
  })
})
