/**
 * Finds where JSON text goes wrong. JSON.parse's own messages give no line numbers and sometimes quote
 * the text around the error, which in the config file may be a token; this scanner says where and
 * what, and never repeats the content.
 */

export interface JsonSyntaxProblem {
  /** 1-based line and column of the first error. */
  line: number
  column: number
  problem: string
}

class Problem extends Error {
  constructor(
    readonly offset: number,
    problem: string,
  ) {
    super(problem)
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y

class Scanner {
  private pos = 0

  constructor(private readonly text: string) {}

  document(): void {
    this.value()
    this.space()
    if (this.pos < this.text.length)
      throw new Problem(this.pos, 'unexpected text after the end of the JSON value')
  }

  private space(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++
  }

  private value(): void {
    this.space()
    const char = this.text[this.pos]
    if (char === undefined) throw new Problem(this.pos, 'the text ends where a value was expected')
    if (char === '{') return this.object()
    if (char === '[') return this.array()
    if (char === '"') return this.string()
    if (char === '-' || (char >= '0' && char <= '9')) return this.number()
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.pos)) {
        this.pos += literal.length
        return
      }
    }

    throw new Problem(
      this.pos,
      this.unexpected(char, 'a value (a string in double quotes, a number, true, false, null, [ or {)'),
    )
  }

  private unexpected(char: string, expected: string): string {
    if (char === '/') return 'comments are not allowed in JSON'
    if (char === "'") return 'strings must be in double quotes, not single quotes'
    return `expected ${expected}`
  }

  private object(): void {
    this.pos++
    this.space()
    if (this.text[this.pos] === '}') {
      this.pos++
      return
    }

    for (;;) {
      this.space()
      const char = this.text[this.pos]
      if (char === undefined) throw new Problem(this.pos, 'the text ends inside an object: a } is missing')
      if (char === '}') throw new Problem(this.pos, 'a comma before } is not allowed in JSON')
      if (char !== '"') throw new Problem(this.pos, this.unexpected(char, 'a property name in double quotes'))
      this.string()
      this.space()
      if (this.text[this.pos] !== ':') throw new Problem(this.pos, "expected ':' after the property name")
      this.pos++
      this.value()
      if (this.closes('}', 'an object', 'the property value')) return
    }
  }

  private array(): void {
    this.pos++
    this.space()
    if (this.text[this.pos] === ']') {
      this.pos++
      return
    }

    for (;;) {
      this.space()
      if (this.text[this.pos] === ']') throw new Problem(this.pos, 'a comma before ] is not allowed in JSON')
      this.value()
      if (this.closes(']', 'a list', 'the list element')) return
    }
  }

  /** After a member: a comma goes on to the next one, `close` ends the container (true). */
  private closes(close: string, container: string, member: string): boolean {
    this.space()
    const next = this.text[this.pos]
    if (next !== ',' && next !== close)
      throw new Problem(
        this.pos,
        next === undefined
          ? `the text ends inside ${container}: a ${close} is missing`
          : `expected ',' or '${close}' after ${member}`,
      )
    this.pos++
    return next === close
  }

  private string(): void {
    const start = this.pos
    this.pos++
    for (;;) {
      const char = this.text[this.pos]
      if (char === undefined) throw new Problem(start, 'this string is never closed with "')
      if (char === '"') {
        this.pos++
        return
      }

      if (char === '\\') {
        const escape = this.text[this.pos + 1]
        if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
          this.pos += 6
          continue
        }

        if (escape === undefined || !'"\\/bfnrt'.includes(escape)) {
          throw new Problem(this.pos, 'invalid escape sequence in a string (write \\\\ for a backslash)')
        }

        this.pos += 2
        continue
      }

      if (char.charCodeAt(0) < 0x20) {
        throw new Problem(this.pos, 'a line break or control character inside a string (write \\n instead)')
      }

      this.pos++
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.pos
    const match = NUMBER.exec(this.text)
    if (!match) throw new Problem(this.pos, 'invalid number')
    this.pos += match[0].length
  }
}

function lineColumn(text: string, offset: number): {line: number; column: number} {
  const before = text.slice(0, offset).split('\n')
  return {line: before.length, column: before.at(-1)!.length + 1}
}

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    new Scanner(text).document()
    return undefined
  } catch (error) {
    if (!(error instanceof Problem)) throw error
    return {...lineColumn(text, error.offset), problem: error.message}
  }
}

export type ParsedJson = {ok: true; value: unknown} | ({ok: false} & JsonSyntaxProblem)

/** JSON.parse with a located, content-free error instead of an exception. */
export function parseJson(text: string): ParsedJson {
  if (text.trim() === '') return {ok: false, line: 1, column: 1, problem: 'the file is empty'}
  try {
    return {ok: true, value: JSON.parse(text)}
  } catch {
    return {
      ok: false,
      ...(jsonSyntaxProblem(text) ?? {line: 1, column: 1, problem: 'the text is not valid JSON'}),
    }
  }
}
