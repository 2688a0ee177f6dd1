// Fake docker 28.3.2 client: `version`, `info` and `inspect` of kind's node containers. FAKE_DOCKER_DOWN=1
// makes the daemon unreachable.
import crypto from 'node:crypto'

import {ToolError, findCommand, parseArgs, stripCommand} from './common.js'
import {invoke, runTool} from './invoke.js'

/** @typedef {import('./common.js').Spec} Spec */

const DOWN =
  'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'
/** @type {Spec} */
const GLOBAL = {host: {type: 'string', short: 'H'}, context: {type: 'string', short: 'c'}, debug: {type: 'bool', short: 'D'}, 'log-level': {type: 'string', short: 'l'}, config: {type: 'string'}} // prettier-ignore
const FORMAT = {format: /** @type {import('./common.js').FlagSpec} */ ({type: 'string', short: 'f'})}
const NOT_EMULATED = ['ps', 'run', 'exec', 'images', 'pull', 'push', 'build', 'rm', 'rmi', 'start', 'stop', 'logs', 'network', 'volume', 'system', 'container', 'image', 'compose', 'buildx', 'login', 'context'] // prettier-ignore

const CLIENT = {
  Platform: {Name: 'Docker Engine - Community'},
  Version: '28.3.2',
  ApiVersion: '1.51',
  DefaultAPIVersion: '1.51',
  GitCommit: '578ccf6',
  GoVersion: 'go1.24.5',
  Os: 'linux',
  Arch: 'amd64',
  BuildTime: 'Wed Jul  9 16:13:55 2025',
  Context: 'default',
}
const SERVER = {
  Platform: {Name: 'Docker Engine - Community'},
  Components: [
    {Name: 'Engine', Version: '28.3.2', Details: {ApiVersion: '1.51', Arch: 'amd64', BuildTime: 'Wed Jul  9 16:13:55 2025', Experimental: 'false', GitCommit: 'e77ff99', GoVersion: 'go1.24.5', KernelVersion: '6.8.0-71-generic', MinAPIVersion: '1.24', Os: 'linux'}},
    {Name: 'containerd', Version: '1.7.27', Details: {GitCommit: '05044ec0a9a75232cad458027ca83437aae3f4da'}},
    {Name: 'runc', Version: '1.2.5', Details: {GitCommit: 'v1.2.5-0-g59923ef'}},
  ],
  Version: '28.3.2',
  ApiVersion: '1.51',
  MinAPIVersion: '1.24',
  GitCommit: 'e77ff99',
  GoVersion: 'go1.24.5',
  Os: 'linux',
  Arch: 'amd64',
  KernelVersion: '6.8.0-71-generic',
  BuildTime: '2025-07-09T16:13:55.000000000+00:00',
} // prettier-ignore

/** @type {Record<string, {spec: Spec, run: (ctx: any, flags: any, args: string[]) => void}>} */
const COMMANDS = {
  version: {
    spec: FORMAT,
    run: (ctx, flags) => {
      const down = ctx.env.FAKE_DOCKER_DOWN === '1'
      const data = {Client: CLIENT, Server: down ? null : SERVER}
      if (flags.format) ctx.out(render(flags.format, data) + '\n')
      else {
        ctx.out(
          `Client: ${CLIENT.Platform.Name}\n Version:           ${CLIENT.Version}\n API version:       ${CLIENT.ApiVersion}\n Go version:        ${CLIENT.GoVersion}\n Git commit:        ${CLIENT.GitCommit}\n Built:             ${CLIENT.BuildTime}\n OS/Arch:           linux/amd64\n Context:           default\n`,
        )
        if (!down)
          ctx.out(
            `\nServer: ${SERVER.Platform.Name}\n Engine:\n  Version:          ${SERVER.Version}\n  API version:      ${SERVER.ApiVersion} (minimum version ${SERVER.MinAPIVersion})\n  Go version:       ${SERVER.GoVersion}\n  OS/Arch:          linux/amd64\n`,
          )
      }
      if (down) throw new ToolError(DOWN)
    },
  },
  info: {
    spec: FORMAT,
    run: (ctx, flags) => {
      if (ctx.env.FAKE_DOCKER_DOWN === '1') throw new ToolError(DOWN)
      const running = Object.values(ctx.state.clusters).reduce(
        (n, /** @type {any} */ c) => n + c.nodes.length,
        0,
      )
      const info = {ID: 'FAKE:DOCKER', Containers: running, ContainersRunning: running, ServerVersion: SERVER.Version, Driver: 'overlay2', CgroupDriver: 'systemd', CgroupVersion: '2', KernelVersion: SERVER.KernelVersion, OperatingSystem: 'Ubuntu 24.04.2 LTS', OSType: 'linux', Architecture: 'x86_64', NCPU: 8, MemTotal: 16_000_000_000, Name: 'fake-host'} // prettier-ignore
      ctx.out(
        flags.format
          ? render(flags.format, info) + '\n'
          : `Server:\n Containers: ${running}\n  Running: ${running}\n Server Version: ${SERVER.Version}\n Storage Driver: overlay2\n Cgroup Version: 2\n`,
      )
    },
  },
  inspect: {
    spec: {...FORMAT, type: {type: 'string'}, size: {type: 'bool', short: 's'}},
    run: (ctx, flags, args) => {
      if (!args.length)
        throw new ToolError(
          '"docker inspect" requires at least 1 argument.\nSee \'docker inspect --help\'.',
          1,
        )
      if (ctx.env.FAKE_DOCKER_DOWN === '1') throw new ToolError(DOWN)
      const found = []
      const missing = []
      for (const name of args) {
        const node = nodeContainer(ctx.state, name)
        if (node) found.push(node)
        else missing.push(name)
      }
      if (flags.format) ctx.out(found.map((c) => render(flags.format, c) + '\n').join(''))
      else ctx.out(JSON.stringify(found, null, 4) + '\n')
      if (missing.length) throw new ToolError(missing.map((n) => `Error: No such object: ${n}`).join('\n'))
    },
  },
}

