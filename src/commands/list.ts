import type {ListedInstallation} from '../lib/app/list.js'
import {BaseCommand} from '../lib/cli/base-command.js'
import {table} from '../lib/cli/table.js'
import {NO_INSTALLATIONS} from '../lib/cli/get-started.js'
import {terminalColumns} from '../lib/cli/text.js'
import {cpuMillis} from '../lib/domain/installation/resources.js'

/** "1 to 5" (min to max), "2" when both are the same, "1 each" for --instances (one runner per scale set). */
function runnerRange({instances, minRunners, maxRunners}: ListedInstallation): string {
  if (instances > 1) return `${maxRunners} each`
  return minRunners === maxRunners ? String(maxRunners) : `${minRunners} to ${maxRunners}`
}

/** "2 CPUs, 4Gi", "0.5 CPUs", "4Gi" (--cpus in cores, --memory as given), or "-" without limits. */
function limits({cpus, memory}: ListedInstallation): string {
  const millis = cpus === undefined ? undefined : cpuMillis(cpus)
  const cores = millis === undefined ? cpus : `${millis / 1000} CPU${millis === 1000 ? '' : 's'}`
  return [cores, memory].filter(Boolean).join(', ') || '-'
}

export default class List extends BaseCommand {
  static override summary = 'List the runner installations in the config.'
  static override description =
    'Reads the config only (no Docker or cluster needed). RUNNERS is how many runners each scale set keeps (min to max); LIMITS are the CPU and memory each container that runs a job may use (--cpus, --memory); DEPLOYED is what the last add or up did; `deskrun status` asks the cluster. Piped, each installation is one tab-separated line: name, mode, runs-on, runners, limits, deployed, caches, repository.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run() {
    await this.parse(List)
    const {listInstallations} = await import('../lib/app/list.js')
    const result = await listInstallations({note: (message) => this.note(message)})
    if (result.installations.length === 0) {
      this.log(NO_INSTALLATIONS)
      return result
    }
    const rows = result.installations.map((installation) => ({
      name: installation.name,
      mode: installation.mode,
      'runs-on': installation.scaleSets.join(', '),
      runners: `${runnerRange(installation)}${installation.paused ? ' (paused)' : ''}`,
      limits: limits(installation),
      deployed: installation.deployed ? 'yes' : 'no',
      caches: installation.caches.map((cache) => cache.target).join(', ') || '-',
      repository: installation.repository,
    }))
    // Names a user types stay whole; the URL goes under its row rather than be cut.
    this.log(
      table(
        rows,
        [
          'name',
          'mode',
          'runs-on',
          'runners',
          'limits',
          'deployed',
          {key: 'caches', shorten: true},
          {key: 'repository', below: true},
        ],
        terminalColumns(),
      ),
    )
    return result
  }
}
