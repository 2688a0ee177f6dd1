/**
 * The whole fault matrix along `add` and `up` (see test/helpers/fault-matrix.ts), in process: each case is
 * its own `it`, run when mocha reaches it, so `--grep 'hang at helm call 3'` runs that case alone (and the
 * clean run it is compared with). test/process/faults.test.ts runs the same matrix as processes.
 */
import {ADD, CHANGE, FaultMatrix, UP} from '../helpers/fault-matrix.js'

const matrix = new FaultMatrix({processes: false, hangTimeout: '40ms', hangKillOwnTimeout: '50ms'})

for (const scenario of [ADD, UP, CHANGE]) {
  describe(`faults along ${scenario.title}`, function () {
    this.timeout(60_000)

    it('a clean run: records the calls of each tool and the state it leaves', () =>
      matrix.checkBaseline(scenario))

    for (const entry of matrix.cases.filter((candidate) => candidate.scenario === scenario))
      it(`${entry.action} at ${entry.tool} call ${entry.call}`, () => matrix.faultCase(entry))
  })
}
