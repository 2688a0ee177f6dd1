import {jobContainerOf, workflowSnippet, type Snippet} from '../domain/snippet.js'
import {planFor} from '../pipeline/deps.js'
import {installationNamed, readConfig, type ActionContext} from './context.js'

/** Reads the config and renders the mode (no cluster, no tool): what a workflow needs to reach NAME. */
export async function snippet(
  context: Pick<ActionContext, 'note' | 'modes'>,
  name: string,
): Promise<Snippet> {
  const config = await readConfig(context)
  const installation = installationNamed(config, name)
  const plan = await planFor(config, installation, context.modes)
  return workflowSnippet({
    installation: name,
    mode: installation.mode,
    runsOn: plan.scaleSets.map((scaleSet) => scaleSet.name),
    jobContainer: jobContainerOf(plan.scaleSets[0].values),
    paused: installation.paused,
  })
}
