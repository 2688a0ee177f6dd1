import {readFileSync} from 'node:fs'
import path from 'node:path'

import {expect} from 'chai'

import {GENERATED_VALIDATORS} from '../../scripts/validators.js'

describe('the validators ajv compiled ahead (scripts/validators.ts)', () => {
  for (const [file, source] of Object.entries(GENERATED_VALIDATORS)) {
    it(`${path.basename(file)} is generated from its schema as it is now (run \`npm run schema\` after changing it)`, () => {
      expect(readFileSync(file, 'utf8') === source(), `${path.basename(file)} is stale`).to.be.true
    })
  }
})