/** One call of the fake docker, in process (see invoke.js). @type {import('./invoke.js').Tool} */
export const run = (argv, io) => invoke('docker', argv, io, docker, (message) => `${message}\n`)

/** The executable (../bin/docker). @param {string[]} argv */
export const main = (argv) => runTool(run, argv)

/** @param {any} ctx */
function docker(ctx) {
  const {command, words} = findCommand(
    ctx.argv,
    Object.keys(COMMANDS).map((c) => [c]),
    GLOBAL,
  )
  if (!command) {
    if (NOT_EMULATED.includes(words[0]))
      throw new ToolError(`fake docker: "docker ${words[0]}" is not emulated`)
    throw new ToolError(`docker: '${words[0] ?? ''}' is not a docker command.\nSee 'docker --help'`)
  }
  let parsed
  try {
    parsed = parseArgs(stripCommand(ctx.argv, command), {...GLOBAL, ...COMMANDS[command[0]].spec})
  } catch (error) {
    throw new ToolError(`${/** @type {Error} */ (error).message}\nSee 'docker ${command[0]} --help'.`, 125)
  }
  COMMANDS[command[0]].run(ctx, parsed.flags, parsed.args)
}

/** docker inspect of a kind node container: its binds come from the cluster config's extraMounts. */
function nodeContainer(/** @type {any} */ state, /** @type {string} */ name) {
  for (const cluster of Object.values(state.clusters)) {
    const node = /** @type {any} */ (cluster).nodes.find(
      (/** @type {any} */ n) => n.name === name.replace(/^\//, ''),
    )
    if (!node) continue
    const c = /** @type {any} */ (cluster)
    const id = crypto.createHash('sha256').update(`${c.created}/${node.name}`).digest('hex')
    const volume = crypto.createHash('sha256').update(`${id}/var`).digest('hex')
    const binds = node.extraMounts.map((/** @type {any} */ m) => ({
      Type: 'bind',
      Source: m.hostPath,
      Destination: m.containerPath,
      Mode: m.readOnly ? 'ro' : '',
      RW: !m.readOnly,
      Propagation: 'rprivate',
    }))
    const mounts = [
      ...binds,
      {
        Type: 'bind',
        Source: '/lib/modules',
        Destination: '/lib/modules',
        Mode: 'ro',
        RW: false,
        Propagation: 'rprivate',
      },
      {
        Type: 'volume',
        Name: volume,
        Source: `/var/lib/docker/volumes/${volume}/_data`,
        Destination: '/var',
        Driver: 'local',
        Mode: '',
        RW: true,
        Propagation: '',
      },
    ]
    const started = c.created
    return {
      Id: id,
      Created: started,
      Path: '/usr/local/bin/entrypoint',
      Args: ['/sbin/init'],
      State: {
        Status: 'running',
        Running: true,
        Paused: false,
        Restarting: false,
        OOMKilled: false,
        Dead: false,
        Pid: 4242,
        ExitCode: 0,
        Error: '',
        StartedAt: started,
        FinishedAt: '0001-01-01T00:00:00Z',
      },
      Image: `sha256:${crypto.createHash('sha256').update(node.image).digest('hex')}`,
      Name: `/${node.name}`,
      RestartCount: 0,
      Driver: 'overlay2',
      Platform: 'linux',
      HostConfig: {
        Binds: [
          ...node.extraMounts.map(
            (/** @type {any} */ m) => `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`,
          ),
          '/lib/modules:/lib/modules:ro',
        ],
        Privileged: true,
        Tmpfs: {'/run': '', '/tmp': ''},
        RestartPolicy: {Name: 'on-failure', MaximumRetryCount: 1},
        PortBindings:
          node.role === 'control-plane'
            ? {'6443/tcp': [{HostIp: '127.0.0.1', HostPort: String(c.port)}]}
            : {},
      },
      Mounts: mounts,
      Config: {
        Hostname: node.name,
        Image: node.image,
        Labels: {'io.x-k8s.kind.cluster': c.name, 'io.x-k8s.kind.role': node.role},
        Volumes: {'/var': {}},
      },
      NetworkSettings: {
        Networks: {kind: {IPAddress: '172.18.0.2', Gateway: '172.18.0.1', Aliases: [node.name]}},
      },
    }
  }
  return undefined
}

/** Docker's Go templates, as far as deskrun uses them: `{{json .X.Y}}` and `{{.X.Y}}`. */
function render(/** @type {string} */ template, /** @type {any} */ data) {
  const out = template.replace(/\{\{\s*(json\s+)?\.([\w.]*)\s*\}\}/g, (_, json, path) => {
    const value = path
      ? path.split('.').reduce((/** @type {any} */ o, /** @type {string} */ k) => o?.[k], data)
      : data
    if (json) return JSON.stringify(value ?? null)
    if (value === undefined || value === null) return '<no value>'
    return typeof value === 'object' ? goPrint(value) : String(value)
  })
  if (out.includes('{{'))
    throw new ToolError(
      `fake docker: template "${template}" is not emulated (use {{json .Path}} or {{.Path}})`,
    )
  return out
}

/** fmt's %v of maps and slices (`map[k:v]`, `[a b]`). @returns {string} */
function goPrint(/** @type {any} */ v) {
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`
  if (v && typeof v === 'object')
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goPrint(v[k])}`)
      .join(' ')}]`
  return String(v)
}
