// yaml, loaded on first use: most calls never parse or print YAML, and loading the package is about a
// third of a fake's start-up (the tests start thousands of fakes).
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)
/** @type {typeof import('yaml') | undefined} */
let yaml
const load = () => (yaml ??= require('yaml'))

/** @type {typeof import('yaml').parse} */
export const parse = (...args) => load().parse(...args)
/** @type {typeof import('yaml').stringify} */
export const stringify = (...args) => load().stringify(...args)
/** @type {typeof import('yaml').parseAllDocuments} */
export const parseAllDocuments = (...args) => load().parseAllDocuments(...args)
