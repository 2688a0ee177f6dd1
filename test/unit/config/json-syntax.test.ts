import {expect} from 'chai'

import {jsonSyntaxProblem, parseJson} from '../../../src/lib/domain/config/json-syntax.js'

describe('JSON syntax errors', () => {
  const cases: Array<[string, number, number, string]> = [
    ['{"a": }', 1, 7, 'expected a value'],
    ['{"a": 1,}', 1, 9, 'a comma before } is not allowed'],
    ['[1, 2,]', 1, 7, 'a comma before ] is not allowed'],
    ['{"a" 1}', 1, 6, "expected ':'"],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}'"],
    ['[1 2]', 1, 4, "expected ',' or ']'"],
    ['{\n  // note\n  "a": 1\n}', 2, 3, 'comments are not allowed'],
    ["{'a': 1}", 1, 2, 'double quotes'],
    ['{"a": "x', 1, 7, 'never closed'],
    ['{"a": "line\nbreak"}', 1, 12, 'line break or control character'],
    ['{"a": "\\q"}', 1, 8, 'invalid escape'],
    ['{"a": 01}', 1, 8, "expected ',' or '}'"],
    ['{"a": -}', 1, 7, 'invalid number'],
    ['{"a": tru}', 1, 7, 'expected a value'],
    ['{"a": 1', 1, 8, 'a } is missing'],
    ['[1', 1, 3, 'a ] is missing'],
    ['{} {}', 1, 4, 'unexpected text after'],
  ]

  for (const [text, line, column, problem] of cases) {
    it(`locates the error in ${JSON.stringify(text)}`, () => {
      expect(() => JSON.parse(text), 'JSON.parse agrees it is invalid').to.throw()
      const found = jsonSyntaxProblem(text)
      expect(found).to.deep.include({line, column})
      expect(found?.problem).to.include(problem)
    })
  }

  for (const valid of [
    '{}',
    '[]',
    '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]}',
    ' \n{"a": {"b": {}}}\n',
  ]) {
    it(`agrees with JSON.parse that ${JSON.stringify(valid)} is valid`, () => {
      expect(jsonSyntaxProblem(valid)).to.equal(undefined)
      expect(parseJson(valid)).to.deep.equal({ok: true, value: JSON.parse(valid)})
    })
  }

  it('never quotes the text', () => {
    const result = parseJson('{"token": "ghp_secret" "x": 1}')
    expect(result.ok).to.equal(false)
    expect(JSON.stringify(result)).not.to.include('ghp_secret')
  })
})
