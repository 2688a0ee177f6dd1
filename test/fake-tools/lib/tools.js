// The four fakes by name, for the in-process front end (test/helpers/fake-exec.ts).
import {run as docker} from './docker.js'
import {run as helm} from './helm.js'
import {run as kind} from './kind.js'
import {run as kubectl} from './kubectl.js'

/** @type {Record<'docker' | 'helm' | 'kind' | 'kubectl', import('./invoke.js').Tool>} */
export const FAKE_TOOLS = {docker, helm, kind, kubectl}
