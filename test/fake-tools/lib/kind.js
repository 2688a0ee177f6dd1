// Fake kind v0.29.0: clusters are records in the state; each gets a kube context and a seeded API server.
import fs from 'node:fs'
import path from 'node:path'

import {ToolError, findCommand, goDuration, parseArgs, parseDuration, stripCommand} from './common.js'
import {invoke, runTool} from './invoke.js'
import {seedCluster} from './kube.js'
import {parse as parseYaml} from './yaml.js'

/** @typedef {import('./common.js').Spec} Spec */

/** @type {Spec} */
const GLOBAL = {
  verbosity: {type: 'string', short: 'v'},
  quiet: {type: 'bool', short: 'q'},
  help: {type: 'bool', short: 'h'},
}
const NAME = {name: /** @type {import('./common.js').FlagSpec} */ ({type: 'string', short: 'n'})}
const DEFAULT_IMAGE = 'kindest/node:v1.33.1'
const DOCKER_DOWN =
  'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'

/** @type {Record<string, {spec: Spec, run: (ctx: any, flags: any, args: string[]) => void}>} */
const COMMANDS = {
  version: {spec: {}, run: (ctx) => ctx.out('kind v0.29.0 go1.24.2 linux/amd64\n')},
  'get clusters': {
    spec: {},
    run: (ctx) => {
      dockerUp(
        ctx,
        'failed to list clusters',
        `docker ps -a --filter label=io.x-k8s.kind.cluster --format '{{index .Labels "io.x-k8s.kind.cluster"}}'`,
      )
      const names = Object.keys(ctx.state.clusters).sort()
      if (names.length === 0) ctx.err('No kind clusters found.\n')
      else ctx.out(names.map((n) => `${n}\n`).join(''))
    },
  },
  'get nodes': {
    spec: {...NAME, 'all-clusters': {type: 'bool', short: 'A'}},
    run: (ctx, flags) => {
      dockerUp(
        ctx,
        'failed to list nodes',
        `docker ps -a --filter label=io.x-k8s.kind.cluster=${flags.name ?? 'kind'} --format '{{.Names}}'`,
      )
      const clusters = flags['all-clusters']
        ? Object.values(ctx.state.clusters)
        : [ctx.state.clusters[flags.name ?? 'kind']].filter(Boolean)
      const nodes = clusters.flatMap((/** @type {any} */ c) => c.nodes.map((/** @type {any} */ n) => n.name))
      if (nodes.length === 0) ctx.err(`No kind nodes found for cluster "${flags.name ?? 'kind'}".\n`)
      else ctx.out(nodes.map((/** @type {string} */ n) => `${n}\n`).join(''))
    },
  },
  'get kubeconfig': {
    spec: {...NAME, internal: {type: 'bool'}},
    run: (ctx, flags) => ctx.out(kubeconfig(existing(ctx, flags.name ?? 'kind'), flags.internal)),
  },
  'export kubeconfig': {
    spec: {...NAME, kubeconfig: {type: 'string'}, internal: {type: 'bool'}},
    run: (ctx, flags) => {
      const c = existing(ctx, flags.name ?? 'kind')
      ctx.state.contexts[`kind-${c.name}`] = {cluster: c.name, port: c.port}
      ctx.state.currentContext = `kind-${c.name}`
      ctx.err(`Set kubectl context to "kind-${c.name}"\n`)
    },
  },
  'create cluster': {
    spec: {
      ...NAME,
      config: {type: 'string'},
      image: {type: 'string'},
      wait: {type: 'string'},
      retain: {type: 'bool'},
      kubeconfig: {type: 'string'},
    },
    run: createCluster,
  },
  'delete cluster': {
    spec: {...NAME, kubeconfig: {type: 'string'}},
    run: (ctx, flags) => {
      const name = flags.name ?? 'kind'
      dockerUp(
        ctx,
        `failed to delete cluster "${name}"`,
        `docker ps -a --filter label=io.x-k8s.kind.cluster=${name} --format '{{.Names}}'`,
      )
      ctx.err(`Deleting cluster "${name}" ...\n`)
      const c = ctx.state.clusters[name]
      if (!c) return
      forget(ctx.state, name)
      ctx.err(`Deleted nodes: [${c.nodes.map((/** @type {any} */ n) => `"${n.name}"`).join(' ')}]\n`)
    },
  },
  'delete clusters': {
    spec: {all: {type: 'bool', short: 'A'}, kubeconfig: {type: 'string'}},
    run: (ctx, flags, args) => {
      const names = flags.all ? Object.keys(ctx.state.clusters) : args.filter((n) => ctx.state.clusters[n])
      for (const name of names) forget(ctx.state, name)
      ctx.err(`Deleted clusters: [${names.map((n) => `"${n}"`).join(' ')}]\n`)
    },
  },
}
const GROUPS = ['get', 'export', 'create', 'delete']
const REAL_BUT_NOT_EMULATED = ['load', 'build', 'completion', ...GROUPS]

