/** The test CA certificates of test/fixtures/certs (see its README): files and their PEM text. */
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {REPO_ROOT} from './fake-tools.js'

const file = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', 'certs', name)

/** `CN=deskrun test CA`, valid 2000-01-01 to 2100-01-01. */
export const CA_FILE = file('ca.pem')
/** `CN=deskrun second test CA`, valid 2000-01-01 to 2100-01-01. */
export const SECOND_CA_FILE = file('second-ca.pem')
/** `CN=deskrun expired test CA`, valid 2000-01-01 to 2001-01-01. */
export const EXPIRED_CA_FILE = file('expired-ca.pem')

export const CA_PEM = readFileSync(CA_FILE, 'utf8').trim()
export const SECOND_CA_PEM = readFileSync(SECOND_CA_FILE, 'utf8').trim()
export const EXPIRED_CA_PEM = readFileSync(EXPIRED_CA_FILE, 'utf8').trim()
