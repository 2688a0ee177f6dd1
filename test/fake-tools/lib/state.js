// The fakes' whole world lives in one JSON file inside $FAKE_TOOLS_STATE, guarded by an O_EXCL lock file
// so that concurrent fake processes (deskrun runs steps in parallel) never lose each other's writes.
import fs from 'node:fs'
import path from 'node:path'

import {deleteObject, getObject, putObject, runningPod, seedCluster} from './kube.js'

const LOCK_TIMEOUT_MS = 30_000

/** @returns {any} an empty world: no clusters, no contexts, no calls counted yet. */
export function freshState() {
  return {version: 1, counters: {}, faultsFired: {}, contexts: {}, currentContext: null, clusters: {}}
}

/** @param {string} dir @returns {any} */
export function loadState(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'))
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return freshState()
    throw error
  }
}

/** @param {string} dir @param {any} state */
function saveState(dir, state) {
  const file = path.join(dir, 'state.json')
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, JSON.stringify(state))
  fs.renameSync(temp, file)
}

/**
 * The world as this process last saved it, by folder, with the file's identity then. Fakes in process
 * (test/helpers/fake-exec.ts) make dozens of calls in a row on one world: while the file is the one saved
 * here (no other process wrote it since), the object is used again instead of parsing the file again.
 * @type {Map<string, {stamp: string, state: any}>}
 */
const saved = new Map()
/** Worlds kept: the sandboxes a test uses at once. */
const KEEP_SAVED = 4

