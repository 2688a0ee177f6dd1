/** A ToolRunner stand-in that records each call and answers from a script, failing as the real one does. */
import {
  type RunOptions,
  type RunResult,
  type ToolRunner,
  toolFailure,
} from '../../../src/lib/adapters/tools/runner.js'

export type Script = (tool: string, args: string[]) => Partial<Omit<RunResult, 'command'>>

export class RecordingRunner {
  readonly calls: string[][] = []
  constructor(
    private readonly script: Script = () => ({}),
    /** Where tools are looked up: by default nowhere, so no version is remembered. */
    private readonly env: NodeJS.ProcessEnv = {PATH: '', DESKRUN_HOME: '/nonexistent/deskrun'},
  ) {}

  environment(): NodeJS.ProcessEnv {
    return this.env
  }

  toolTimeout(): string {
    return '10m0s'
  }

  async run(tool: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
    this.calls.push([tool, ...args])
    const result = {
      command: [tool, ...args].join(' '),
      exitCode: 0,
      stdout: '',
      stderr: '',
      ...this.script(tool, args),
    }
    // As ToolRunner: a non-zero exit is an error unless the caller reads the failure itself.
    if (result.exitCode !== 0 && !options.allowFailure) throw toolFailure(tool, result, options)
    return result
  }

  /** For the adapters' constructors. */
  get runner(): ToolRunner {
    return this as unknown as ToolRunner
  }
}
