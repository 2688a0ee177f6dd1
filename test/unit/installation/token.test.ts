import {expect} from 'chai'

import {unfamiliarTokenWarning} from '../../../src/lib/domain/installation/token.js'

describe('unfamiliarTokenWarning', () => {
  const githubShaped = [
    'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
    'github_pat_11ABCDEFG0123456789abc_0123456789abcdefABCDEF0123456789abcdefABCDEF0123456789ab',
    'gho_16C7e42F292c6912E7710c838347Ae178B4a',
    'ghu_16C7e42F292c6912E7710c838347Ae178B4a',
    'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
    'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
    'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
    '  ghp_16C7e42F292c6912E7710c838347Ae178B4a\n',
  ]
  for (const token of githubShaped)
    it(`takes ${token.trim().slice(0, 12)}… without a word`, () => {
      expect(unfamiliarTokenWarning(token)).to.equal(undefined)
    })

  for (const token of ['glpat-xxxxxxxxxxxxxxxxxxxx', 'hunter2', 'ghx_abc', 'a94a8fe5ccb19ba61c4c']) {
    it(`warns about ${token} without repeating it`, () => {
      const warning = unfamiliarTokenWarning(token)
      expect(warning).to.contain('does not look like a GitHub token').and.contain('ghp_, github_pat_')
      expect(warning).not.to.contain(token)
    })
  }

  it('leaves what the validation refuses to the validation (several words, a key, nothing)', () => {
    expect(unfamiliarTokenWarning('two words')).to.equal(undefined)
    expect(unfamiliarTokenWarning('-----BEGIN RSA PRIVATE KEY-----')).to.equal(undefined)
    expect(unfamiliarTokenWarning('')).to.equal(undefined)
  })
})
