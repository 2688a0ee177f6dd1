import path from 'node:path'

import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {UsageError} from '../../lib/domain/errors.js'

export default class ClusterUse extends BaseCommand {
  static override summary = 'Use an existing Kubernetes cluster (by kube context) instead of a kind cluster.'
  static override description = `deskrun then never creates or deletes a cluster: \`up\`, \`add\`, \`status\`, \`remove\` and \`doctor\` work against the cluster of that context (a second machine's kind cluster, a homelab k3s, a team's cluster). It needs helm and kubectl here, and permission there to create namespaces, CRDs and cluster roles (\`deskrun doctor\` checks). Caches then live on the cluster's nodes, under /var/lib/deskrun/cache. The context must answer before anything is saved. Run \`deskrun up\` afterwards to deploy your installations there; \`--kind\` goes back to deskrun's own kind cluster (what was deployed on the other cluster stays there).`
  static override examples = [
    {
      description: 'Use the cluster of a kube context:',
      command: '<%= config.bin %> <%= command.id %> homelab',
    },
    {
      description: 'A context from another kubeconfig file:',
      command: '<%= config.bin %> <%= command.id %> k3s --kubeconfig ~/.kube/k3s.yaml',
    },
    {
      description: "Back to deskrun's own kind cluster:",
      command: '<%= config.bin %> <%= command.id %> --kind',
    },
  ]

  static override args = {
    context: Args.string({description: 'A kube context (kubectl config get-contexts).'}),
  }

  static override flags = {
    kubeconfig: Flags.string({summary: 'The kubeconfig file that holds the context.'}),
    kind: Flags.boolean({summary: "Go back to deskrun's own kind cluster.", exclusive: ['kubeconfig']}),
  }

  static override enableJsonFlag = true

  async run() {
    const {args, flags} = await this.parse(ClusterUse)
    const {useCluster} = await import('../../lib/app/cluster.js')
    if (Boolean(args.context) === flags.kind)
      throw new UsageError("Name a kube context, or --kind for deskrun's own kind cluster (not both).", {
        hint: 'See the contexts with: kubectl config get-contexts',
      })
    const result = await useCluster(await this.actionContext(flags), {
      ...(args.context ? {kubeContext: args.context} : {}),
      ...(flags.kubeconfig ? {kubeconfig: path.resolve(flags.kubeconfig)} : {}),
    })
    this.log(
      result.kind
        ? `deskrun uses its own kind cluster again (context ${result.context}). Deploy your installations there: deskrun up`
        : `deskrun now uses the cluster of context ${result.context} (Kubernetes ${result.kubernetesVersion}). Deploy your installations there: deskrun up`,
    )
    return result
  }
}
