/** The label ARC puts on every pod of a scale set (runners in its namespace, the listener in the controller's). */
export const SCALE_SET_LABEL = 'actions.github.com/scale-set-name'

/** ARC's EphemeralRunner, as far as deskrun reads it (apis/actions.github.com/v1alpha1/ephemeralrunner_types.go). */
export interface EphemeralRunner {
  metadata: {name: string; labels?: Record<string, string>}
  status?: {
    phase?: string
    jobRequestId?: number
    jobRepositoryName?: string
    jobWorkflowRef?: string
    workflowRunId?: number
    jobDisplayName?: string
  }
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
