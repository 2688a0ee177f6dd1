import {BaseCommand} from '../../lib/cli/base-command.js'

export default class ClusterStatus extends BaseCommand {
  static override summary = 'Show whether the kind cluster exists, its nodes, and its cache mount.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json',
  ]
  static override enableJsonFlag = true

  async run() {
    const {flags} = await this.parse(ClusterStatus)
    const {clusterStatus} = await import('../../lib/app/cluster.js')
    const status = await clusterStatus(await this.actionContext(flags, {pluginModes: false}))
    if (!status.exists) {
      this.log(`Cluster ${status.name}: not found. Create it with: deskrun cluster create (or deskrun up)`)
      return status
    }
    this.log(`Cluster ${status.name}: running (context ${status.context})`)
    for (const node of status.nodes) this.log(`  node ${node.name}: ${node.ready ? 'Ready' : 'NotReady'}`)
    this.log(
      status.cacheMount
        ? `  caches: ${status.cacheRoot} is mounted into the node`
        : `  caches: ${status.cacheRoot} is NOT mounted; caches would not persist. Recreate: deskrun cluster delete && deskrun up`,
    )
    return status
  }
}
