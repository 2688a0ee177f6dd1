import {expect} from 'chai'

import {MINIMUM_VERSIONS, isTooOld, parseToolVersion} from '../../../src/lib/tools/versions.js'

describe('doctor: tool versions', () => {
  it('reads each tool’s version output', () => {
    expect(parseToolVersion('kind', 'kind v0.29.0 go1.24.2 linux/amd64')).to.equal('0.29.0')
    expect(parseToolVersion('kind', 'kind version 0.11.1')).to.equal('0.11.1')
    expect(parseToolVersion('helm', 'v3.18.4+gd80839c')).to.equal('3.18.4')
    expect(parseToolVersion('kubectl', JSON.stringify({clientVersion: {gitVersion: 'v1.33.1'}}))).to.equal(
      '1.33.1',
    )
    expect(parseToolVersion('kubectl', 'Client Version: v1.27.3\nKustomize Version: v5.0.1')).to.equal(
      '1.27.3',
    )
    expect(
      parseToolVersion('kubectl', JSON.stringify({clientVersion: {gitVersion: 'v1.32.4-dispatcher'}})),
    ).to.equal('1.32.4-dispatcher')
    expect(parseToolVersion('helm', 'no version here')).to.equal(undefined)
  })

  it('states one floor per tool and compares against it', () => {
    expect(MINIMUM_VERSIONS).to.deep.equal({kind: '0.20.0', helm: '3.13.0', kubectl: '1.27.0'})
    expect(isTooOld('kind', '0.19.0')).to.equal(true)
    expect(isTooOld('kind', '0.20.0')).to.equal(false)
    expect(isTooOld('helm', '3.12.3')).to.equal(true)
    expect(isTooOld('helm', '4.0.0')).to.equal(false)
    expect(isTooOld('kubectl', '1.27.0-rc.1')).to.equal(true)
  })
})
