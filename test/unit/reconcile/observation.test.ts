import {expect} from 'chai'

import {kubernetesVersionOfImage} from '../../../src/lib/domain/reconcile/observation.js'

describe('reconcile: kubernetesVersionOfImage', () => {
  it('reads the version of a kind node image pinned by digest', () => {
    expect(
      kubernetesVersionOfImage(
        'kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f',
      ),
    ).to.deep.equal({major: 1, minor: 33, gitVersion: 'v1.33.1'})
  })

  it('reads the version of a tag alone', () => {
    expect(kubernetesVersionOfImage('kindest/node:v1.28.15')).to.deep.equal({
      major: 1,
      minor: 28,
      gitVersion: 'v1.28.15',
    })
  })

  it('is not misled by a registry port', () => {
    expect(kubernetesVersionOfImage('localhost:5000/kindest/node:v1.30.4')?.gitVersion).to.equal('v1.30.4')
    expect(kubernetesVersionOfImage('localhost:5000/kindest/node')).to.equal(undefined)
  })

  it('tells nothing of an image without a version tag', () => {
    expect(kubernetesVersionOfImage('kindest/node')).to.equal(undefined)
    expect(kubernetesVersionOfImage('kindest/node:latest')).to.equal(undefined)
    expect(
      kubernetesVersionOfImage(
        'kindest/node@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f',
      ),
    ).to.equal(undefined)
    expect(kubernetesVersionOfImage('my/node:v1.33.1-custom')).to.equal(undefined)
  })
})
