/** Runs a listr2 task list with the renderer that suits where the output goes. */
import type {ListrTask} from 'listr2'

import {DeskrunError} from '../domain/errors.js'

export interface ProgressOptions {
  /** Under --json nothing but the JSON result may reach stdout, and no progress is shown. */
  json?: boolean
}

export function useFancyRenderer(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI && process.env.TERM !== 'dumb'
}

/** How long a command took, as the steps show it ("0.4s", "12s", "1m3s"); undefined off a terminal. */
export async function elapsedSince(startMs: number): Promise<string | undefined> {
  const elapsed = performance.now() - startMs
  if (!useFancyRenderer()) return undefined
  const {parseTimer} = await import('listr2')
  return parseTimer(elapsed)
}

export async function runTasks<Ctx extends object>(
  tasks: ListrTask<Ctx>[],
  ctx: Ctx,
  options: ProgressOptions = {},
): Promise<Ctx> {
  // listr2 is loaded with the first steps a command runs, not by every command that could.
  const {Listr, ListrLogger, PRESET_TIMER, ProcessOutput} = await import('listr2')
  // Progress goes to stderr so that stdout stays clean for results and pipes.
  const processOutput = new ProcessOutput(process.stderr, process.stderr)
  const logger = new ListrLogger({processOutput})
  const fancy = useFancyRenderer()
  const list = new Listr<Ctx, 'default' | 'simple' | 'silent', 'simple'>(tasks, {
    ctx,
    concurrent: false,
    exitOnError: true,
    registerSignalListeners: false,
    renderer: options.json ? 'silent' : fancy ? 'default' : 'simple',
    rendererOptions: {
      logger,
      collapseSubtasks: false,
      showErrorMessage: false,
      // Each finished step shows how long it took. Only on a terminal: a log (CI, a pipe, the tests)
      // reads the same in every run.
      ...(fancy ? {timer: PRESET_TIMER} : {}),
    },
    fallbackRenderer: 'simple',
    fallbackRendererOptions: {logger},
  })
  try {
    return await list.run()
  } catch (error) {
    // The command says what was done and what was not, so the user knows what `deskrun up` will pick up.
    if (error instanceof DeskrunError) {
      // Steps run side by side (the scale sets) count one by one.
      const steps = list.tasks
        .flatMap((task) => (task.subtasks?.length ? task.subtasks : [task]))
        .filter((task) => task.hasTitle())
      const title = (task: (typeof steps)[number]) => task.title ?? task.initialTitle ?? ''
      error.progress = {
        done: steps.filter((task) => task.isCompleted()).map(title),
        notDone: [
          ...steps.filter((task) => task.hasFailed()),
          ...steps.filter((task) => !task.isCompleted() && !task.hasFailed()),
        ].map((task) => task.initialTitle ?? title(task)),
      }
    }
    throw error
  }
}

/**
 * Runs `work` as one step titled `title`: the step shows from the start, however long the work stays
 * quiet (the prerequisite checks), and `work` may retitle it with what it found.
 */
export async function runStep<T>(
  title: string,
  work: (task: {title: string}) => Promise<T>,
  options: ProgressOptions = {},
): Promise<T> {
  let result!: T
  await runTasks([{title, task: async (_ctx, task) => void (result = await work(task))}], {}, options)
  return result
}

/**
 * Where a step sends the lines its tool prints: the live line under the task on a terminal. Plain
 * logs (CI, pipes) keep only the step titles; a failure still shows the tool's stderr tail.
 */
export function toolOutput(task: {output?: unknown}): ((line: string) => void) | undefined {
  return useFancyRenderer() ? (line) => (task.output = line) : undefined
}
