import {isKindCluster, targetContext} from '../domain/settings.js'
import {
  CONTROLLER_CHART_NAME,
  CONTROLLER_NAMESPACE,
  CONTROLLER_RELEASE,
  SCALE_SET_CHART_NAME,
  SCALE_SET_NAMESPACE,
  chartVersionOf,
} from '../domain/arc/charts.js'
import {jobStartedAt, runsJob, type EphemeralRunner} from '../domain/arc/runners.js'
import {UsageError} from '../domain/errors.js'
import {DEFAULT_RUNNER_IMAGE} from '../domain/installation/image.js'
import {findByName, instanceNames} from '../domain/installation/naming.js'
import {networkSummary} from '../domain/installation/network.js'
import type {HostMountSpec} from '../domain/installation/types.js'
import {cacheStorageSummary, type CacheStorageSummary} from './list.js'
import type {Deps} from '../pipeline/deps.js'
import type {HelmRelease} from '../adapters/tools/index.js'
import {ALL_TOOLS, requireTools} from '../adapters/tools/prerequisites.js'
import {readClusterStatus, type ClusterStatus} from '../pipeline/cluster.js'
import {runStep} from '../pipeline/run.js'
import {explainFailure, readConfig, type ActionContext} from './context.js'

const SCALE_SET_LABEL = 'actions.github.com/scale-set-name'

export interface PodStatus {
  name: string
  phase: string
  ready: boolean
  /** Why a container is waiting or terminated (ImagePullBackOff, CrashLoopBackOff, ...). */
  reason?: string
}

export interface ScaleSetStatus {
  name: string
  release?: {status: string; version?: string}
  runnerSet?: {currentRunners: number; pendingRunners: number; runningRunners: number}
  listener?: PodStatus
  runners: PodStatus[]
  /** The jobs its runners run now (ARC's EphemeralRunner status); runners without one are idle. */
  jobs: RunningJob[]
}

export interface RunningJob {
  runner: string
  repository?: string
  /** `owner/repo/.github/workflows/ci.yml@refs/heads/main` */
  workflow?: string
  job?: string
  runId?: number
  /** When the job started (ISO 8601), from the listener's write of the job into the runner's status; absent when unknown. */
  startedAt?: string
}

export interface InstallationStatus {
  name: string
  mode: string
  /** `deskrun pause`: no new runner starts until `deskrun resume`. */
  paused: boolean
  /** The runner container's image (`--runner-image` or ARC's default). */
  runnerImage: string
  /** `--mount` host paths. */
  mounts: HostMountSpec[]
  /** `--cache-storage-class`: the caches' storage class, size and claims; absent: host folders. */
  cacheStorage?: CacheStorageSummary
  /**
   * The proxy (credentials shown as ***) and no-proxy list it uses and whether a GitHub CA is set, each
   * with where it comes from: its own `--proxy` / `--github-ca-file`, or the defaults (`deskrun defaults`).
   */
  network: ReturnType<typeof networkSummary>
  scaleSets: ScaleSetStatus[]
}

export interface StatusReport {
  cluster: ClusterStatus
  controller: {
    release: string
    namespace: string
    installed: boolean
    status?: string
    version?: string
    ready: boolean
  }
  installations: InstallationStatus[]
}

interface Pod {
  metadata: {name: string; labels?: Record<string, string>}
  status?: {
    phase?: string
    reason?: string
    conditions?: {type: string; status: string}[]
    containerStatuses?: {state?: {waiting?: {reason?: string}; terminated?: {reason?: string}}}[]
  }
}

interface RunnerSet {
  metadata: {name: string}
  status?: {currentRunners?: number; pendingEphemeralRunners?: number; runningEphemeralRunners?: number}
}

