/** What a promise that a test expects to fail rejects with; the test fails when it fulfils instead. */
import {expect} from 'chai'

import {DeskrunError} from '../../src/lib/domain/errors.js'

/** The error PROMISE rejects with, whatever it is. */
export const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => expect.fail('expected an error'),
    (error: unknown) => error,
  )

/** The DeskrunError PROMISE rejects with (a user-facing error, no bug). */
export async function deskrunRejection(promise: Promise<unknown>): Promise<DeskrunError> {
  const error = await rejection(promise)
  expect(error).to.be.instanceOf(DeskrunError)
  return error as DeskrunError
}
