import {createRequire} from 'node:module'

import {expect} from 'chai'

import {templatesOnly} from '../../src/help.js'

// The renderer oclif's help uses (lib/help/util.js): ejs.render(text, context).
const ejs = createRequire(import.meta.url)('ejs') as {render: (text: string, data: object) => string}

describe('help: templatesOnly', () => {
  const context = {config: {bin: 'deskrun'}}
  const calls: string[] = []
  const render = templatesOnly((text) => {
    calls.push(text)
    return ejs.render(text, context)
  })
  beforeEach(() => calls.splice(0))

  it('gives a line without ejs delimiters back as it is, without rendering it', () => {
    for (const text of ['Add a runner installation and bring it up.', '100% of <5> jobs', 'a > b %'])
      expect(render(text), text).to.equal(ejs.render(text, context))
    expect(calls).to.deep.equal([])
  })

  it("renders what ejs would change: tags, '%>' on its own and the escapes", () => {
    for (const text of ['<%= config.bin %> add NAME', '50 %> 40', 'literal %%> here', '<%% raw'])
      expect(render(text), text).to.equal(ejs.render(text, context))
    expect(calls).to.have.length(4)
  })
})
