// Types for the parts of state.js the TypeScript test harness uses.
export function freshState(): unknown
export function loadState(dir: string): unknown
export function withState<T>(dir: string, fn: (state: unknown) => T, options?: {dry?: boolean}): T
export function appendCall(dir: string, record: object): void
export function readCalls(dir: string): unknown[]
export function setReleaseStatus(
  dir: string,
  cluster: string,
  namespace: string,
  name: string,
  status: string,
): void
export function assignJob(
  dir: string,
  cluster: string,
  runner: string,
  job: {
    requestId: number
    repository: string
    workflowRef: string
    runId: number
    name: string
    /** The job's id (JobStarted's JobID). */
    id?: string
    /** When the listener recorded the job (its managedFields time); default now. */
    at?: string
    /** The workflow's `container:` image (kubernetes modes: the job pod's `job` container). */
    container?: string
    /** The workflow's `services:`: containers of the job pod (kubernetes modes). */
    services?: {name: string; image: string}[]
  } | null,
  phase?: string,
): void
export function addRemoteCluster(
  dir: string,
  spec: {name: string; context: string; version?: string; nodes?: number},
): void
export function denyInCluster(dir: string, name: string, denied: string[]): void
export function writePodLog(
  dir: string,
  cluster: string,
  namespace: string,
  pod: string,
  container: string,
  lines: string[],
): void
export function setUnitState(dir: string, unit: string, state: string): void
export function setLaunchdJob(dir: string, label: string, job: {state: string; lastExitCode?: number}): void
export function setSystemdBooted(dir: string, booted: boolean): void
