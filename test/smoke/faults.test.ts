/**
 * One fault of each kind along `add`, through processes: a tool process that fails, one that hangs until
 * deskrun's timeout kills it, and one killed by SIGKILL each end deskrun with exit 1 and a message that
 * names the step. How the next command recovers does not depend on processes: the whole matrix, with
 * recovery, runs in process in test/cli/faults.test.ts and through processes in test/process/.
 */
import {ADD, FaultMatrix, type Case} from '../helpers/fault-matrix.js'

// Each call before the hung one is a process that must start and finish within the timeout.
const matrix = new FaultMatrix({processes: true, hangTimeout: '3s', hangKillOwnTimeout: '4s'})

/** Cheap cases: early calls, so that few processes run before the fault. */
const ONE_OF_EACH: Case[] = [
  {scenario: ADD, tool: 'kind', call: 2, action: 'fail'},
  {scenario: ADD, tool: 'docker', call: 1, action: 'hang'},
  {scenario: ADD, tool: 'kind', call: 1, action: 'die'},
]

describe(`a fault of each kind along ${ADD.title}, through processes`, function () {
  this.timeout(180_000)

  for (const entry of ONE_OF_EACH)
    it(`${entry.action} at ${entry.tool} call ${entry.call}`, () => matrix.strikeOnly(entry))
})
