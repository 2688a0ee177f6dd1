/** What `deskrun doctor` reports: one entry per prerequisite, in the user's words. */
import type {ToolLocation} from '../../adapters/tools/prerequisites.js'

export type CheckStatus = 'ok' | 'warn' | 'fail'

export type CheckId =
  | 'config'
  | 'docker'
  | 'kind'
  | 'helm'
  | 'kubectl'
  | 'cluster'
  | 'permissions'
  | 'cache-mount'
  | 'controller'
  | 'cache-root'
  | 'cache-lifetime'
  | 'shared-data-root'
  | 'inotify'
  | 'cgroup'
  | 'proxy'
  | 'github-ca'

export interface Check {
  id: CheckId
  /** Short name shown in the table ("kind", "Cache mount"). */
  title: string
  status: CheckStatus
  /** What deskrun found, e.g. "v0.29.0 (deskrun's copy: ~/.deskrun/bin/kind)". */
  found: string
  /** What to do about a warn or fail, as commands where possible. */
  fix?: string
  /**
   * For a warning about the host that `add` and `up` mention only now and then: one short line, which
   * points at `deskrun doctor` for `found` and `fix`.
   */
  summary?: string
  /** For kind, helm, kubectl and docker: which copy a command would run, and its version. */
  tool?: ToolLocation & {version?: string}
  /** Set on kind, helm and kubectl when deskrun can install a pinned copy that fixes the check. */
  provisionable?: boolean
}

export interface DoctorReport {
  checks: Check[]
  /** False when any check failed; the exit code is then 1. */
  ok: boolean
  /** Tools `--fix` installed, e.g. "kind v0.29.0". */
  installed: string[]
}

/** Keeps the JSON keys in reading order: id, title, status, found, fix. */
const withStatus =
  (status: CheckStatus) =>
  ({id, title, ...rest}: Omit<Check, 'status'>): Check => ({id, title, status, ...rest})

export const ok = withStatus('ok')
export const warn = withStatus('warn')
export const fail = withStatus('fail')
