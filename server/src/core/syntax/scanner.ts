import type { ILexingError, ILexingResult, IToken, TokenType } from 'chevrotain';
import * as T from './lexer';

/**
 * The DSync lexer, written by hand. The token patterns in lexer.ts are the
 * definition of every token; this scanner produces exactly what Chevrotain's
 * lexer built from them (`new Lexer(allTokens, { positionTracking: 'full' })`)
 * produces: the same tokens in the same order, the same images, positions,
 * comment group and errors (test/unit/scanner.test.ts compares the two on
 * generated text). It exists for speed: Chevrotain's lexer tries regexes in
 * order at every offset and lexed the 1 MB bench file at about 4 MB/s.
 *
 * Contract, as in Chevrotain: at each offset the first pattern in
 * `allTokens` order that matches wins, except that a keyword is read as a
 * name when the name is longer (`longer_alt`); whitespace is skipped; `//`
 * and closed block comments go to `groups.comments`; a character no token
 * starts with is an error that runs to the next offset where some token
 * could start. Lines count `\n`, `\r\n` and a lone `\r`; columns count
 * UTF-16 units; every position is 1-based, every end inclusive.
 */

/** The keywords by their first character code (all are ASCII): a name is looked up without cutting it out of the text. */
const KEYWORDS_BY_FIRST: readonly (readonly string[] | undefined)[] = (() => {
  const table: string[][] = [];
  for (const k of T.KEYWORD_NAMES) (table[k.charCodeAt(0)] ??= []).push(k);
  return table;
})();

/** Punctuation that is one character whatever follows, by character code. */
const SINGLE_CHAR_TYPES: readonly (TokenType | undefined)[] = (() => {
  const table: TokenType[] = [];
  const singles = [
    ['+', T.Plus], ['%', T.Modulo], ['|', T.Pipe], ['?', T.Question], [',', T.Comma], [';', T.Semicolon], [':', T.Colon],
    ['*', T.Star], ['{', T.LCurly], ['}', T.RCurly], ['(', T.LParen], [')', T.RParen], ['[', T.LBracket], [']', T.RBracket],
  ] as const;
  for (const [c, t] of singles) table[c.charCodeAt(0)] = t;
  return table;
})();

/** The keyword that is exactly `text[start, end)`, if any. */
function keywordAt(text: string, start: number, end: number): string | undefined {
  const candidates = KEYWORDS_BY_FIRST[text.charCodeAt(start)];
  if (candidates === undefined) return undefined;
  for (const k of candidates) if (k.length === end - start && text.startsWith(k, start)) return k;
  return undefined;
}

/** Duration units in the order the Duration pattern tries them (`ms` before `min`). */
const DURATION_UNITS = ['ns', 'us', 'µs', 'ms', 'min', 's'] as const;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLineBreak = (c: number): boolean => c === 10 || c === 13;
/** What `.` does not match in a regex without the `s` flag. */
const isRegexLineTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const isWhiteSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff;
/** The lexer's NOT_NAME_CHAR: what may not follow a unit (`10msx` is a number and a name). */
const isNameCharAfterUnit = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95 || (c >= 0xaa && c <= 0xffff);

/** `[+-]?\d+(?:\.\d+)?` at `i`: its end, or -1. Greedy is exact here: no unit starts with a digit or '.'. */
function numberEnd(text: string, i: number): number {
  const sign = text.charCodeAt(i);
  if (sign === 43 || sign === 45) i++;
  if (!isDigit(text.charCodeAt(i))) return -1;
  do i++;
  while (isDigit(text.charCodeAt(i)));
  if (text.charCodeAt(i) === 46 && isDigit(text.charCodeAt(i + 1))) {
    i += 2;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

/** Whether `word` is at `i` and no name character follows it. */
function unitAt(text: string, i: number, word: string): boolean {
  return text.startsWith(word, i) && !isNameCharAfterUnit(text.charCodeAt(i + word.length));
}

/**
 * A quoted string `q…q` at `start` (`"(?:[^"\\\r\n]|\\.)*"`): the end of the
 * closed string, or -(end) - 1 where it stops without a closing quote.
 */
function quotedEnd(text: string, start: number, quote: number): number {
  let i = start + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === quote) return i + 1;
    if (c === 92) {
      if (i + 1 >= text.length || isRegexLineTerminator(text.charCodeAt(i + 1))) return -i - 1;
      i += 2;
    } else if (isLineBreak(c) || i >= text.length) return -i - 1;
    else i++;
  }
}