export async function status(context: ActionContext, name?: string): Promise<StatusReport> {
  const config = await readConfig(context)
  // An installation, or one instance of it (`web-2`).
  const wanted = name === undefined ? undefined : findByName(config.installations, name)
  if (name && !wanted)
    throw new UsageError(`No installation or instance named "${name}".`, {
      hint: 'See the installations with: deskrun list',
    })
  await requireTools(isKindCluster(config) ? ALL_TOOLS : ['helm', 'kubectl'])
  const deps: Deps = {config, tools: context.tools(config), modes: context.modes}
  // A step from the start: the reads may take a while on a slow cluster, and nothing else is shown meanwhile.
  const {cluster, reads} = await runStep(
    `Cluster ${targetContext(config)}: reading`,
    async (task) => {
      const found = await readClusterStatus(deps).catch(async (error: unknown) => {
        throw await explainFailure(context, config, error)
      })
      const {helm, kubectl} = deps.tools
      const all = found.exists
        ? await Promise.all([
            helm.releases(CONTROLLER_NAMESPACE),
            helm.releases(SCALE_SET_NAMESPACE),
            kubectl.list<RunnerSet>('autoscalingrunnersets', {namespace: SCALE_SET_NAMESPACE}),
            kubectl.list<Pod>('pods', {namespace: CONTROLLER_NAMESPACE}),
            kubectl.list<Pod>('pods', {namespace: SCALE_SET_NAMESPACE}),
            // With managedFields: they say when each job started (jobStartedAt).
            kubectl.list<EphemeralRunner>('ephemeralrunners', {
              namespace: SCALE_SET_NAMESPACE,
              managedFields: true,
            }),
          ])
        : ([[], [], [], [], [], []] as [
            HelmRelease[],
            HelmRelease[],
            RunnerSet[],
            Pod[],
            Pod[],
            EphemeralRunner[],
          ])
      task.title = `Cluster ${targetContext(config)}: ${found.exists ? 'read' : 'not found'}`
      return {cluster: found, reads: all}
    },
    {json: context.json},
  )
  const selected = Object.values(config.installations).filter(
    (installation) => !wanted || installation.name === wanted.installation,
  )
  const report: StatusReport = {
    cluster,
    controller: {
      release: CONTROLLER_RELEASE,
      namespace: CONTROLLER_NAMESPACE,
      installed: false,
      ready: false,
    },
    installations: [],
  }
  const [controllerReleases, scaleSetReleases, runnerSets, controllerPods, runnerPods, runners] = reads

  const controller = controllerReleases.find((release) => release.name === CONTROLLER_RELEASE)
  if (controller) {
    const pods = controllerPods.filter(
      (pod) => pod.metadata.labels?.['app.kubernetes.io/part-of'] === 'gha-rs-controller',
    )
    report.controller = {
      ...report.controller,
      installed: true,
      status: controller.status,
      version: chartVersionOf(controller.chart, CONTROLLER_CHART_NAME),
      ready: pods.length > 0 && pods.every((pod) => podStatus(pod).ready),
    }
  }
  for (const installation of selected) {
    report.installations.push({
      name: installation.name,
      mode: installation.mode,
      paused: Boolean(installation.paused),
      runnerImage: installation.runnerImage ?? DEFAULT_RUNNER_IMAGE,
      mounts: installation.mounts ?? [],
      ...(installation.cacheStorage ? {cacheStorage: cacheStorageSummary(installation)} : {}),
      network: networkSummary(installation, config.networkDefaults),
      scaleSets: instanceNames(installation.name, installation.instances)
        .filter((scaleSet) => !wanted?.instance || scaleSet === wanted.instance)
        .map((scaleSet) => ({
          ...scaleSetStatus(scaleSet, scaleSetReleases, runnerSets, controllerPods, runnerPods),
          jobs: runningJobs(scaleSet, runners),
        })),
    })
  }
  return report
}

function runningJobs(scaleSet: string, runners: EphemeralRunner[]): RunningJob[] {
  return runners
    .filter((runner) => runner.metadata.labels?.[SCALE_SET_LABEL] === scaleSet && runsJob(runner))
    .map((runner) => {
      const status = runner.status ?? {}
      const startedAt = jobStartedAt(runner)
      return {
        runner: runner.metadata.name,
        ...(status.jobRepositoryName ? {repository: status.jobRepositoryName} : {}),
        ...(status.jobWorkflowRef ? {workflow: status.jobWorkflowRef} : {}),
        ...(status.jobDisplayName ? {job: status.jobDisplayName} : {}),
        ...(status.workflowRunId ? {runId: status.workflowRunId} : {}),
        ...(startedAt ? {startedAt} : {}),
      }
    })
}

function scaleSetStatus(
  name: string,
  releases: HelmRelease[],
  runnerSets: RunnerSet[],
  controllerPods: Pod[],
  runnerPods: Pod[],
): Omit<ScaleSetStatus, 'jobs'> {
  const release = releases.find((candidate) => candidate.name === name)
  const runnerSet = runnerSets.find((candidate) => candidate.metadata.name === name)
  const listener = controllerPods.find((pod) => pod.metadata.labels?.[SCALE_SET_LABEL] === name)
  return {
    name,
    release: release && {
      status: release.status,
      version: chartVersionOf(release.chart, SCALE_SET_CHART_NAME),
    },
    runnerSet: runnerSet && {
      currentRunners: runnerSet.status?.currentRunners ?? 0,
      pendingRunners: runnerSet.status?.pendingEphemeralRunners ?? 0,
      runningRunners: runnerSet.status?.runningEphemeralRunners ?? 0,
    },
    listener: listener && podStatus(listener),
    runners: runnerPods.filter((pod) => pod.metadata.labels?.[SCALE_SET_LABEL] === name).map(podStatus),
  }
}

function podStatus(pod: Pod): PodStatus {
  const waiting = pod.status?.containerStatuses
    ?.map((container) => container.state?.waiting?.reason ?? container.state?.terminated?.reason)
    .find(Boolean)
  return {
    name: pod.metadata.name,
    phase: pod.status?.phase ?? 'Unknown',
    ready: Boolean(
      pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True'),
    ),
    reason: waiting ?? pod.status?.reason,
  }
}
