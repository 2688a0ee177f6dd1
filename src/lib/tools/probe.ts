/**
 * How a caller asks a tool something without failing itself: doctor's checks turn a failure into a
 * finding, and `status` reports what it could not tell. The adapters always throw; these wrap them.
 */
import {DeskrunError} from '../errors.js'

/** A tool that ran and failed (non-zero exit or killed): the error, and the tool's own words. */
export class ToolFailure extends DeskrunError {
  constructor(
    message: string,
    /** The first line the tool printed about it (redacted), or how it ended: for a one-line finding. */
    readonly reason: string,
    hint?: string,
  ) {
    super(message, {code: 'TOOL_FAILED', hint})
  }
}

export type Probe<T> = {ok: true; value: T} | {ok: false; error: DeskrunError}

/**
 * The answer, or the DeskrunError that stood in for it: a tool that failed, is missing or hung.
 * Ctrl-C is the user's decision, not a finding about the tool, so it (and any bug) still throws.
 */
export async function probe<T>(call: Promise<T>): Promise<Probe<T>> {
  try {
    return {ok: true, value: await call}
  } catch (error) {
    if (error instanceof DeskrunError && error.code !== 'INTERRUPTED') return {ok: false, error}
    throw error
  }
}

/** The answer, or undefined when the tool ran and failed; a missing, hung or interrupted tool still throws. */
export async function unlessFailed<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call
  } catch (error) {
    if (error instanceof ToolFailure) return undefined
    throw error
  }
}

/** What went wrong in one line: the tool's own first words, else the first line of the error. */
export function reason(error: DeskrunError): string {
  if (error instanceof ToolFailure) return error.reason
  return firstLine(error.message) ?? error.code
}

export function firstLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .find(Boolean)
}
