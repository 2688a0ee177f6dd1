import {expect} from 'chai'

import {jobStartedAt, runsJob} from '../../../src/lib/domain/arc/runners.js'

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

describe('when the job of an EphemeralRunner started', () => {
  // As the API server records writes (kubectl get --show-managed-fields): the controller's own status
  // updates as manager `manager`, the listener's job patch as `ghalistener`.
  const controllerEntry = {
    manager: 'manager',
    operation: 'Update',
    apiVersion: 'actions.github.com/v1alpha1',
    time: '2025-06-01T10:05:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: {'f:status': {'.': {}, 'f:phase': {}, 'f:ready': {}, 'f:runnerId': {}, 'f:runnerName': {}}},
    subresource: 'status',
  }
  const listenerEntry = {
    manager: 'ghalistener',
    operation: 'Update',
    apiVersion: 'actions.github.com/v1alpha1',
    time: '2025-06-01T10:02:13Z',
    fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:status': {
        'f:jobDisplayName': {},
        'f:jobRepositoryName': {},
        'f:jobRequestId': {},
        'f:jobWorkflowRef': {},
        'f:workflowRunId': {},
      },
    },
    subresource: 'status',
  }
  const runner = (managedFields?: unknown[]) =>
    ({metadata: {name: 'web-abcde-runner-fghij', managedFields}, status: {jobRequestId: 7}}) as never

  it("is the time of the write that set the job's fields, whichever writer wrote later", () => {
    expect(jobStartedAt(runner([controllerEntry, listenerEntry]))).to.equal('2025-06-01T10:02:13Z')
  })

  it('is unknown without that record (kubectl without --show-managed-fields, or an idle runner)', () => {
    expect(jobStartedAt(runner())).to.equal(undefined)
    expect(jobStartedAt(runner([controllerEntry]))).to.equal(undefined)
  })

  it('is unknown when the job fields were written to the object rather than its status, or without a time', () => {
    expect(jobStartedAt(runner([{...listenerEntry, subresource: undefined}]))).to.equal(undefined)
    expect(jobStartedAt(runner([{...listenerEntry, time: undefined}]))).to.equal(undefined)
  })
})