/** One call of the fake kind, in process (see invoke.js). @type {import('./invoke.js').Tool} */
export const run = (argv, io) => invoke('kind', argv, io, kind, (message) => `ERROR: ${message}\n`)

/** The executable (../bin/kind). @param {string[]} argv */
export const main = (argv) => runTool(run, argv)

/** @param {any} ctx */
function kind(ctx) {
  const {command, words} = findCommand(
    ctx.argv,
    Object.keys(COMMANDS).map((c) => c.split(' ')),
    GLOBAL,
  )
  if (!command) {
    if (words.length === 0) throw new ToolError('kind: the fake prints no help; give a command')
    if (GROUPS.includes(words[0]) && words[1])
      throw new ToolError(`unknown command "${words[1]}" for "kind ${words[0]}"`)
    if (REAL_BUT_NOT_EMULATED.includes(words[0]))
      throw new ToolError(`fake kind: "kind ${words.join(' ')}" is not emulated`)
    throw new ToolError(`unknown command "${words[0]}" for "kind"`)
  }
  const {spec, run} = COMMANDS[command.join(' ')]
  const {flags, args} = parseArgs(stripCommand(ctx.argv, command), {...GLOBAL, ...spec})
  run(ctx, flags, args)
}

/** kind lists its node containers through docker first; with Docker down that is where it fails. */
function dockerUp(/** @type {any} */ ctx, /** @type {string} */ what, /** @type {string} */ command) {
  if (ctx.env.FAKE_DOCKER_DOWN === '1')
    throw new ToolError(
      `${what}: command "${command}" failed with error: exit status 1\nCommand Output: ${DOCKER_DOWN}`,
    )
}

function existing(/** @type {any} */ ctx, /** @type {string} */ name) {
  const c = ctx.state.clusters[name]
  if (!c)
    throw new ToolError(
      `could not locate any control plane nodes for cluster named '${name}'. Use the --name option to select a different cluster`,
    )
  return c
}

/** Removes a cluster with its context, objects and releases. */
function forget(/** @type {any} */ state, /** @type {string} */ name) {
  delete state.clusters[name]
  delete state.contexts[`kind-${name}`]
  if (state.currentContext === `kind-${name}`) state.currentContext = null
}

const CLUSTER_FIELDS = ['kind', 'apiVersion', 'name', 'featureGates', 'runtimeConfig', 'nodes', 'networking', 'kubeadmConfigPatches', 'kubeadmConfigPatchesJSON6902', 'containerdConfigPatches', 'containerdConfigPatchesJSON6902'] // prettier-ignore
const NODE_FIELDS = [
  'role',
  'image',
  'labels',
  'extraMounts',
  'extraPortMappings',
  'kubeadmConfigPatches',
  'kubeadmConfigPatchesJSON6902',
]
const MOUNT_FIELDS = ['containerPath', 'hostPath', 'readOnly', 'selinuxRelabel', 'propagation']

/** Decodes a kind config like kind's strict loader. @param {string} text @returns {any} */
function parseConfig(text) {
  let config
  try {
    config = parseYaml(text) ?? {}
  } catch (error) {
    throw new ToolError(
      `failed to create cluster: could not determine kind / apiVersion for config: ${/** @type {Error} */ (error).message.split('\n')[0]}`,
    )
  }
  if (config.apiVersion !== 'kind.x-k8s.io/v1alpha4')
    throw new ToolError(`failed to create cluster: unknown apiVersion: ${config.apiVersion ?? ''}`)
  if (config.kind !== 'Cluster')
    throw new ToolError(
      `failed to create cluster: unknown kind ${config.kind ?? ''} for apiVersion: ${config.apiVersion}`,
    )
  const strict = (/** @type {any} */ obj, /** @type {string[]} */ fields) => {
    const unknown = Object.keys(obj ?? {}).find((k) => !fields.includes(k))
    if (unknown)
      throw new ToolError(
        `failed to create cluster: unable to decode config: error unmarshaling JSON: while decoding JSON: json: unknown field "${unknown}"`,
      )
  }
  strict(config, CLUSTER_FIELDS)
  for (const node of config.nodes ?? []) {
    strict(node, NODE_FIELDS)
    for (const mount of node.extraMounts ?? []) strict(mount, MOUNT_FIELDS)
  }
  return config
}

