import {DeskrunError} from '../errors.js'
import type {ToolRunner} from './runner.js'

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

  /** Bind mounts of a container; fails when there is no such container. */
  async mounts(container: string): Promise<ContainerMount[]> {
    const {stdout} = await this.runner.run('docker', ['inspect', container, '--format', '{{json .Mounts}}'], {
      step: `inspect the container ${container}`,
    })
    return JSON.parse(stdout || '[]') as ContainerMount[]
  }
}
