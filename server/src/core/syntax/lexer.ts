import { createToken, Lexer, type TokenType } from 'chevrotain';

/**
 * The DSync tokens (the lexer itself is scanner.ts). Every keyword belongs to the `Name` category as well, so
 * positions that take any name (option keys, properties after `.`) accept
 * keywords too; positions that declare nodes accept only `Identifier`.
 */
const NAME_START = /[\p{L}_]/uy;
const NAME_REST = /[\p{L}\p{N}_]*/uy;
/** The one result array of `matchName`: Chevrotain reads `[0]` at once, so lexing allocates no match objects. */
const matchedName: [string] = [''];

const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isAsciiNameChar = (c: number): boolean => isAsciiLetter(c) || (c >= 48 && c <= 57);

/**
 * Where the name starting at `offset` ends, or -1 when no name starts there:
 * letters of any script, digits and `_`, not starting with a digit. ASCII by
 * a char-code loop (the common case), the rest by Unicode regexes: Chevrotain's
 * own regex analysis drops the `u` flag. The one definition of a name, for
 * the token pattern below and the scanner (scanner.ts).
 */
export function nameEnd(text: string, offset: number): number {
  const first = text.charCodeAt(offset);
  let end: number;
  if (isAsciiLetter(first)) end = offset + 1;
  else if (first >= 0x80) {
    NAME_START.lastIndex = offset;
    if (!NAME_START.test(text)) return -1;
    end = NAME_START.lastIndex;
  } else return -1;
  for (;;) {
    const c = text.charCodeAt(end);
    if (isAsciiNameChar(c)) {
      end++;
    } else if (c >= 0x80) {
      NAME_REST.lastIndex = end;
      NAME_REST.test(text);
      if (NAME_REST.lastIndex <= end) break;
      end = NAME_REST.lastIndex;
    } else break;
  }
  return end;
}

function matchName(text: string, offset: number): [string] | null {
  const end = nameEnd(text, offset);
  if (end < 0) return null;
  matchedName[0] = text.substring(offset, end);
  return matchedName;
}

export const Name = createToken({ name: 'Name', pattern: Lexer.NA });

export const Identifier = createToken({
  name: 'Identifier',
  // A custom matcher: names may be any Unicode letters (`nodes Zürich, 北京`).
  pattern: matchName,
  // Every character a name may start with (the matcher decides among non-ASCII
  // ones). Without a hint Chevrotain drops its first-character dispatch for
  // the whole lexer and tries every token at every offset: 10x slower.
  start_chars_hint: [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_', ...Array.from({ length: 0x10000 - 0x80 }, (_, i) => 0x80 + i)],
  line_breaks: false,
  categories: [Name],
});

/** Keywords, in the order the TextMate grammar test compares against. */
export const KEYWORD_NAMES = [
  'scenario', 'seed', 'run', 'for', 'nodes', 'network', 'link', 'clock',
  'at', 'every', 'from', 'until', 'on', 'receive', 'send', 'local', 'reply',
  'broadcast', 'after', 'any', 'faults', 'partition', 'heal', 'crash',
  'restart', 'jump', 'drift', 'drop', 'delay', 'by', 'invariant', 'expect',
  'end', 'sync', 'true', 'false', 'within', 'client',
  // properties (expr/): temporal forms, quantifiers, logic
  'always', 'never', 'eventually', 'whenever', 'then', 'forall', 'exists',
  'in', 'and', 'or', 'not', 'implies', 'if', 'else', 'none', 'where',
  // written protocols (issue 15); their other words are contextual (protocolParser.ts)
  'protocol',
] as const;
export type Keyword = (typeof KEYWORD_NAMES)[number];

export const keywordTokens: Record<Keyword, TokenType> = Object.fromEntries(
  KEYWORD_NAMES.map((word) => [
    word,
    createToken({
      name: `Kw_${word}`,
      pattern: new RegExp(word),
      longer_alt: Identifier,
      categories: [Name],
    }),
  ]),
) as Record<Keyword, TokenType>;

const NUMBER = String.raw`[+-]?\d+(?:\.\d+)?`;
// Chevrotain compiles token patterns without the `u` flag, so `\p{…}` classes
// cannot be used here; every non-ASCII character counts as a name character.
const NOT_NAME_CHAR = String.raw`(?![A-Za-z0-9_\u00AA-\uFFFF])`;

export const Duration = createToken({
  name: 'Duration',
  pattern: new RegExp(`${NUMBER}(?:ns|us|µs|ms|min|s)${NOT_NAME_CHAR}`),
  start_chars_hint: [...'+-0123456789'],
});
export const Ppm = createToken({ name: 'Ppm', pattern: new RegExp(`${NUMBER}ppm${NOT_NAME_CHAR}`), start_chars_hint: [...'+-0123456789'] });
export const Percent = createToken({ name: 'Percent', pattern: new RegExp(`${NUMBER}%`), start_chars_hint: [...'+-0123456789'] });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: new RegExp(NUMBER) });

export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\r\n]|\\.)*"/ });
/** Matched only when the string has no closing quote on its line; the checker reports DS103. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\.)*/ });

/** `'hello'`: not DSync; matched so the parser can report it once with its fix (DS101) and read it as "hello". */
export const SingleQuotedString = createToken({ name: 'SingleQuotedString', pattern: /'(?:[^'\\\r\n]|\\.)*'/ });

export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[\s\S]*/, line_breaks: true });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\u00a0\ufeff]+/, group: Lexer.SKIPPED, line_breaks: true });

export const BiArrow = createToken({ name: 'BiArrow', pattern: /<->/ });
export const Arrow = createToken({ name: 'Arrow', pattern: /->/ });
export const DotDot = createToken({ name: 'DotDot', pattern: /\.\./ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const LessEqual = createToken({ name: 'LessEqual', pattern: /<=/ });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: /=>|>=/ });
export const EqualEqual = createToken({ name: 'EqualEqual', pattern: /==/ });
export const NotEqual = createToken({ name: 'NotEqual', pattern: /!=/ });
export const Less = createToken({ name: 'Less', pattern: /</ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
// Arithmetic. A sign written against a number (`-3`, `+5ms`) lexes as part of
// the literal; the expression grammar reads such a literal after an operand as
// a subtraction or addition (`a -1` is `a - 1`).
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const Modulo = createToken({ name: 'Modulo', pattern: /%/ });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/ });
/** `node?`: an optional type in a protocol declaration. */
export const Question = createToken({ name: 'Question', pattern: /\?/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });

/**
 * Every token pattern, in order: at each offset the first that matches wins.
 * This list is the definition of the tokens (the parser takes its token
 * types from it); the lexer that runs is scanner.ts, which must produce
 * what a Chevrotain lexer built from this list produces.
 */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedComment,
  StringLiteral,
  UnterminatedString,
  SingleQuotedString,
  BiArrow,
  Arrow,
  Duration,
  Ppm,
  Percent,
  NumberLiteral,
  DotDot,
  Dot,
  LessEqual,
  GreaterEqual,
  EqualEqual,
  NotEqual,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Slash,
  Modulo,
  Pipe,
  Question,
  Comma,
  Semicolon,
  Colon,
  Star,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  // Longest first: a keyword that is a prefix of another (`for`/`forall`, `in`/`invariant`) must not shadow it.
  ...[...KEYWORD_NAMES].sort((a, b) => b.length - a.length).map((k) => keywordTokens[k]),
  Identifier,
  Name,
];
