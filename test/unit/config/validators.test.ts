import {readFileSync} from 'node:fs'

import {expect} from 'chai'

import {VALIDATORS_FILE, configValidatorsSource} from '../../../scripts/config-validators.js'

describe('the config validators', () => {
  it('are generated from the schema as it is now (run `npm run schema` after changing schema.ts)', () => {
    expect(
      readFileSync(VALIDATORS_FILE, 'utf8') === configValidatorsSource(),
      'validators.generated.js is stale',
    ).to.be.true
  })
})
