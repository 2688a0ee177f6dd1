import {expect} from 'chai'

import {imageReferenceProblem} from '../../../src/lib/domain/installation/image.js'

describe('imageReferenceProblem', () => {
  for (const image of [
    'ghcr.io/actions/actions-runner:latest',
    'ubuntu',
    'my-org/runner_tools:2.330.0-ubuntu',
    'Registry.Example.com:5000/org/runner:1',
    'localhost:5000/runner',
    `ghcr.io/org/runner@sha256:${'a'.repeat(64)}`,
    `ghcr.io/org/runner:1.2@sha256:${'0'.repeat(64)}`,
  ]) {
    it(`takes ${image}`, () => expect(imageReferenceProblem(image)).to.equal(undefined))
  }

  const bad: [string, RegExp][] = [
    ['', /is empty/],
    ['ghcr.io/My-Org/runner:1', /must be lower case/],
    ['ghcr.io/org/runner :1', /contains spaces/],
    ['ghcr.io/org/runner:', /not an image reference/],
    ['ghcr.io/org/runner:-x', /not an image reference/],
    ['ghcr.io/org/runner@sha256:xyz', /not an image reference/],
    ['https://ghcr.io/org/runner', /not an image reference/],
    ['org//runner', /not an image reference/],
    [`x/${'a'.repeat(260)}`, /longer than 255/],
  ]
  for (const [image, message] of bad) {
    it(`refuses "${image.slice(0, 40)}" and names the flag`, () => {
      const problem = imageReferenceProblem(image)
      expect(problem).to.match(message)
      expect(problem).to.include('--runner-image')
    })
  }
})
