/**
 * The whole fault matrix along `add` and `up` (test/helpers/fault-matrix.ts) through processes: deskrun is
 * bin/run.js and every tool call a process of test/fake-tools/bin. test/cli/faults.test.ts runs the same
 * cases in process.
 *
 * Cases run ahead of their `it`, a few at a time (see `Ahead`): nearly all of a case's time is spent in
 * child processes, and a hung call waits without using the CPU, so overlapping cases keeps two cores
 * busy. The file is then bound by the CPU its processes need (about 4 s per case: three deskrun runs and
 * some 45 fake tool calls), not by waiting. No assertion depends on timing: `hang` uses `--timeout 4s`
 * only so that the runner's timeout ends it; a shorter one would save nothing (the wait overlaps other
 * cases) and would leave less margin for the calls before it on a loaded machine. `--grep` for one case
 * starts only the few after it.
 */
import {ADD, CHANGE, FaultMatrix, UP} from '../helpers/fault-matrix.js'

/**
 * Cases in flight at once. A case keeps about one core busy (deskrun waits while its tool runs), except
 * for a hung call's wait; the actions alternate, so about one case in three is waiting. 3 to 6 took the
 * same time on two cores: the cores are the limit.
 */
const AHEAD = 4
/**
 * How far past the `it` that runs cases may start: far enough that a slow case (a hang) does not hold
 * the next ones back, near enough that `--grep` for one case runs only a few others.
 */
const LOOKAHEAD = 2 * AHEAD

/**
 * Starts cases ahead of their `it`, so that mocha's serial tests overlap: in order, at most AHEAD at a
 * time and at most LOOKAHEAD past the `it` that runs. A slot is refilled as soon as any case ends, so a
 * slow case at the head does not hold the next ones back; one queue serves both scenarios, so the second
 * one's first cases run while the first one's last ones finish.
 */
class Ahead {
  private readonly outcomes: Promise<void>[]
  private readonly starts: (() => void)[] = []
  /** The first case not started yet. */
  private next = 0
  /** The case whose `it` runs. */
  private head = 0
  private running = 0

  constructor(jobs: (() => Promise<void>)[]) {
    this.outcomes = jobs.map((job, index) => {
      const outcome = new Promise<void>((start) => (this.starts[index] = start)).then(job).finally(() => {
        this.running--
        this.fill()
      })
      outcome.catch(() => {}) // reported by its own `it`
      return outcome
    })
  }

  /** The outcome of case `index`; it starts now, or as soon as a slot is free. */
  run(index: number): Promise<void> {
    this.head = index
    this.next = Math.max(this.next, index) // cases whose `it` did not run (--grep) are not started
    this.fill()
    return this.outcomes[index]
  }

  private fill(): void {
    const end = Math.min(this.head + LOOKAHEAD, this.starts.length)
    while (this.running < AHEAD && this.next < end) {
      this.running++
      this.starts[this.next++]()
    }
  }
}

const matrix = new FaultMatrix({processes: true, hangTimeout: '4s', hangKillOwnTimeout: '5s'})
const ahead = new Ahead(matrix.cases.map((entry) => () => matrix.faultCase(entry)))

for (const scenario of [ADD, UP, CHANGE]) {
  describe(`faults along ${scenario.title}, through processes`, function () {
    this.timeout(180_000)

    it('a clean run: records the calls of each tool and the state it leaves', () =>
      matrix.checkBaseline(scenario))

    for (const [index, entry] of matrix.cases.entries())
      if (entry.scenario === scenario)
        it(`${entry.action} at ${entry.tool} call ${entry.call}`, () => ahead.run(index))
  })
}
