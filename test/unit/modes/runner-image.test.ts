import {expect} from 'chai'

import {builtinModes} from '../../../src/lib/domain/modes/builtins.js'
import {checkRender} from '../../../src/lib/domain/modes/check.js'
import {DIND_IMAGE} from '../../../src/lib/domain/modes/dind.js'
import {docker, renderOne, specOf, toolCache} from './fixtures.js'

const IMAGE = 'registry.example.com:5000/my-org/runner-with-tools:1.4'

describe('--runner-image in the built-in modes', () => {
  for (const mode of builtinModes) {
    for (const caches of [[], [toolCache], [docker, toolCache]]) {
      it(`${mode.name} with ${caches.length} cache(s) runs the runner and its helpers from the image`, () => {
        const {result, context} = renderOne(mode, {runnerImage: IMAGE, caches})
        expect(context.runnerImage).to.equal(IMAGE)
        const spec = specOf(result)
        const images = [...spec.containers, ...(spec.initContainers ?? [])]
          .filter((container) => container.image !== DIND_IMAGE)
          .map((container) => `${container.name}=${container.image}`)
        expect(images).to.include(`runner=${IMAGE}`)
        // The cache init container and dind's externals copy need the runner's files and tools too.
        expect(images.filter((entry) => !entry.endsWith(`=${IMAGE}`))).to.deep.equal([])
        expect(checkRender(mode, context, result)).to.deep.equal([])
      })
    }

    it(`${mode.name} uses ARC's runner image without --runner-image`, () => {
      const {result} = renderOne(mode, {caches: [toolCache]})
      const runner = specOf(result).containers.find((container) => container.name === 'runner')
      expect(runner?.image).to.equal('ghcr.io/actions/actions-runner:latest')
    })
  }
})
