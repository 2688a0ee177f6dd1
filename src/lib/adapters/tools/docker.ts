import {DeskrunError} from '../../domain/errors.js'
import {toolFailure, type ToolRunner} from './runner.js'

export interface ContainerMount {
  Type?: string
  Source: string
  Destination: string
}

/** What `docker version` reports; Server is null when the daemon does not answer. */
export interface DockerVersion {
  Client?: {Version?: string}
  Server?: {
    Version?: string
    ApiVersion?: string
    Os?: string
    Arch?: string
    Platform?: {Name?: string}
    Components?: {Name?: string; Version?: string}[]
  } | null
}

/** What `docker inspect` tells of a container, as far as deskrun reads it. */
export interface ContainerState {
  running: boolean
  /** The image reference it was started from (`kindest/node:v1.33.1@sha256:…`). */
  image: string
  labels: Record<string, string>
  mounts: ContainerMount[]
}

export class Docker {
  constructor(private readonly runner: ToolRunner) {}

  /** The client's and the daemon's versions: fails when the daemon does not answer. */
  async version(): Promise<DockerVersion> {
    const step = 'ask Docker for its version'
    const {stdout} = await this.runner.run('docker', ['version', '--format', '{{json .}}'], {step})
    try {
      return JSON.parse(stdout) as DockerVersion
    } catch {
      throw new DeskrunError(`Could not ${step}: docker printed something that is not JSON.`, {
        code: 'TOOL_FAILED',
      })
    }
  }

  /**
   * One container, or undefined when there is none. Fails (with the daemon's words) when Docker does
   * not answer, so the caller can tell "no cluster" from "no Docker".
   */
  async inspect(container: string): Promise<ContainerState | undefined> {
    const step = `inspect the container ${container}`
    const result = await this.runner.run('docker', ['inspect', container], {step, allowFailure: true})
    // docker prints `[]` and "Error: No such object: NAME" (older: "No such container") for a missing one.
    if (result.exitCode === 1 && !result.signal && /no such (object|container)/i.test(result.stderr))
      return undefined
    if (result.exitCode !== 0) throw toolFailure('docker', result, {step})
    type Inspected = {
      State?: {Running?: boolean}
      Config?: {Image?: string; Labels?: Record<string, string> | null}
      Mounts?: ContainerMount[]
    }
    const [found] = JSON.parse(result.stdout || '[]') as Inspected[]
    if (!found) return undefined
    return {
      running: found.State?.Running === true,
      image: found.Config?.Image ?? '',
      labels: found.Config?.Labels ?? {},
      mounts: found.Mounts ?? [],
    }
  }

  /** Bind mounts of a container; fails when there is no such container. */
  async mounts(container: string): Promise<ContainerMount[]> {
    const {stdout} = await this.runner.run('docker', ['inspect', container, '--format', '{{json .Mounts}}'], {
      step: `inspect the container ${container}`,
    })
    return JSON.parse(stdout || '[]') as ContainerMount[]
  }
}
