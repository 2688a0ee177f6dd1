// Types for the in-process front end of the fakes (tools.js, invoke.js), as the TypeScript harness uses it.
export interface Io {
  /** The call's stdin; read only when argv says so (`-f -`, `--values -`, `--config -`). */
  stdin?: string
  env: Record<string, string | undefined>
  /** Kills a call in process: one that hangs (or holds) then ends as killed by SIGTERM. */
  signal?: AbortSignal
}

export interface Outcome {
  /** null when the call was killed. */
  exitCode: number | null
  stdout: string
  stderr: string
  signal?: 'SIGTERM' | 'SIGKILL'
}

export type Tool = (argv: string[], io: Io) => Promise<Outcome>

export const FAKE_TOOLS: Record<'docker' | 'helm' | 'kind' | 'kubectl' | 'systemctl' | 'launchctl', Tool>
