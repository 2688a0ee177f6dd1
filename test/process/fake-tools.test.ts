/** The fake tools' own tests, as the executables in test/fake-tools/bin (test/unit runs them in process). */
import {describeFakeTools} from '../helpers/fake-tools-spec.js'

describeFakeTools({processes: true})
