import {Flags} from '@oclif/core'

import {BaseCommand} from '../lib/cli/base-command.js'
import {runDoctor} from '../lib/app/doctor/doctor.js'
import {doctorRows, doctorSummary} from '../lib/cli/doctor-render.js'
import type {DoctorReport} from '../lib/app/doctor/types.js'
import {ExitCode} from '../lib/domain/errors.js'
import {redact} from '../lib/domain/redact.js'
import {table} from '../lib/cli/table.js'

export default class Doctor extends BaseCommand {
  static override summary = 'Check that this machine can run deskrun, and say how to fix what is missing.'
  static override description = `Checks Docker (or Podman), kind, helm and kubectl (which copy is used and whether it is new enough), the cluster and its cache mount, the ARC controller and its CRDs, the cache root (free space, and whether it is in RAM or under a cleaner that deletes old files), inotify limits and cgroup v2 on Linux, and the config file. Exits with 1 when a check fails.

It changes nothing. With --fix it installs pinned kind, helm and kubectl into ~/.deskrun/bin (used before PATH) where they are missing or too old, each download verified against a checksum built into deskrun. DESKRUN_TOOLS_BASE_URL points the downloads at a mirror.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --fix',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  static override flags = {
    fix: Flags.boolean({
      summary:
        'Install missing or too-old kind, helm and kubectl into ~/.deskrun/bin (pinned, checksum-verified).',
      default: false,
    }),
  }

  async run(): Promise<DoctorReport> {
    const {flags} = await this.parse(Doctor)
    const report = await runDoctor({
      fix: flags.fix,
      json: this.jsonEnabled(),
      signal: this.interruptSignal,
      debug: this.debugEnabled ? (line) => this.logToStderr(redact(line)) : undefined,
    })
    if (!this.jsonEnabled()) {
      this.log(await table(doctorRows(report.checks), ['status', 'check', 'found', 'fix']))
      this.log(doctorSummary(report))
    }
    if (!report.ok) process.exitCode = ExitCode.failure
    return report
  }
}
