/** The label ARC puts on every pod of a scale set (runners in its namespace, the listener in the controller's). */
export const SCALE_SET_LABEL = 'actions.github.com/scale-set-name'

/** ARC's EphemeralRunner, as far as deskrun reads it (apis/actions.github.com/v1alpha1/ephemeralrunner_types.go). */
export interface EphemeralRunner {
  metadata: {name: string; labels?: Record<string, string>; managedFields?: ManagedFieldsEntry[]}
  status?: {
    phase?: string
    jobRequestId?: number
    jobRepositoryName?: string
    jobWorkflowRef?: string
    workflowRunId?: number
    jobDisplayName?: string
  }
}

/** One writer's record in metadata.managedFields (kubectl shows them with --show-managed-fields). */
export interface ManagedFieldsEntry {
  manager?: string
  operation?: string
  subresource?: string
  /** When that writer last changed its fields (RFC 3339). */
  time?: string
  fieldsV1?: Record<string, unknown>
}

/**
 * Whether the runner is running a job now: the controller sets the job's fields when GitHub assigns
 * it, and a runner that failed or finished keeps them until it is removed.
 */
export function runsJob(runner: EphemeralRunner): boolean {
  const status = runner.status ?? {}
  return (
    Boolean(status.jobRequestId || status.jobRepositoryName) &&
    !['Failed', 'Succeeded'].includes(status.phase ?? '')
  )
}

/**
 * When the runner's job started, or undefined when nothing says. The status has no such field: ARC's
 * listener writes the job's fields into the status (a merge patch of the `status` subresource) when
 * GitHub reports the job started, and the API server stamps that write in the writer's managedFields
 * entry. Nobody else writes those fields, so that entry's time is the start. The entry is found by the
 * fields it owns, not by the writer's name (`ghalistener` today).
 */
export function jobStartedAt(runner: EphemeralRunner): string | undefined {
  const times = (runner.metadata.managedFields ?? [])
    .filter((entry) => entry.subresource === 'status' && entry.time)
    .filter((entry) => {
      const status = entry.fieldsV1?.['f:status'] as Record<string, unknown> | undefined
      return status !== undefined && ('f:jobRequestId' in status || 'f:jobRepositoryName' in status)
    })
    .map((entry) => entry.time as string)
    .filter((time) => !Number.isNaN(Date.parse(time)))
  return times.sort().at(-1)
}
