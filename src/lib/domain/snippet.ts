/**
 * What a workflow says to run its jobs on an installation: `runs-on:` (one scale set name per instance)
 * and, where the mode runs steps in a job pod, `container:`. Read from the scale set values the mode
 * rendered, so a plugin's mode is described as truly as a built-in one.
 */
import {REQUIRE_JOB_CONTAINER_ENV, RUNNER_CONTAINER} from './modes/helpers.js'

/**
 * `required`: the kubernetes modes refuse a job without `container:` (ARC issue 2977);
 * `optional`: a job without one runs in the runner container; `no`: the runner container runs the steps.
 */
export type JobContainer = 'required' | 'optional' | 'no'

/** Any image works; this one is small and has a shell, as the job's steps need. */
export const EXAMPLE_JOB_IMAGE = 'ubuntu:24.04'

export interface Snippet {
  installation: string
  mode: string
  /** The `runs-on:` values, one per instance. */
  runsOn: string[]
  jobContainer: JobContainer
  /** Lines to paste into a job of a workflow (under `jobs.<id>:`). */
  text: string
}

interface ModeValuesView {
  containerMode?: {type?: string}
  template?: {spec?: {containers?: {name: string; env?: {name: string; value?: string}[]}[]}}
}

/** Whether jobs need `container:`, from one scale set's values. */
export function jobContainerOf(values: ModeValuesView): JobContainer {
  const type = values.containerMode?.type
  if (type !== 'kubernetes' && type !== 'kubernetes-novolume') return 'no'
  const runner = values.template?.spec?.containers?.find((container) => container.name === RUNNER_CONTAINER)
  const required = runner?.env?.find((env) => env.name === REQUIRE_JOB_CONTAINER_ENV)?.value
  // The chart sets it to true in these modes unless the runner container says otherwise.
  return required === 'false' ? 'optional' : 'required'
}

/** The `container:` line of a job in `mode` (commented out where it is optional); undefined where it has none. */
export function jobContainerLine(jobContainer: JobContainer, mode: string): string | undefined {
  if (jobContainer === 'required')
    return `container: ${EXAMPLE_JOB_IMAGE} # required in ${mode} mode: the steps run in this image`
  if (jobContainer === 'optional')
    return `# container: ${EXAMPLE_JOB_IMAGE} # optional in ${mode} mode: without it the steps run in the runner container`
  return undefined
}

export function workflowSnippet(input: {
  installation: string
  mode: string
  runsOn: string[]
  jobContainer: JobContainer
  paused?: boolean
}): Snippet {
  const {installation, runsOn, jobContainer} = input
  const lines: string[] = []
  if (input.paused) lines.push(`# ${installation} is paused: jobs wait until deskrun resume ${installation}`)
  if (runsOn.length === 1) lines.push(`runs-on: ${runsOn[0]}`)
  else
    lines.push(
      `# ${installation} has ${runsOn.length} instances of one runner each. This matrix runs the job once on each;`,
      `# to run it once on one of them instead: runs-on: ${installation}-\${{ github.run_number % ${runsOn.length} + 1 }}`,
      'strategy:',
      '  matrix:',
      `    runner: [${runsOn.join(', ')}]`,
      'runs-on: ${{ matrix.runner }}',
    )
  const container = jobContainerLine(jobContainer, input.mode)
  if (container) lines.push(container)
  return {installation, mode: input.mode, runsOn, jobContainer, text: lines.join('\n')}
}
