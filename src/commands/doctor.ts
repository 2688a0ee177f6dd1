import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../lib/cli/base-command.js'
import {doctorLine, doctorSummary} from '../lib/cli/doctor-render.js'
import type {DoctorReport} from '../lib/app/doctor/types.js'
import {ExitCode} from '../lib/domain/errors.js'
import {redact} from '../lib/domain/redact.js'
import {terminalColumns} from '../lib/cli/text.js'

export default class Doctor extends BaseCommand {
  static override summary = 'Check that this machine can run deskrun, and say how to fix what is missing.'
  static override description = `Checks Docker (or Podman), kind, helm and kubectl (which copy is used and whether it is new enough), the cluster and its cache mount, the ARC controller and its CRDs, the cache root (free space, and whether it is in RAM or under a cleaner that deletes old files), inotify limits and cgroup v2 on Linux, the config file, and the proxies and GitHub Enterprise CAs it sets (\`deskrun defaults\` and each installation's own: the proxy's host resolves and accepts a connection within 5s, nothing is sent to it; every CA certificate parses and is valid now). Exits with 1 when a check fails.

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
    const {runDoctor} = await import('../lib/app/doctor/doctor.js')
    const columns = terminalColumns()
    let again = false
    const report = await runDoctor({
      fix: flags.fix,
      json: this.jsonEnabled(),
      signal: this.interruptSignal,
      debug: this.debugEnabled ? (line) => this.debugLine(redact(line)) : undefined,
      // On a terminal each check shows as soon as it is known, while slower ones still run.
      onCheck:
        this.jsonEnabled() || !columns
          ? undefined
          : (check, secondPass) => {
              if (secondPass && !again) this.log('\nAfter the install:')
              again ||= secondPass
              this.log(redact(doctorLine(check, columns)))
            },
    })
    if (!report.ok) process.exitCode = ExitCode.failure
    if (this.jsonEnabled()) return report
    if (columns) this.log(`\n${doctorSummary(report)}`)
    else {
      // Piped: the final checks as plain lines on stdout, the sentence beside them on stderr.
      for (const check of report.checks) this.log(redact(doctorLine(check, undefined)))
      this.logToStderr(doctorSummary(report))
    }
    return report
  }
}
