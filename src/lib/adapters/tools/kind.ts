import {yaml} from '../../domain/yaml.js'
import type {RunOptions, ToolRunner} from './runner.js'
import {readToolVersion, type ToolVersion} from './versions.js'

export class Kind {
  constructor(private readonly runner: ToolRunner) {}

  version(): Promise<ToolVersion> {
    return readToolVersion(this.runner, 'kind')
  }

  async clusters(): Promise<string[]> {
    // With no clusters kind prints "No kind clusters found." on stderr and nothing on stdout.
    const {stdout} = await this.runner.run('kind', ['get', 'clusters'], {step: 'list kind clusters'})
    return stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
  }

  async exists(name: string): Promise<boolean> {
    return (await this.clusters()).includes(name)
  }

  /** The config, a kind Cluster object, goes to kind's stdin as YAML (`--config -`): no temp file is left. */
  async createCluster(
    name: string,
    config: Record<string, unknown>,
    options: Pick<RunOptions, 'onLine'> = {},
  ): Promise<void> {
    const args = ['create', 'cluster', '--name', name, '--config', '-', '--wait', this.runner.toolTimeout()]
    await this.runner.run('kind', args, {
      ...options,
      ownTimeout: true,
      input: yaml().stringify(config),
      step: `create the kind cluster "${name}"`,
      hint: 'Check that Docker is running (`docker info`) and has enough memory and disk; `deskrun doctor` checks more.',
    })
  }

  async deleteCluster(name: string, options: Pick<RunOptions, 'onLine'> = {}): Promise<void> {
    await this.runner.run('kind', ['delete', 'cluster', '--name', name], {
      ...options,
      step: `delete the kind cluster "${name}"`,
    })
  }
}