/** Identity of the state file: each save is a new file (rename), so inode, size and mtime change. @param {string} dir */
function stamp(dir) {
  try {
    const stat = fs.statSync(path.join(dir, 'state.json'), {bigint: true})
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}`
  } catch {
    return ''
  }
}

/** @param {number} ms */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM'
  }
}

/**
 * Takes the lock (a file created with O_EXCL holding our pid). A lock left by a dead process (SIGKILL,
 * timeout) is taken over.
 * @param {string} dir @returns {() => void} release
 */
function lock(dir) {
  const file = path.join(dir, 'state.lock')
  const deadline = Date.now() + LOCK_TIMEOUT_MS
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), {flag: 'wx'})
      return () => fs.rmSync(file, {force: true})
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error
    }
    let holder = 0
    try {
      holder = Number(fs.readFileSync(file, 'utf8'))
    } catch {
      continue // released meanwhile
    }
    if (holder && !alive(holder)) {
      fs.rmSync(file, {force: true})
      continue
    }
    if (Date.now() > deadline)
      throw new Error(`fake tools: ${file} is held by process ${holder || '?'} for too long`)
    sleep(2 + Math.random() * 8)
  }
}

/**
 * Runs fn on the state under the lock and saves what it leaves (unless dry).
 * @template T
 * @param {string} dir @param {(state: any) => T} fn @param {{dry?: boolean}} [options]
 * @returns {T}
 */
export function withState(dir, fn, options = {}) {
  fs.mkdirSync(dir, {recursive: true})
  const release = lock(dir)
  try {
    const known = saved.get(dir)
    // fn may change the object and then fail, or run dry: the copy kept here is then no longer the file's.
    saved.delete(dir)
    const state = known && known.stamp === stamp(dir) ? known.state : loadState(dir)
    const result = fn(state)
    if (!options.dry) {
      saveState(dir, state)
      saved.set(dir, {stamp: stamp(dir), state})
      for (const old of [...saved.keys()].slice(0, -KEEP_SAVED)) saved.delete(old)
    }
    return result
  } finally {
    release()
  }
}

/** @param {string} dir @param {object} record */
export function appendCall(dir, record) {
  fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify(record) + '\n')
}

/** @param {string} dir @returns {any[]} */
export function readCalls(dir) {
  let text = ''
  try {
    text = fs.readFileSync(path.join(dir, 'calls.jsonl'), 'utf8')
  } catch {
    return []
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
}

/**
 * For tests: puts the latest revision of a Helm release into a status such as pending-install,
 * pending-upgrade, failed or uninstalling (what an interrupted helm leaves behind).
 * @param {string} dir @param {string} cluster @param {string} namespace @param {string} name @param {string} status
 */
export function setReleaseStatus(dir, cluster, namespace, name, status) {
  withState(dir, (state) => {
    const release = state.clusters[cluster]?.releases.find(
      (/** @type {any} */ r) => r.name === name && r.namespace === namespace,
    )
    if (!release) throw new Error(`fake tools: no release ${namespace}/${name} in cluster ${cluster}`)
    release.revisions[release.revisions.length - 1].status = status
  })
}

/** The EphemeralRunner status fields the listener's JobStarted patch sets (ephemeralrunner_types.go). */
const JOB_FIELDS = [
  'jobRequestId',
  'jobRepositoryName',
  'jobId',
  'jobWorkflowRef',
  'workflowRunId',
  'jobDisplayName',
]

/**
 * GitHub assigns a job to a runner (or, with `job` null, the job is done). When the job starts, ARC's
 * listener (0.14.2 cmd/ghalistener/scaler/scaler.go, HandleJobStarted) sends a JSON merge patch of these
 * fields to the EphemeralRunner's `status` subresource; the API server records that write in
 * metadata.managedFields as field manager `ghalistener` (the binary's name: client-go's default user agent),
 * operation Update, subresource status, at the time of the write (`job.at`, default now; RFC 3339 seconds).
 * @param {string} dir @param {string} cluster @param {string} runner
 * @param {{requestId: number, repository: string, workflowRef: string, runId: number, name: string, id?: string, at?: string,
 *   container?: string, services?: {name: string, image: string}[]} | null} job
 *   In the kubernetes modes the job's pod starts too (see jobPod), with the workflow's `container:` image
 *   and `services:`.
 * @param {string} [phase] the runner's phase meanwhile (a runner whose pod failed is `Failed`, job fields and all)
 */
export function assignJob(dir, cluster, runner, job, phase) {
  withState(dir, (state) => {
    const found = state.clusters[cluster]?.objects.find(
      (/** @type {any} */ o) => o.kind === 'EphemeralRunner' && o.metadata.name === runner,
    )
    if (!found) throw new Error(`fake tools: no EphemeralRunner ${runner} in cluster ${cluster}`)
    const rest = Object.fromEntries(
      Object.entries(found.status ?? {}).filter(([key]) => !JOB_FIELDS.includes(key)),
    )
    const others = (found.metadata.managedFields ?? []).filter(
      (/** @type {any} */ entry) => entry.manager !== 'ghalistener',
    )
    if (others.length > 0) found.metadata.managedFields = others
    else delete found.metadata.managedFields
    found.status = rest
    if (job) {
      /** @type {Record<string, unknown>} */
      const fields = {
        jobRequestId: job.requestId,
        jobRepositoryName: job.repository,
        ...(job.id ? {jobId: job.id} : {}),
        jobWorkflowRef: job.workflowRef,
        workflowRunId: job.runId,
        jobDisplayName: job.name,
      }
      Object.assign(found.status, fields)
      const time = (job.at ? new Date(job.at) : new Date()).toISOString().replace(/\.\d+Z$/, 'Z')
      found.metadata.managedFields = [
        ...others,
        {
          manager: 'ghalistener',
          operation: 'Update',
          apiVersion: 'actions.github.com/v1alpha1',
          time,
          fieldsType: 'FieldsV1',
          // The API server lists fields sorted by name.
          fieldsV1: {
            'f:status': Object.fromEntries(
              Object.keys(fields)
                .sort()
                .map((key) => [`f:${key}`, {}]),
            ),
          },
          subresource: 'status',
        },
      ]
    }
    if (phase) found.status.phase = phase
    jobPod(state.clusters[cluster], found.metadata.namespace, runner, job)
  })
}

/**
 * What the container hook of the kubernetes modes does around a job (actions/runner-container-hooks,
 * packages/k8s: prepare_job's createPod, cleanup_job): the job runs in a pod of its own, named after the
 * runner pod (cut to 54 characters) plus `-workflow`, labelled `runner-pod=<runner pod>`, with the job
 * container `job` (its command `tail -f /dev/null`: the steps run in it through `kubectl exec`, so their
 * output goes to GitHub, not to this container's log) and one container per service. The novolume hook
 * (0.8) adds the init container `fs-init` that prepares the workspace. Runners without the hook (dind)
 * run jobs in their own pod.
 * @param {any} cluster @param {string} namespace @param {string} runner
 * @param {{container?: string, services?: {name: string, image: string}[]} | null} job
 */
function jobPod(cluster, namespace, runner, job) {
  const name = `${runner.slice(0, 63 - '-workflow'.length)}-workflow`
  const existing = getObject(cluster, 'Pod', namespace, name)
  if (!job) {
    if (existing) deleteObject(cluster, existing)
    return
  }
  const runnerPod = getObject(cluster, 'Pod', namespace, runner)
  const hook = runnerPod?.spec.containers
    .find((/** @type {any} */ c) => c.name === 'runner')
    ?.env?.find((/** @type {any} */ e) => e.name === 'ACTIONS_RUNNER_CONTAINER_HOOKS')?.value
  if (!hook || existing) return
  const image = runnerPod.spec.containers.find((/** @type {any} */ c) => c.name === 'runner').image
  const spec = {
    ...(hook.includes('k8s-novolume')
      ? {initContainers: [{name: 'fs-init', image, command: ['sh', '-c', 'mkdir -p /mnt/externals']}]}
      : {}),
    containers: [
      {name: 'job', image: job.container ?? 'ubuntu:24.04', command: ['tail'], args: ['-f', '/dev/null']},
      ...(job.services ?? []).map((service) => ({name: service.name, image: service.image})),
    ],
    restartPolicy: 'Never',
  }
  putObject(cluster, runningPod(cluster, name, namespace, spec, {'runner-pod': runner}))
}

/**
 * What a container of a pod has written to its log (the kubelet keeps it; `kubectl logs` reads it).
 * @param {string} dir @param {string} cluster @param {string} namespace @param {string} pod
 * @param {string} container @param {string[]} lines
 */
export function writePodLog(dir, cluster, namespace, pod, container, lines) {
  withState(dir, (state) => {
    const found = state.remote?.[cluster] ?? state.clusters[cluster]
    if (!found) throw new Error(`fake tools: no cluster ${cluster}`)
    const key = `${namespace}/${pod}/${container}`
    found.podLogs = {...found.podLogs, [key]: [...(found.podLogs?.[key] ?? []), ...lines]}
  })
}

/** What the user may not do in a cluster (`kubectl auth can-i` says "no"), e.g. `create namespaces`. @param {string} dir @param {string} name @param {string[]} denied */
export function denyInCluster(dir, name, denied) {
  withState(dir, (state) => {
    const cluster = state.remote?.[name] ?? state.clusters[name]
    if (!cluster) throw new Error(`fake tools: no cluster ${name}`)
    cluster.denied = denied
  })
}

/**
 * A Kubernetes cluster that kind did not make (a homelab k3s, a team's cluster), reachable through kube
 * context `context`: kind and docker do not see it, kubectl and helm do. Its nodes are named
 * `<name>-node-<n>`.
 * @param {string} dir @param {{name: string, context: string, version?: string, nodes?: number}} spec
 */
export function addRemoteCluster(dir, spec) {
  withState(dir, (state) => {
    const version = spec.version ?? 'v1.31.4'
    const nodes = Array.from({length: spec.nodes ?? 1}, (_, i) => ({
      name: `${spec.name}-node-${i + 1}`,
      role: i === 0 ? 'control-plane' : 'worker',
      image: `rancher/k3s:${version}-k3s1`,
      extraMounts: [],
    }))
    const port = 6443
    const image = `rancher/k3s:${version}-k3s1`
    const cluster = {
      name: spec.name,
      created: new Date().toISOString(),
      image,
      nodes,
      port,
      rv: 1000,
      objects: [],
      releases: [],
    }
    // A k3s cluster: its local-path class is called local-path.
    seedCluster(cluster, 'local-path')
    state.remote = {...state.remote, [spec.name]: cluster}
    state.contexts[spec.context] = {cluster: spec.name, port, remote: true}
  })
}

/**
 * How the command of a systemd user unit ended (the fake runs none): `active` (a oneshot with
 * RemainAfterExit that succeeded), `failed`, `activating` (still running, or waiting to restart).
 * @param {string} dir @param {string} unit @param {string} state
 */
export function setUnitState(dir, unit, state) {
  withState(dir, (world) => {
    const record = world.systemd?.units?.[unit]
    if (!record) throw new Error(`fake tools: the user manager knows no unit ${unit}`)
    record.state = state
  })
}

/**
 * How a launchd agent's program ended (the fake runs none): its state (`not running`, `running`) and
 * last exit code.
 * @param {string} dir @param {string} label @param {{state: string, lastExitCode?: number}} job
 */
export function setLaunchdJob(dir, label, job) {
  withState(dir, (world) => {
    const found = world.launchd?.jobs?.[label]
    if (!found) throw new Error(`fake tools: launchd has no job ${label} loaded`)
    Object.assign(found, job, job.state === 'running' ? {} : {pid: undefined})
  })
}

/**
 * Whether systemd runs this machine (PID 1). Not (a container, WSL without systemd): there is no user
 * manager, and systemctl changes unit files offline where it can.
 * @param {string} dir @param {boolean} booted
 */
export function setSystemdBooted(dir, booted) {
  withState(dir, (world) => {
    world.systemd = {units: {}, ...world.systemd, booted}
  })
}