/** `kind create cluster`: validates the config, records the cluster, its context and its seeded objects. */
function createCluster(/** @type {any} */ ctx, /** @type {any} */ flags) {
  let text = ''
  if (flags.config === '-') text = ctx.stdin ?? ''
  else if (flags.config) {
    try {
      text = fs.readFileSync(flags.config, 'utf8')
    } catch {
      throw new ToolError(
        `failed to create cluster: error reading file: open ${flags.config}: no such file or directory`,
      )
    }
  }
  const config = flags.config ? parseConfig(text) : {kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4'}
  const name = flags.name ?? config.name ?? 'kind'
  if (flags.wait !== undefined && parseDuration(flags.wait) === undefined)
    throw new ToolError(
      `invalid argument "${flags.wait}" for "--wait" flag: time: invalid duration "${flags.wait}"`,
    )
  if (!/^[a-z0-9.-]+$/.test(name))
    throw new ToolError(
      `failed to create cluster: '${name}' is not a valid cluster name, cluster names must match \`^[a-z0-9.-]+$\``,
    )
  dockerUp(
    ctx,
    'failed to create cluster: failed to list nodes',
    `docker ps -a --filter label=io.x-k8s.kind.cluster=${name} --format '{{.Names}}'`,
  )
  if (ctx.state.clusters[name])
    throw new ToolError(
      `failed to create cluster: node(s) already exist for a cluster with the name "${name}"`,
    )
  const specs = config.nodes?.length ? config.nodes : [{role: 'control-plane'}]
  const counts = {'control-plane': 0, worker: 0}
  const nodes = specs.map((/** @type {any} */ spec) => {
    const role = spec.role ?? 'control-plane'
    const n = ++counts[/** @type {'worker' | 'control-plane'} */ (role)]
    return {
      name: `${name}-${role}${n > 1 ? n : ''}`,
      role,
      image: flags.image ?? spec.image ?? DEFAULT_IMAGE,
      extraMounts: spec.extraMounts ?? [],
    }
  })
  if (!counts['control-plane'])
    throw new ToolError(
      'failed to create cluster: invalid configuration: must have at least one control-plane node',
    )
  for (const node of nodes) {
    for (const mount of node.extraMounts) {
      if (!mount.hostPath || !mount.containerPath) {
        const field = mount.hostPath ? 'Target' : 'Source'
        throw new ToolError(
          `failed to create cluster: command "docker run --name ${node.name} ..." failed with error: exit status 125\nCommand Output: docker: Error response from daemon: invalid mount config for type "bind": field ${field} must not be empty.`,
        )
      }
    }
  }
  // kind passes extraMounts as `docker run --volume`, for which the daemon creates a missing source
  // folder and its parents, as root with mode 0755 (the fake can only make them as whoever runs it).
  // An existing source, a file or socket too, is bind-mounted as it is.
  for (const node of nodes)
    for (const {hostPath} of node.extraMounts) {
      if (fs.existsSync(hostPath)) continue
      const first = fs.mkdirSync(hostPath, {recursive: true})
      for (let dir = hostPath; first && dir.length >= first.length; dir = path.dirname(dir))
        fs.chmodSync(dir, 0o755)
    }
  const port = 32768 + Math.floor(Math.random() * 28000)
  const cluster = {
    name,
    created: new Date().toISOString(),
    image: nodes[0].image,
    config,
    nodes,
    port,
    rv: 1000,
    objects: [],
    releases: [],
  }
  seedCluster(cluster)
  ctx.state.clusters[name] = cluster
  ctx.state.contexts[`kind-${name}`] = {cluster: name, port}
  ctx.state.currentContext = `kind-${name}`
  const workers = nodes.filter((/** @type {any} */ n) => n.role === 'worker').length
  const wait =
    flags.wait && parseDuration(flags.wait)
      ? [
          ` ✓ Waiting ≤ ${goDuration(Math.round(Number(parseDuration(flags.wait))))} for control-plane = Ready ⏳\n`,
          ' • Ready after 15s 💚\n',
        ]
      : []
  ctx.err(
    [
      `Creating cluster "${name}" ...\n`,
      ` ✓ Ensuring node image (${nodes[0].image}) 🖼\n`,
      ` ✓ Preparing nodes ${nodes.map(() => '📦').join(' ')}  \n`,
      ' ✓ Writing configuration 📜\n',
      ' ✓ Starting control-plane 🕹️\n',
      ' ✓ Installing CNI 🔌\n',
      ' ✓ Installing StorageClass 💾\n',
      ...(workers ? [' ✓ Joining worker nodes 🚜\n'] : []),
      ...wait,
      `Set kubectl context to "kind-${name}"\n`,
      'You can now use your cluster with:\n\n',
      `kubectl cluster-info --context kind-${name}\n\n`,
      'Have a nice day! 👋\n',
    ].join(''),
  )
}

/** The kubeconfig kind prints for a cluster (credentials are placeholders). */
function kubeconfig(/** @type {any} */ c, /** @type {boolean} */ internal) {
  const server = internal ? `https://${c.name}-control-plane:6443` : `https://127.0.0.1:${c.port}`
  const fake = Buffer.from(`fake-${c.name}`).toString('base64')
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${fake}
    server: ${server}
  name: kind-${c.name}
contexts:
- context:
    cluster: kind-${c.name}
    user: kind-${c.name}
  name: kind-${c.name}
current-context: kind-${c.name}
kind: Config
preferences: {}
users:
- name: kind-${c.name}
  user:
    client-certificate-data: ${fake}
    client-key-data: ${fake}
`
}
