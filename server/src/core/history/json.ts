import { fail, TextCursor, type Datum, type Position } from './located';

/**
 * A strict JSON reader (RFC 8259) that keeps where every value starts, so a
 * history read from `dsync run --json` can name the lines of its events.
 * Objects become maps with string keys, arrays vectors, numbers ints or
 * floats.
 */
export function readJson(text: string): Datum {
  const r = new JsonReader(text);
  r.space();
  const value = r.value(0);
  r.space();
  if (!r.atEnd()) fail(r.here(), 'unexpected text after the JSON document');
  return value;
}

const MAX_DEPTH = 200;

class JsonReader extends TextCursor {
  atEnd(): boolean {
    return this.i >= this.text.length;
  }

  space(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i]!)) this.advance();
  }

  private expect(c: string, what: string): void {
    if (this.text[this.i] !== c) fail(this.here(), `expected '${c}' ${what}`);
    this.advance();
  }

  value(depth: number): Datum {
    if (depth > MAX_DEPTH) fail(this.here(), `nested deeper than ${MAX_DEPTH} levels`);
    const at = this.here();
    const c = this.text[this.i];
    if (c === undefined) fail(at, 'expected a value, found the end of the input');
    if (c === '{') return this.object(at, depth);
    if (c === '[') return this.array(at, depth);
    if (c === '"') return { kind: 'string', value: this.string(), ...at };
    const word = /^(true|false|null)/.exec(this.text.slice(this.i, this.i + 5));
    if (word) {
      for (let k = 0; k < word[1]!.length; k++) this.advance();
      return word[1] === 'null' ? { kind: 'nil', ...at } : { kind: 'bool', value: word[1] === 'true', ...at };
    }
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (num) {
      for (let k = 0; k < num[0].length; k++) this.advance();
      return num[2] || num[3] ? { kind: 'float', value: Number(num[0]), ...at } : { kind: 'int', text: num[0] === '-0' ? '0' : num[0], ...at };
    }
    fail(at, `unexpected '${c}': not a JSON value`);
  }

  private object(at: Position, depth: number): Datum {
    this.advance();
    const entries: [Datum, Datum][] = [];
    this.space();
    if (this.text[this.i] === '}') {
      this.advance();
      return { kind: 'map', entries, ...at };
    }
    for (;;) {
      this.space();
      const keyAt = this.here();
      if (this.text[this.i] !== '"') fail(keyAt, 'expected a string key in the object');
      const key: Datum = { kind: 'string', value: this.string(), ...keyAt };
      this.space();
      this.expect(':', 'after the key');
      this.space();
      entries.push([key, this.value(depth + 1)]);
      this.space();
      if (this.text[this.i] === '}') {
        this.advance();
        return { kind: 'map', entries, ...at };
      }
      if (this.atEnd()) fail(at, "the object opened here is never closed (expected '}')");
      this.expect(',', 'or \'}\' after the value');
    }
  }

  private array(at: Position, depth: number): Datum {
    this.advance();
    const items: Datum[] = [];
    this.space();
    if (this.text[this.i] === ']') {
      this.advance();
      return { kind: 'vector', items, ...at };
    }
    for (;;) {
      this.space();
      items.push(this.value(depth + 1));
      this.space();
      if (this.text[this.i] === ']') {
        this.advance();
        return { kind: 'vector', items, ...at };
      }
      if (this.atEnd()) fail(at, "the array opened here is never closed (expected ']')");
      this.expect(',', "or ']' after the value");
    }
  }

  private string(): string {
    const at = this.here();
    this.advance();
    let s = '';
    for (;;) {
      if (this.atEnd()) fail(at, 'the string opened here is never closed');
      const c = this.advance();
      if (c === '"') return s;
      if (c < ' ') fail(this.here(), 'a control character inside a string must be escaped');
      if (c !== '\\') {
        s += c;
        continue;
      }
      const e = this.atEnd() ? '' : this.advance();
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) s += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i, this.i + 4))) {
        s += String.fromCharCode(parseInt(this.text.slice(this.i, this.i + 4), 16));
        for (let k = 0; k < 4; k++) this.advance();
      } else fail(this.here(), `bad escape '\\${e}' in a string`);
    }
  }
}
