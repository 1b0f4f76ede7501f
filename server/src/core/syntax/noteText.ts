import type { IToken } from 'chevrotain';
import { diagnostic, type Diagnostic } from '../diagnostics';
import type { Expr } from '../expr/ast';
import type { SourceRange } from '../source';
import type { NotePart } from './ast';
import { dsyncLexer } from './scanner';
import { dsyncParser } from './parser';

/** Thrown by noteParts once a broken `{…}` is reported: the note is left out of the AST. */
export class BrokenNote extends Error {}

/**
 * The parts of a `note "leader of term {term}"`: literal text, and each
 * `{expr}` parsed as an expression of its own whose source ranges point into
 * the string where it is written. `{{` and `}}` are literal braces (so an
 * expression starting with `{` is written after a space: `{ {a, b} }`); escapes
 * (`\"`, `\\`, `\n`, `\t`) work as in every string. A `{…}` that is not one
 * expression is reported (DS107) where it is written and the note is left
 * out of the AST.
 *
 * Strings lie on one line (the lexer ends them at a line break), so a
 * position in the string is the string's line and a column.
 */
export function noteParts(t: IToken, report: (d: Diagnostic) => void): NotePart[] {
  const raw = t.image.slice(1, -1);
  const at = (from: number, to: number): SourceRange => ({
    startOffset: t.startOffset + 1 + from,
    endOffset: t.startOffset + 1 + to,
    startLine: t.startLine ?? 1,
    startColumn: (t.startColumn ?? 1) + 1 + from,
    endLine: t.startLine ?? 1,
    endColumn: (t.startColumn ?? 1) + 1 + to,
  });
  const fail = (message: string, range: SourceRange): never => {
    report(diagnostic('DS107', message, range));
    throw new BrokenNote();
  };
  const parts: NotePart[] = [];
  let text = '';
  for (let i = 0; i < raw.length; ) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      const e = raw[i + 1]!;
      text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
      i += 2;
    } else if ((c === '{' || c === '}') && raw[i + 1] === c) {
      text += c;
      i += 2;
    } else if (c === '}') {
      fail(`a '}' alone in a note: write '}}' for a brace, or '{expr}' to show a value`, at(i, i + 1));
    } else if (c === '{') {
      const close = closingBrace(raw, i);
      if (close < 0) fail(`this '{' in the note is never closed: write '{expr}' to show a value, or '{{' for a brace`, at(i, i + 1));
      if (text) parts.push({ text });
      text = '';
      parts.push({ expr: interpolation(raw, i + 1, close, at, fail) });
      i = close + 1;
    } else {
      text += c;
      i++;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

/** The index of the `}` closing the `{` at `open`, or -1; braces of sets and records nest, `\"…\"` strings are skipped. */
function closingBrace(raw: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let j = open; j < raw.length; j++) {
    const c = raw[j]!;
    if (c === '\\') {
      if (raw[j + 1] === '"') inString = !inString;
      j++;
    } else if (inString) continue;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j;
  }
  return -1;
}

/** Parses `raw[from, to)` as one expression, with every token at its place in the file. */
function interpolation(
  raw: string,
  from: number,
  to: number,
  at: (from: number, to: number) => SourceRange,
  fail: (message: string, range: SourceRange) => never,
): Expr {
  // `\"` becomes ` "`: the same length, so every offset stays where it is written.
  const source = raw.slice(from, to).replace(/\\"/g, ' "');
  if (source.trim() === '') fail(`'{}' in a note shows nothing: write an expression such as '{term}', or '{{}}' for braces`, at(from - 1, to + 1));
  const lexed = dsyncLexer.tokenize(source);
  const bad = lexed.errors[0];
  if (bad) fail(`unexpected character ${JSON.stringify(source.slice(bad.offset, bad.offset + 1))} in the note's '{…}'`, at(from + bad.offset, from + bad.offset + 1));
  const base = at(from, from);
  const tokens = lexed.tokens.map((k): IToken => {
    if (k.tokenType.name !== 'StringLiteral' && /^Unterminated|^SingleQuoted/.test(k.tokenType.name)) {
      fail(`a string in a note's '{…}' is written \\"text\\"`, at(from + k.startOffset, from + (k.endOffset ?? k.startOffset) + 1));
    }
    return {
      ...k,
      startOffset: base.startOffset + k.startOffset,
      endOffset: base.startOffset + (k.endOffset ?? k.startOffset),
      startLine: base.startLine,
      endLine: base.startLine,
      startColumn: base.startColumn + (k.startColumn ?? 1) - 1,
      endColumn: base.startColumn + (k.endColumn ?? k.startColumn ?? 1) - 1,
    };
  });
  dsyncParser.input = tokens;
  const expr = dsyncParser.noteExpression();
  const error = dsyncParser.errors[0];
  if (error) {
    const found = error.token;
    const atEnd = found.tokenType.name === 'EOF' || !Number.isFinite(found.startOffset);
    const range = atEnd ? at(to, to + 1) : { ...base, startOffset: found.startOffset, endOffset: found.endOffset! + 1, startColumn: found.startColumn!, endColumn: found.endColumn! + 1 };
    fail(atEnd ? `the expression in the note's '{…}' ends too early` : `unexpected '${found.image}' in the note's '{…}': it holds one expression`, range);
  }
  if (expr === null) throw new BrokenNote();
  return expr;
}