/** Whether some token matches at `i`: where the text after an unexpected character lexes again. */
function tokenStartsAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isWhiteSpace(c) || isDigit(c) || SINGLE_CHAR_TYPES[c] !== undefined) return true;
  switch (c) {
    case 47: case 34: case 60: case 45: case 62: case 61: case 46: // / " < - > = .
      return true;
    case 39: // '
      return quotedEnd(text, i, 39) > 0;
    case 33: // !
      return text.charCodeAt(i + 1) === 61;
    default:
      return T.nameEnd(text, i) > i;
  }
}

class Scan {
  readonly tokens: IToken[] = [];
  readonly comments: IToken[] = [];
  readonly errors: ILexingError[] = [];
  private line = 1;
  private column = 1;

  constructor(private readonly text: string) {}

  run(): ILexingResult {
    const text = this.text;
    const length = text.length;
    let i = 0;
    while (i < length) {
      const c = text.charCodeAt(i);
      if (isWhiteSpace(c)) {
        let end = i + 1;
        while (end < length && isWhiteSpace(text.charCodeAt(end))) end++;
        this.advanceOver(i, end);
        i = end;
        continue;
      }
      const end = this.token(c, i);
      if (end < 0) i = this.unexpected(i);
      else i = end;
    }
    return { tokens: this.tokens, groups: { comments: this.comments }, errors: this.errors };
  }

