import {expect} from 'chai'

import {problemsMessage} from '../../src/lib/domain/errors.js'

describe('problemsMessage', () => {
  it('gives a single problem as it is', () => {
    expect(problemsMessage('Invalid change', ['--max-runners must be at least 1'])).to.equal(
      '--max-runners must be at least 1',
    )
  })

  it('lists several under the title, one per line', () => {
    expect(problemsMessage('Invalid change', ['first', 'second'])).to.equal(
      'Invalid change:\n  - first\n  - second',
    )
  })
})
