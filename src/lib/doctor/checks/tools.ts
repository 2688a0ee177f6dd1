/** Docker's daemon, and kind, helm and kubectl: found, runnable, and new enough. */
import {probe, reason} from '../../tools/index.js'
import {installHint} from '../../tools/prerequisites.js'
import type {ToolLocation} from '../../tools/prerequisites.js'
import {tildify, type CheckState, type DoctorContext} from '../context.js'
import {fail, ok, warn, type Check} from '../types.js'
import {MINIMUM_VERSIONS, isTooOld, type VersionedTool} from '../../tools/versions.js'

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
  const answer = await probe(ctx.tools[tool].version())
  if (!answer.ok) return failing(`${location.path} does not run: ${reason(answer.error)}`, location)
  const {version, output} = answer.value
  if (!version) {
    return warn({
      ...base,
      found: `unrecognised version "${output.trim().slice(0, 80)}" (${where(location)})`,
      fix: `Check that it is the real ${tool}; ${minimum}.`,
      tool: location,
    })
  }
  const found = `v${version} (${where(location)})`
  if (isTooOld(tool, version)) return failing(`${found}: too old, ${minimum}`, {...location, version})
  return ok({...base, found, tool: {...location, version}})
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

  const answer = await probe(ctx.tools.docker.version())
  const server = answer.ok ? answer.value.Server : undefined
  if (!answer.ok || !server?.Version) {
    const problem = answer.ok ? 'docker version reports no server' : reason(answer.error)
    return fail({
      ...base,
      found: `the Docker daemon is not reachable: ${problem}`,
      fix: daemonFix(problem),
      tool: location,
    })
  }

  // `docker version` names Docker Desktop's engine "Docker Desktop 4.37.1 (178610)", on every platform.
  if (state) state.dockerDesktop = /^Docker Desktop\b/.test(server.Platform?.Name ?? '')
  const podman = /podman/i.test(JSON.stringify(answer.value))
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
