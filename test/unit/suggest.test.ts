import {expect} from 'chai'

import {closest, editDistance} from '../../src/lib/cli/suggest.js'
import {findByName} from '../../src/lib/domain/installation/naming.js'

describe('did you mean', () => {
  const flags = ['--repository', '--mode', '--max-runners', '--min-runners', '--runner-group', '--json']

  it('names the only flag a shortened one starts, or the nearest typo, else nothing', () => {
    expect(closest('--repo', flags)).to.equal('--repository')
    expect(closest('--reposiotry', flags)).to.equal('--repository')
    expect(closest('--max-runner', flags)).to.equal('--max-runners')
    expect(closest('--m', flags), 'several start so').to.equal(undefined)
    expect(closest('--frobnicate', flags)).to.equal(undefined)
    expect(editDistance('kitten', 'sitting')).to.equal(3)
  })
})

describe('names a user types for an installation', () => {
  const installations = {multi: {instances: 3}, web: {instances: 1}, 'web-2': {instances: 1}}

  it('an installation, or one instance of an installation with several', () => {
    expect(findByName(installations, 'multi')).to.deep.equal({installation: 'multi'})
    expect(findByName(installations, 'multi-3')).to.deep.equal({installation: 'multi', instance: 'multi-3'})
    expect(findByName(installations, 'multi-4')).to.equal(undefined)
    expect(findByName(installations, 'web-1'), 'one instance is named as its installation').to.equal(
      undefined,
    )
    expect(findByName(installations, 'web-2'), 'an installation of that name wins').to.deep.equal({
      installation: 'web-2',
    })
  })
})
