import {BaseCommand} from '../../lib/cli/base-command.js'

export default class ClusterDelete extends BaseCommand {
  static override summary = 'Delete the kind cluster; the config and the caches stay.'
  static override description =
    'Every runner goes with the cluster. `deskrun up` rebuilds it all from the config.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> && <%= config.bin %> up',
  ]
  static override enableJsonFlag = true

  async run() {
    const {flags} = await this.parse(ClusterDelete)
    const {removeCluster} = await import('../../lib/app/cluster.js')
    const result = await removeCluster(await this.actionContext(flags, {pluginModes: false}))
    this.log(
      result.changed.length > 0
        ? `Cluster ${result.cluster} deleted. Your config and caches are kept; bring it back with: deskrun up`
        : `There is no cluster ${result.cluster}; nothing to delete.`,
    )
    return result
  }
}
