/** The fake tools' own tests, in process (test/process/fake-tools.test.ts runs them as the executables). */
import {describeFakeTools} from '../helpers/fake-tools-spec.js'

describeFakeTools({processes: false})