  /** Reads the token at `i` (first character `c`) and returns its end, or -1 when none starts there. */
  private token(c: number, i: number): number {
    const text = this.text;
    if (c === 47) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        let end = i + 2;
        while (end < text.length && !isLineBreak(text.charCodeAt(end))) end++;
        return this.emit(T.LineComment, i, end, this.comments);
      }
      if (next === 42) {
        const close = text.indexOf('*/', i + 2);
        if (close >= 0) return this.emitSpanning(T.BlockComment, i, close + 2, this.comments);
        return this.emitSpanning(T.UnterminatedComment, i, text.length, this.tokens);
      }
      return this.emit(T.Slash, i, i + 1);
    }
    if (c === 34) {
      const end = quotedEnd(text, i, 34);
      return end > 0 ? this.emit(T.StringLiteral, i, end) : this.emit(T.UnterminatedString, i, -end - 1);
    }
    if (c === 39) {
      const end = quotedEnd(text, i, 39);
      return end > 0 ? this.emit(T.SingleQuotedString, i, end) : -1;
    }
    if (isDigit(c) || c === 43 || c === 45) {
      if (c === 45 && text.charCodeAt(i + 1) === 62) return this.emit(T.Arrow, i, i + 2);
      const end = numberEnd(text, i);
      if (end > 0) return this.emit(this.numberType(end), i, this.numberTypeEnd);
      return this.emit(c === 43 ? T.Plus : T.Minus, i, i + 1);
    }
    const single = SINGLE_CHAR_TYPES[c];
    if (single !== undefined) return this.emit(single, i, i + 1);
    const next = text.charCodeAt(i + 1);
    switch (c) {
      case 60: // <
        if (next === 45 && text.charCodeAt(i + 2) === 62) return this.emit(T.BiArrow, i, i + 3);
        return next === 61 ? this.emit(T.LessEqual, i, i + 2) : this.emit(T.Less, i, i + 1);
      case 62: // >
        return next === 61 ? this.emit(T.GreaterEqual, i, i + 2) : this.emit(T.Greater, i, i + 1);
      case 61: // =
        if (next === 62) return this.emit(T.GreaterEqual, i, i + 2);
        return next === 61 ? this.emit(T.EqualEqual, i, i + 2) : this.emit(T.Equals, i, i + 1);
      case 33: // !
        return next === 61 ? this.emit(T.NotEqual, i, i + 2) : -1;
      case 46: // .
        return next === 46 ? this.emit(T.DotDot, i, i + 2) : this.emit(T.Dot, i, i + 1);
      default: {
        const end = T.nameEnd(text, i);
        if (end < 0) return -1;
        // A keyword's image is the keyword's own string: the same value, one string fewer per token.
        const keyword = keywordAt(text, i, end);
        return keyword === undefined ? this.emit(T.Identifier, i, end) : this.emitImage(T.keywordTokens[keyword as T.Keyword], i, keyword);
      }
    }
  }

  /** Where the last `numberType` token ends. */
  private numberTypeEnd = 0;

  /** The type of the number literal ending at `end`, with its unit if any (Duration, Ppm, Percent, NumberLiteral in that order). */
  private numberType(end: number): TokenType {
    const text = this.text;
    for (const unit of DURATION_UNITS) {
      if (unitAt(text, end, unit)) {
        this.numberTypeEnd = end + unit.length;
        return T.Duration;
      }
    }
    if (unitAt(text, end, 'ppm')) {
      this.numberTypeEnd = end + 3;
      return T.Ppm;
    }
    if (text.charCodeAt(end) === 37) {
      this.numberTypeEnd = end + 1;
      return T.Percent;
    }
    this.numberTypeEnd = end;
    return T.NumberLiteral;
  }

  private emit(type: TokenType, start: number, end: number, into: IToken[] = this.tokens): number {
    return this.emitImage(type, start, this.text.substring(start, end), into);
  }

  /**
   * A token on one line, every token with the same fields in the same order
   * (one hidden class). Not in Chevrotain's order: its EOF and recovery tokens
   * carry NaN positions, and sharing their hidden class would make V8 box each
   * position of every token (and of every range copied from one) as a heap
   * number: 30 MB more on a 20,000-line file.
   */
  private emitImage(type: TokenType, start: number, image: string, into: IToken[] = this.tokens): number {
    const length = image.length;
    into.push({
      tokenType: type,
      tokenTypeIdx: type.tokenTypeIdx!,
      image,
      startOffset: start,
      endOffset: start + length - 1,
      startLine: this.line,
      endLine: this.line,
      startColumn: this.column,
      endColumn: this.column + length - 1,
    });
    this.column += length;
    return start + length;
  }

  /**
   * A token that may span lines (block comments). Its end is where the text
   * ends, except, as Chevrotain has it, a token whose one line break is its
   * last character keeps the end of its first line.
   */
  private emitSpanning(type: TokenType, start: number, end: number, into: IToken[]): number {
    const line = this.line;
    const column = this.column;
    this.emit(type, start, end, into);
    this.column = column;
    const breaks = this.advanceOver(start, end);
    if (breaks === 0) return end;
    const t = into[into.length - 1]! as { endLine?: number; endColumn?: number };
    const endsInBreak = isLineBreak(this.text.charCodeAt(end - 1));
    if (breaks === 1 && endsInBreak) {
      t.endLine = line;
      t.endColumn = column + (end - start) - 1;
    } else {
      t.endLine = endsInBreak ? this.line - 1 : this.line;
      t.endColumn = endsInBreak ? this.column : this.column - 1;
    }
    return end;
  }

  /** Moves the line and column over `text[start, end)`; returns how many line breaks it holds. */
  private advanceOver(start: number, end: number): number {
    const text = this.text;
    let breaks = 0;
    let lineStart = -1;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 13 && i + 1 < end && text.charCodeAt(i + 1) === 10) i++;
        breaks++;
        lineStart = i + 1;
      }
    }
    if (breaks === 0) this.column += end - start;
    else {
      this.line += breaks;
      this.column = end - lineStart + 1;
    }
    return breaks;
  }

  /** An unexpected character at `start`: one error up to where a token can start again; returns that offset. */
  private unexpected(start: number): number {
    const text = this.text;
    let end = start + 1;
    while (end < text.length && !tokenStartsAt(text, end)) end++;
    const length = end - start;
    this.errors.push({
      offset: start,
      line: this.line,
      column: this.column,
      length,
      message: `unexpected character: ->${text.charAt(start)}<- at offset: ${start}, skipped ${length} characters.`,
    });
    this.column += length;
    return end;
  }
}

/** Lexes a whole text; never throws. Same result shape as Chevrotain's `Lexer.tokenize`. */
export function tokenize(text: string): ILexingResult {
  return new Scan(text).run();
}

/** The one lexer of the language (parse, note texts, completion). */
export const dsyncLexer = { tokenize };
