/** Docker's daemon, and kind, helm and kubectl: found, runnable, and new enough. */
import {DeskrunError} from '../../errors.js'
import {installHint} from '../../tools/prerequisites.js'
import type {ToolLocation} from '../../tools/prerequisites.js'
import {attempt, firstLine, tildify, type CheckState, type DoctorContext} from '../context.js'
import {fail, ok, warn, type Check} from '../types.js'
import {
  MINIMUM_VERSIONS,
  VERSION_ARGS,
  isTooOld,
  parseToolVersion,
  type VersionedTool,
} from '../../tools/versions.js'

const where = (location: ToolLocation) =>
  location.source === 'deskrun' ? `deskrun's copy: ${tildify(location.path)}` : `PATH: ${location.path}`

/** How to get a tool: deskrun's pinned copy when it has one for this machine, else the project's docs. */
export function toolFix(ctx: DoctorContext, tool: VersionedTool): string {
  const version = ctx.provisionable(tool)
  const own = version
    ? `Run \`deskrun doctor --fix\` to install ${tool} ${version} into ${tildify(ctx.binDir)}, or: `
    : ''
  return `${own}${installHint(tool)}`
}

export async function checkTool(ctx: DoctorContext, tool: VersionedTool): Promise<Check> {
  const base = {id: tool, title: tool} as const
  const minimum = `deskrun needs ${MINIMUM_VERSIONS[tool]} or newer`
  const failing = (found: string, copy?: Check['tool']): Check =>
    fail({
      ...base,
      found,
      fix: toolFix(ctx, tool),
      tool: copy,
      provisionable: Boolean(ctx.provisionable(tool)),
    })

  const location = await ctx.facts.locate(tool)
  if (!location) return failing(`not found in ${tildify(ctx.binDir)} or on PATH`)
  const result = await attempt(ctx.run, tool, VERSION_ARGS[tool], {step: `ask ${tool} for its version`})
  if (result instanceof DeskrunError || result.exitCode !== 0) {
    return failing(`${location.path} does not run: ${firstLine(result)}`, location)
  }
  const version = parseToolVersion(tool, result.stdout)
  if (!version) {
    return warn({
      ...base,
      found: `unrecognised version "${result.stdout.trim().slice(0, 80)}" (${where(location)})`,
      fix: `Check that it is the real ${tool}; ${minimum}.`,
      tool: location,
    })
  }
  const found = `v${version} (${where(location)})`
  if (isTooOld(tool, version)) return failing(`${found}: too old, ${minimum}`, {...location, version})
  return ok({...base, found, tool: {...location, version}})
}

interface DockerVersion {
  Client?: {Version?: string}
  Server?: {
    Version?: string
    ApiVersion?: string
    Os?: string
    Arch?: string
    Platform?: {Name?: string}
  } | null
}

export async function checkDocker(ctx: DoctorContext, state?: CheckState): Promise<Check> {
  const base = {id: 'docker', title: 'Docker'} as const
  const location = await ctx.facts.locate('docker')
  if (!location) {
    const podman = await ctx.facts.locate('podman')
    return fail({
      ...base,
      found: podman ? `no docker command (Podman is installed: ${podman.path})` : 'docker not found on PATH',
      fix: podman
        ? 'deskrun and kind talk to Podman through the `docker` command: install podman-docker (or link docker to podman), and export KIND_EXPERIMENTAL_PROVIDER=podman.'
        : installHint('docker'),
    })
  }

  const result = await attempt(ctx.run, 'docker', ['version', '--format', '{{json .}}'], {
    step: 'ask Docker for its version',
  })
  const output = result instanceof DeskrunError ? '' : result.stdout
  const info = parse(output)
  if (result instanceof DeskrunError || result.exitCode !== 0 || !info?.Server?.Version) {
    const problem = firstLine(result)
    return fail({
      ...base,
      found: `the Docker daemon is not reachable: ${problem}`,
      fix: daemonFix(problem),
      tool: location,
    })
  }

  const server = info.Server
  // `docker version` names Docker Desktop's engine "Docker Desktop 4.37.1 (178610)", on every platform.
  if (state) state.dockerDesktop = /^Docker Desktop\b/.test(server.Platform?.Name ?? '')
  const podman = /podman/i.test(output)
  const found = `${podman ? 'Podman' : 'Docker Engine'} ${server.Version} (API ${server.ApiVersion ?? '?'}, ${server.Os ?? '?'}/${server.Arch ?? '?'})`
  const tool = {...location, version: server.Version}
  if (podman && ctx.env.KIND_EXPERIMENTAL_PROVIDER !== 'podman') {
    return warn({
      ...base,
      found,
      fix: 'kind needs to be told to use Podman: export KIND_EXPERIMENTAL_PROVIDER=podman',
      tool,
    })
  }
  return ok({...base, found, tool})
}

function parse(output: string): DockerVersion | undefined {
  try {
    return JSON.parse(output) as DockerVersion
  } catch {
    return undefined
  }
}

function daemonFix(problem: string): string {
  if (/permission denied/i.test(problem)) {
    return 'Your user may not use the Docker socket: `sudo usermod -aG docker $USER`, then log out and in again (or use rootless Docker / Docker Desktop).'
  }
  if (
    /cannot connect|is the docker daemon running|daemon is not running|error during connect|no such file/i.test(
      problem,
    )
  ) {
    return 'Start Docker: open Docker Desktop, or `sudo systemctl start docker` on Linux. `docker info` must work.'
  }
  return 'Check that `docker info` works in this shell.'
}
