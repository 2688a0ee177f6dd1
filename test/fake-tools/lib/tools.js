// The fakes by name, for the in-process front end (test/helpers/fake-exec.ts).
import {run as docker} from './docker.js'
import {run as helm} from './helm.js'
import {run as kind} from './kind.js'
import {run as kubectl} from './kubectl.js'
import {run as launchctl} from './launchctl.js'
import {run as systemctl} from './systemctl.js'

/** @type {Record<'docker' | 'helm' | 'kind' | 'kubectl' | 'systemctl' | 'launchctl', import('./invoke.js').Tool>} */
export const FAKE_TOOLS = {docker, helm, kind, kubectl, systemctl, launchctl}
