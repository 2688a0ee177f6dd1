/**
 * What is wrong with a config file's data, as lines a person can act on: ajv checks the data against
 * the schema of its shape (schema.ts, compiled ahead of time by scripts/validators.ts), and each
 * error becomes `<field> must be <what the schema node expects>` or `<field> is required`.
 */
import type {ErrorObject} from 'ajv'

import {checkCurrent} from './check.generated.js'
import {isOriginalShape, type Schema} from './schema.js'

/** What is wrong with parsed config data, one line per field; empty when it is usable. */
export async function configProblems(data: unknown): Promise<string[]> {
  // A config of the current shape is checked by a small validator that only answers yes or no; the
  // one that says what is wrong is three times its size, and loaded only when there is something to say.
  if (isOriginalShape(data) || !checkCurrent(data)) {
    const {validateCurrent, validateOriginal} = await import('./validators.generated.js')
    const validate = isOriginalShape(data) ? validateOriginal : validateCurrent
    if (!validate(data)) return [...new Set(linesOf(validate.errors ?? []))]
  }

  const installations = (data as {installations?: Record<string, {Name?: string}> | null}).installations ?? {}
  const mismatched = Object.entries(installations).filter(
    ([key, entry]) => entry.Name !== undefined && entry.Name !== key,
  )
  return mismatched.map(([key]) => `${fieldName(['installations', key])}.Name must be the same as its key`)
}

/** One line per error; an anyOf that fails is one line of its own, not those of its branches. */
function linesOf(errors: ErrorObject[]): string[] {
  const failedAnyOf = errors
    .filter((error) => error.keyword === 'anyOf')
    .map((error) => `${error.schemaPath}/`)
  return errors
    .filter((error) => !failedAnyOf.some((anyOf) => error.schemaPath.startsWith(anyOf)))
    .map((error) => {
      const at = segmentsOf(error.instancePath)
      if (error.keyword === 'required')
        return `${fieldName([...at, (error.params as {missingProperty: string}).missingProperty])} is required`
      return `${at.length === 0 ? 'The file' : fieldName(at)} must be ${(error.parentSchema as Schema).expected}`
    })
}

/** The property names and indexes of a JSON pointer such as `/installations/my~1runner/CachePaths/0`. */
const segmentsOf = (pointer: string): string[] =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))

/** `['installations', 'my-runner', 'CachePaths', '0']` -> `installations.my-runner.CachePaths[0]`. */
function fieldName(segments: readonly string[]): string {
  let name = ''
  for (const segment of segments) {
    if (/^[0-9]+$/.test(segment)) name += `[${segment}]`
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) name += name === '' ? segment : `.${segment}`
    else name += `[${JSON.stringify(segment)}]`
  }

  return name
}
