/**
 * Where a JSON text stops being JSON, described without quoting it. Node's own `JSON.parse`
 * messages copy a stretch of the text around the error, which for a file of credentials may be a
 * secret; this scanner only says what was expected, and at which line and column.
 */
export interface JsonSyntaxProblem {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
  readonly problem: string;
}

class JsonSyntaxStop extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX_DIGIT = /^[0-9a-fA-F]$/;
const DIGIT = /^[0-9]$/;

class Scanner {
  private offset = 0;

  constructor(private readonly text: string) {}

  document(): void {
    this.skipWhitespace();
    this.value();
    this.skipWhitespace();
    if (this.offset < this.text.length) {
      this.stop('unexpected content after the end of the JSON document');
    }
  }

  private stop(problem: string, offset = this.offset): never {
    throw new JsonSyntaxStop(offset, problem);
  }

  private peek(): string | undefined {
    return this.text[this.offset];
  }

  private skipWhitespace(): void {
    while (this.offset < this.text.length && WHITESPACE.has(this.text[this.offset] as string)) {
      this.offset++;
    }
  }

  private expectEnd(what: string): void {
    if (this.offset >= this.text.length) this.stop(`the file ends where ${what} was expected`);
  }

  private value(): void {
    this.expectEnd('a value');
    const next = this.peek();
    if (next === '{') return this.object();
    if (next === '[') return this.array();
    if (next === '"') return this.string();
    if (next === '-' || (next !== undefined && DIGIT.test(next))) return this.number();
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.offset)) {
        this.offset += literal.length;
        return;
      }
    }
    this.stop(
      'unexpected character where a value was expected (a string in double quotes, a number, an object, an array, true, false or null)',
    );
  }

  private object(): void {
    this.offset++;
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.offset++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      this.expectEnd('a property name');
      if (this.peek() !== '"') this.stop('expected a property name in double quotes');
      this.string();
      this.skipWhitespace();
      this.expectEnd("':'");
      if (this.peek() !== ':') this.stop("expected ':' after the property name");
      this.offset++;
      this.skipWhitespace();
      this.value();
      this.skipWhitespace();
      this.expectEnd("',' or '}'");
      const next = this.peek();
      this.offset++;
      if (next === '}') return;
      if (next !== ',')
        this.stop("expected ',' or '}' after the property's value", this.offset - 1);
      this.skipWhitespace();
      if (this.peek() === '}') this.stop("a ',' before '}' (trailing commas are not JSON)");
    }
  }

  private array(): void {
    this.offset++;
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.offset++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      this.value();
      this.skipWhitespace();
      this.expectEnd("',' or ']'");
      const next = this.peek();
      this.offset++;
      if (next === ']') return;
      if (next !== ',') this.stop("expected ',' or ']' after the array item", this.offset - 1);
      this.skipWhitespace();
      if (this.peek() === ']') this.stop("a ',' before ']' (trailing commas are not JSON)");
    }
  }

  private string(): void {
    const start = this.offset;
    this.offset++;
    for (;;) {
      if (this.offset >= this.text.length) this.stop('a string that is never closed', start);
      const character = this.text[this.offset] as string;
      if (character === '"') {
        this.offset++;
        return;
      }
      if (character.charCodeAt(0) < 0x20) {
        this.stop('a line break or control character inside a string');
      }
      if (character === '\\') {
        const escaped = this.text[this.offset + 1];
        if (escaped === 'u') {
          const hex = this.text.slice(this.offset + 2, this.offset + 6);
          if (hex.length !== 4 || ![...hex].every((digit) => HEX_DIGIT.test(digit))) {
            this.stop('an invalid \\u escape inside a string');
          }
          this.offset += 6;
          continue;
        }
        if (escaped === undefined || !SIMPLE_ESCAPES.has(escaped)) {
          this.stop('an invalid escape inside a string');
        }
        this.offset += 2;
        continue;
      }
      this.offset++;
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(
      this.text.slice(this.offset, this.offset + 400),
    );
    if (match === null) this.stop('an invalid number');
    this.offset += match[0].length;
  }
}

/** The first syntax problem of `text` and where it is, or undefined when `text` is JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonSyntaxStop)) {
      // Nesting too deep for the recursion: still no quote of the text.
      return { line: 1, column: 1, problem: 'nested too deeply to read' };
    }
    const before = text.slice(0, error.offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    return {
      line: before.split('\n').length,
      column: error.offset - lineStart + 1,
      problem: error.problem,
    };
  }
}
