import {yesFlag} from '../../lib/cli/flags.js'
import {BaseCommand} from '../../lib/cli/base-command.js'

export default class ClusterCreate extends BaseCommand {
  static override summary = 'Create the kind cluster (does nothing if it exists).'
  static override description =
    'The cluster mounts the cache root from this machine into its node, so caches live on your disk and survive `deskrun cluster delete`. It does not deploy runners: `deskrun up` does.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> && <%= config.bin %> up',
  ]
  static override enableJsonFlag = true
  static override flags = {...yesFlag}

  async run() {
    const {flags} = await this.parse(ClusterCreate)
    const {createCluster} = await import('../../lib/app/cluster.js')
    const result = await createCluster(await this.actionContext(flags, {pluginModes: false}))
    this.log(
      result.changed.length > 0
        ? `Cluster ${result.cluster} created.`
        : `Cluster ${result.cluster} already exists.`,
    )
    return result
  }
}
