import type {ToolRunner} from './runner.js'

export interface ContainerMount {
  Type?: string
  Source: string
  Destination: string
}

export class Docker {
  constructor(private readonly runner: ToolRunner) {}

  /** Bind mounts of a container, or undefined when there is no such container. */
  async mounts(container: string): Promise<ContainerMount[] | undefined> {
    const result = await this.runner.run('docker', ['inspect', container, '--format', '{{json .Mounts}}'], {
      step: `inspect the container ${container}`,
      allowFailure: true,
    })
    if (result.exitCode !== 0) return undefined
    return JSON.parse(result.stdout || '[]') as ContainerMount[]
  }
}
