import type {Kubectl} from '../adapters/tools/kubectl.js'
import {requireTools} from '../adapters/tools/prerequisites.js'
import {CONTROLLER_NAMESPACE, SCALE_SET_NAMESPACE} from '../domain/arc/charts.js'
import type {DeskrunConfig} from '../domain/config/types.js'
import {UsageError} from '../domain/errors.js'
import {instanceNames} from '../domain/installation/naming.js'
import {explainFailure, readConfig, type ActionContext} from './context.js'

export const LOG_SOURCES = ['runner', 'job', 'listener', 'controller'] as const
export type LogSource = (typeof LOG_SOURCES)[number]

const SCALE_SET_LABEL = 'actions.github.com/scale-set-name'
/**
 * The label the container hook of the kubernetes modes puts on the pods it starts for a runner's job
 * (actions/runner-container-hooks, RunnerInstanceLabel): the runner pod's name.
 */
const RUNNER_POD_LABEL = 'runner-pod'

/** Where each source's pods are, and the container that logs what matters (ARC's names). */
function target(source: Exclude<LogSource, 'job'>, scaleSets: string[]) {
  const sets = `${SCALE_SET_LABEL} in (${scaleSets.join(',')})`
  switch (source) {
    case 'runner':
      return {
        namespace: SCALE_SET_NAMESPACE,
        selector: `${sets},app.kubernetes.io/component=runner`,
        container: 'runner',
      }
    case 'listener':
      return {namespace: CONTROLLER_NAMESPACE, selector: sets, container: 'listener'}
    case 'controller':
      return {
        namespace: CONTROLLER_NAMESPACE,
        selector:
          'app.kubernetes.io/part-of=gha-rs-controller,app.kubernetes.io/component=controller-manager',
        container: 'manager',
      }
  }
}

/**
 * `deskrun logs`: the runner pods of an installation (or one instance of it), its listener (which talks
 * to GitHub), or the ARC controller, through `kubectl logs`; each line goes to `onLine` as it comes.
 * Returns false when no pod was there to read.
 */
export async function showLogs(
  context: ActionContext,
  name: string | undefined,
  options: {source: LogSource; follow?: boolean; tail?: number; onLine: (line: string) => void},
): Promise<{found: boolean}> {
  const config = await readConfig(context)
  const scaleSets = options.source === 'controller' ? [] : scaleSetsOf(config, name, options.source)
  await requireTools(['kubectl'])
  const {kubectl} = context.tools(config)
  const explain = async (error: unknown) => {
    throw await explainFailure(context, config, error)
  }
  const where =
    options.source === 'job'
      ? await jobPods(kubectl, scaleSets).catch(explain)
      : target(options.source, scaleSets)
  if (!where) return {found: false}
  const {stderr} = await kubectl
    .logs({
      ...where,
      tail: options.tail,
      follow: options.follow,
      // kubectl's note on stderr arrives here too; the caller says it in deskrun's words.
      onLine: (line) => {
        if (!line.startsWith('No resources found')) options.onLine(line)
      },
    })
    .catch(explain)
  return {found: !stderr.includes('No resources found')}
}

/**
 * The pods the container hook started for the jobs of these scale sets' runners (kubernetes modes: the
 * runner pod's name plus `-workflow`, and a pod per container step), every container of them: the job
 * container and the workflow's services. Undefined when no runner pod is there.
 */
async function jobPods(kubectl: Kubectl, scaleSets: string[]) {
  const runners = target('runner', scaleSets)
  const pods = await kubectl.list<{metadata: {name: string}}>('pods', runners, 'list the runner pods')
  if (pods.length === 0) return undefined
  const names = pods.map((pod) => pod.metadata.name).join(',')
  return {namespace: runners.namespace, selector: `${RUNNER_POD_LABEL} in (${names})`, container: undefined}
}

/** The scale sets NAME stands for: an installation's, or one instance. */
function scaleSetsOf(config: DeskrunConfig, name: string | undefined, source: LogSource): string[] {
  const installations = Object.values(config.installations)
  if (name === undefined)
    throw new UsageError(`Which installation's ${source} logs? Give its name.`, {
      hint: `deskrun logs NAME${source === 'runner' ? '' : ` --${source}`} (see deskrun list), or deskrun logs --controller`,
    })
  const installation = config.installations[name]
  if (installation) return instanceNames(name, installation.instances)
  const owner = installations.find((one) => instanceNames(one.name, one.instances).includes(name))
  if (owner) return [name]
  throw new UsageError(`No installation or instance named "${name}".`, {
    hint:
      installations.length > 0
        ? `Installations: ${installations.map((one) => one.name).join(', ')} (see deskrun list).`
        : 'There are none yet; add one with deskrun add.',
  })
}
