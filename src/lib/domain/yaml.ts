/**
 * yaml, loaded when first used: it is a large library, and most commands never read or write YAML
 * (`deskrun modes` and shell completion load the modes, which render YAML, but render nothing). Node's
 * require gives the package's named exports, bundled or not; a dynamic import of it from the bundle
 * would give only a default.
 */
import {createRequire} from 'node:module'

export const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml')
