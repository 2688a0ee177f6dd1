/**
 * `--cpus` and `--memory`: limits for each container that runs a job's work (the runner, the kubernetes
 * modes' job container, the dind daemon), so CI never takes the whole machine. None by default.
 *
 * Requests are kept small (at most 100m CPU and 256Mi), not equal to the limits: Kubernetes would
 * otherwise request the whole limit for each container, and a desk's single node would refuse to
 * schedule runners long before the machine is busy.
 */

/** What Kubernetes puts in a container's `resources`. */
export interface ResourceRequirements {
  limits: {cpu?: string; memory?: string}
  requests: {cpu?: string; memory?: string}
}

const REQUEST_CPU_MILLIS = 100
const REQUEST_MEMORY_BYTES = 256 * 2 ** 20
const MIN_CPU_MILLIS = 10
const MIN_MEMORY_BYTES = 64 * 2 ** 20

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
}

/** `2`, `1.5` (cores) or `500m` (millicores) -> millicores; undefined when it is neither. */
export function cpuMillis(value: string): number | undefined {
  const cores = /^(\d+(?:\.\d{1,3})?)$/.exec(value)
  if (cores) return Math.round(Number(cores[1]) * 1000)
  const millis = /^(\d+)m$/.exec(value)
  return millis ? Number(millis[1]) : undefined
}

/** `4Gi`, `512Mi`, `2G` (Kubernetes units) -> bytes; undefined otherwise. */
export function memoryBytes(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(value)
  return match ? Math.round(Number(match[1]) * MEMORY_UNITS[match[2] ?? '']) : undefined
}

/** What is wrong with `--cpus` / `--memory`, one sentence each with the fix. */
export function resourceProblems(input: {cpus?: string; memory?: string}): string[] {
  const problems: string[] = []
  if (input.cpus !== undefined) {
    const millis = cpuMillis(input.cpus)
    if (millis === undefined)
      problems.push(`--cpus "${input.cpus}" is not a CPU amount: give cores (2, 1.5) or millicores (500m).`)
    else if (millis < MIN_CPU_MILLIS) problems.push(`--cpus ${input.cpus} is too little: at least 10m.`)
  }
  if (input.memory !== undefined) {
    const bytes = memoryBytes(input.memory)
    // Docker's 512m means MiB; Kubernetes reads m as thousandths of a byte.
    const docker = /^\d+(?:\.\d+)?[bkmg]b?$/i.exec(input.memory) && bytes === undefined
    if (bytes === undefined)
      problems.push(
        `--memory "${input.memory}" is not a memory amount: use Kubernetes units such as 512Mi or 4Gi` +
          `${docker ? ' (Docker-style units are not accepted)' : ''}.`,
      )
    else if (bytes < MIN_MEMORY_BYTES) problems.push(`--memory ${input.memory} is too little: at least 64Mi.`)
  }
  return problems
}

/** The `resources` of a limited container; undefined without limits (or with invalid ones). */
export function resourceRequirements(input: {
  cpus?: string
  memory?: string
}): ResourceRequirements | undefined {
  const millis = input.cpus === undefined ? undefined : cpuMillis(input.cpus)
  const bytes = input.memory === undefined ? undefined : memoryBytes(input.memory)
  if (millis === undefined && bytes === undefined) return undefined
  const result: ResourceRequirements = {limits: {}, requests: {}}
  if (millis !== undefined) {
    result.limits.cpu = input.cpus
    result.requests.cpu = `${Math.min(millis, REQUEST_CPU_MILLIS)}m`
  }
  if (bytes !== undefined) {
    result.limits.memory = input.memory
    result.requests.memory = bytes < REQUEST_MEMORY_BYTES ? input.memory : '256Mi'
  }
  return result
}
