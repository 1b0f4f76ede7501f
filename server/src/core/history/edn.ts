import { fail, TextCursor, type Datum, type Position } from './located';

/**
 * A small, strict reader for the subset of EDN (https://github.com/edn-format/edn)
 * that Jepsen histories use: maps, vectors, lists, sets, keywords, symbols,
 * integers (with an optional N), decimals, strings, characters are not
 * needed and are refused, nil, true/false, tagged values (`#inst "…"`, read
 * as the tag and its value), `#_` discards, `;` comments; commas are
 * whitespace. Anything else is an error with its line and column, never a
 * guess. `startLine`/`startColumn` place a fragment cut from a longer line
 * (log lines).
 */
export function readEdn(text: string, startLine = 1, startColumn = 1): Datum[] {
  return new EdnReader(text, startLine, startColumn).readAll();
}

const DELIMITERS = new Set(['{', '}', '[', ']', '(', ')', '"', ';']);
const MAX_DEPTH = 200;

class EdnReader extends TextCursor {
  readAll(): Datum[] {
    const out: Datum[] = [];
    for (;;) {
      this.skipSpace();
      if (this.i >= this.text.length) return out;
      const d = this.read(0);
      if (d) out.push(d);
    }
  }

  private skipSpace(): void {
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (c === ';') {
        while (this.i < this.text.length && this.text[this.i] !== '\n') this.advance();
      } else if (c === ',' || c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
        this.advance();
      } else {
        return;
      }
    }
  }

  /** One form; undefined for a `#_` discard. */
  private read(depth: number): Datum | undefined {
    if (depth > MAX_DEPTH) fail(this.here(), `nested deeper than ${MAX_DEPTH} levels`);
    const at = this.here();
    const c = this.text[this.i]!;
    switch (c) {
      case '{': return this.advance(), { kind: 'map', entries: this.pairs(this.collection('}', at, depth, 'map'), at), ...at };
      case '[': return this.advance(), { kind: 'vector', items: this.collection(']', at, depth, 'vector'), ...at };
      case '(': return this.advance(), { kind: 'list', items: this.collection(')', at, depth, 'list'), ...at };
      case '}':
      case ']':
      case ')':
        fail(at, `unexpected '${c}' with nothing open to close`);
      case '"': return this.string(at);
      case '#': return this.dispatch(at, depth);
      case '\\': fail(at, 'character literals are not supported in histories');
      default: return this.atom(at);
    }
  }

  private collection(close: string, open: Position, depth: number, what: string): Datum[] {
    const items: Datum[] = [];
    for (;;) {
      this.skipSpace();
      if (this.i >= this.text.length) fail(open, `the ${what} opened here is never closed (expected '${close}')`);
      if (this.text[this.i] === close) {
        this.advance();
        return items;
      }
      const d = this.read(depth + 1);
      if (d) items.push(d);
    }
  }

  private pairs(items: Datum[], at: Position): [Datum, Datum][] {
    if (items.length % 2 !== 0) fail(items[items.length - 1] ?? at, `a map needs a value for every key; this key has none`);
    const out: [Datum, Datum][] = [];
    for (let k = 0; k < items.length; k += 2) out.push([items[k]!, items[k + 1]!]);
    return out;
  }

  private string(at: Position): Datum {
    this.advance();
    let s = '';
    for (;;) {
      if (this.i >= this.text.length) fail(at, 'the string opened here is never closed (expected \'"\')');
      const c = this.advance();
      if (c === '"') return { kind: 'string', value: s, ...at };
      if (c !== '\\') {
        s += c;
        continue;
      }
      const escAt = this.here();
      const e = this.i < this.text.length ? this.advance() : '';
      if (e === 'n') s += '\n';
      else if (e === 't') s += '\t';
      else if (e === 'r') s += '\r';
      else if (e === '"' || e === '\\') s += e;
      else if (e === 'u') {
        const hex = this.text.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(escAt, '\\u needs four hexadecimal digits');
        for (let k = 0; k < 4; k++) this.advance();
        s += String.fromCharCode(parseInt(hex, 16));
      } else fail(escAt, `unknown escape '\\${e}' in a string`);
    }
  }

  private dispatch(at: Position, depth: number): Datum | undefined {
    this.advance();
    const c = this.text[this.i];
    if (c === '{') {
      this.advance();
      return { kind: 'set', items: this.collection('}', at, depth, 'set'), ...at };
    }
    if (c === '_') {
      this.advance();
      this.skipSpace();
      if (this.i >= this.text.length) fail(at, '#_ discards the next form, but there is none');
      this.read(depth + 1);
      return undefined;
    }
    const token = this.token();
    if (!/^[A-Za-z][\w.*+!?$%&=<>/-]*$/.test(token)) fail(at, `'#${token}' is not EDN: '#' starts a set #{…}, a discard #_ or a tag such as #inst`);
    this.skipSpace();
    if (this.i >= this.text.length) fail(at, `the tag #${token} needs a value after it`);
    const value = this.read(depth + 1);
    if (!value) fail(at, `the tag #${token} needs a value after it`);
    return { kind: 'tagged', tag: token, value, ...at };
  }

  /** The characters up to the next delimiter or space. */
  private token(): string {
    const start = this.i;
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (DELIMITERS.has(c) || c === ',' || /\s/.test(c)) break;
      this.advance();
    }
    return this.text.slice(start, this.i);
  }

  private atom(at: Position): Datum {
    const t = this.token();
    if (t === '') fail(at, `unexpected '${this.text[this.i]}'`);
    if (t === 'nil') return { kind: 'nil', ...at };
    if (t === 'true' || t === 'false') return { kind: 'bool', value: t === 'true', ...at };
    if (/^[+-]?\d+N?$/.test(t)) {
      const digits = t.replace(/N$/, '').replace(/^\+/, '');
      if (/^-?0\d/.test(digits)) fail(at, `'${t}': integers have no leading zeros in EDN`);
      return { kind: 'int', text: digits === '-0' ? '0' : digits, ...at };
    }
    if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?M?$/.test(t)) return { kind: 'float', value: Number(t.replace(/M$/, '')), ...at };
    if (/^[+-]?\d/.test(t)) fail(at, `'${t}' is not a number`);
    if (t.startsWith(':')) {
      const name = t.slice(1);
      if (!/^[^:/\d][^:]*$/.test(name) || name.endsWith('/')) fail(at, `'${t}' is not a keyword`);
      return { kind: 'keyword', name, ...at };
    }
    if (/^[A-Za-z.*+!?$%&=<>_/-][\w.*+!?$%&=<>/:'#-]*$/.test(t)) return { kind: 'symbol', name: t, ...at };
    fail(at, `'${t}' is not EDN`);
  }
}
