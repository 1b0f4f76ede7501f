import type { IToken } from 'chevrotain';
import type { SourceRange } from '../source';
import type * as A from '../syntax/ast';
import { parse, SYNTAX_ERROR_CODES } from '../syntax/parse';
import { protocolLayout, visitProtocolItems, type Span } from './protocolLayout';

/**
 * The DSync formatter, shared by `dsync fmt` and the language server.
 *
 * Contract: it keeps the user's line structure (statements stay on the lines
 * they are on, at most one blank line in a row) and comments, and normalises
 * everything else: indentation by brace depth (2 spaces), one space between
 * tokens except around `. .. ( ) ,` and before `;`, no trailing spaces, one
 * final newline. Two items of one block (statements, header settings,
 * options, rule actions, faults, client items) written on one line are
 * separated by `; ` (the grammar's optional separator), so
 * `{ send B -> C "y"  send B -> A "z" }` never becomes one run-on line
 * (except `every T` after a workload option: `transactions 4 every 400ms`
 * reads as one phrase).
 * It is idempotent, changes no token but adding those `;`, and refuses
 * (returns undefined) files with syntax errors, since their structure is
 * not known.
 */
export function format(text: string): string | undefined {
  const parsed = parse(text);
  if (parsed.diagnostics.some((d) => SYNTAX_ERROR_CODES.has(d.code))) return undefined;
  const tokens = [...parsed.tokens, ...parsed.comments].sort((a, b) => a.startOffset - b.startOffset);
  // A property written over several lines (`invariant x:` then `always …`) indents its continuation lines once.
  const continued = (parsed.ast.statements.filter((st) => (st.kind === 'invariant' || st.kind === 'expect') && st.range.endLine > st.range.startLine)).map((st) => st.range);
  // In an expression, `a -1` is a subtraction: written `a - 1` (a protocol's body is code throughout).
  const expressions = parsed.ast.statements.flatMap((st) => (st.kind === 'expect' ? [st.condition.range] : st.kind === 'invariant' && st.formula ? [st.formula.range] : st.kind === 'protocol' ? [st.bodyRange] : []));
  const inExpression = (t: IToken): boolean => expressions.some((r) => t.startOffset >= r.startOffset && t.startOffset < r.endOffset);
  const protocolCode = protocolLayout(parsed.ast.statements);
  const continues = (t: IToken): boolean => continued.some((r) => t.startOffset > r.startOffset && t.startOffset < r.endOffset && (t.startLine ?? 0) > r.startLine);
  const separate = itemsNeedingSeparator(text, parsed.ast.statements, parsed.tokens);
  const lines: string[] = [];
  let current = '';
  let depth = 0;
  let lineDepth = 0;
  let previous: IToken | undefined;
  let beforePrevious: IToken | undefined;
  let blankPending = false;
  // Braces of partition groups (`partition {A, B} | {C}`) hug their names.
  const groupBraces: boolean[] = [];
  const flush = (): void => {
    if (current.length > 0 || lines.length > 0) {
      if (blankPending && lines.length > 0) lines.push('');
      lines.push(`${'  '.repeat(Math.max(0, lineDepth))}${current}`);
    }
    current = '';
    blankPending = false;
  };
  for (const token of tokens) {
    const kind = token.tokenType.name;
    if (previous) {
      const gap = text.slice(previous.endOffset! + 1, token.startOffset);
      const newlines = countNewlines(gap);
      if (newlines > 0) {
        flush();
        blankPending = newlines > 1;
      } else if (separate.has(token.startOffset)) {
        current += separate.get(token.startOffset);
      } else if (protocolCode.tight(previous, token)) {
        // no space: `set<node>`, `node?`, `{}` in protocol code
      } else if (previous.tokenType.name === 'Minus' && !ENDS_OPERAND.has(beforePrevious?.tokenType.name ?? '') && inExpression(previous)) {
        // no space: a unary minus, `x = -x`, `-(a + b)` (after an operand it is a subtraction, spaced)
      } else if (needsSpace(previous, token) && !(previous.tokenType.name === 'LCurly' && groupBraces[groupBraces.length - 1]) && !(kind === 'RCurly' && groupBraces[groupBraces.length - 1])) {
        current += ' ';
      }
    }
    protocolCode.enter(token, depth);
    if (current.length === 0) {
      // A line's indentation is the depth at its start, one less when it opens with `}`.
      lineDepth = (kind === 'RCurly' ? depth - 1 : depth) + Math.max(continues(token) ? 1 : 0, protocolCode.continuation(token, depth));
    }
    const signedAfterOperand = (kind === 'NumberLiteral' || kind === 'Duration') && /^[+-]/.test(token.image) && previous !== undefined && ENDS_OPERAND.has(previous.tokenType.name) && inExpression(token);
    current += kind === 'BlockComment' ? reindentBlockComment(token.image) : signedAfterOperand ? `${token.image[0]} ${token.image.slice(1)}` : token.image;
    if (kind === 'LCurly') {
      groupBraces.push(previous?.tokenType.name === 'Kw_partition' || previous?.tokenType.name === 'Pipe');
      depth++;
    }
    if (kind === 'RCurly') {
      groupBraces.pop();
      depth = Math.max(0, depth - 1);
    }
    beforePrevious = previous;
    previous = token;
  }
  flush();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Tokens that end an operand: a signed number after one is a binary `+`/`-`. */
const ENDS_OPERAND: ReadonlySet<string> = new Set(['Identifier', 'NumberLiteral', 'Duration', 'StringLiteral', 'RParen', 'RBracket', 'RCurly', 'Kw_true', 'Kw_false', 'Kw_none', 'Kw_nodes']);
/**
 * The start offsets of block items that follow another item of the same
 * block on the same line with no `;` between them: where the formatter
 * writes `; `. Items are statements, and inside braces the header's
 * settings (`run for` among them), options, rule actions, faults and client
 * items.
 */
function itemsNeedingSeparator(text: string, statements: readonly A.Statement[], tokens: readonly IToken[]): Map<number, string> {
  const semicolons = tokens.filter((t) => t.tokenType.name === 'Semicolon').map((t) => t.startOffset);
  // Message fields may be separated by `,` as well.
  const fieldSeparators = tokens.filter((t) => t.tokenType.name === 'Semicolon' || t.tokenType.name === 'Comma').map((t) => t.startOffset);
  const out = new Map<number, string>();
  const visit = (items: Span[], separator = '; '): void => {
    items.sort((a, b) => a.start - b.start);
    for (let i = 1; i < items.length; i++) {
      const previous = items[i - 1]!;
      const next = items[i]!;
      if (next.joins || next.start < previous.end || text.slice(previous.end, next.start).includes('\n')) continue;
      if (!hasOffsetIn(separator === '; ' ? semicolons : fieldSeparators, previous.end, next.start)) out.set(next.start, separator);
    }
  };
  const spans = (items: readonly { range: SourceRange; key?: A.Name }[]): Span[] =>
    items.map((x) => ({ start: x.range.startOffset, end: x.range.endOffset, joins: x.key?.text === 'every' }));
  visit(spans(statements));
  for (const s of statements) {
    switch (s.kind) {
      case 'scenario': {
        // `run for T` is an item whose range is only T's: it starts at the last `run` before T.
        const duration = s.duration;
        const run = duration ? [...tokens].reverse().find((t) => t.tokenType.name === 'Kw_run' && t.startOffset < duration.range.startOffset && t.startOffset > s.range.startOffset) : undefined;
        visit([...spans(s.options), ...(duration && run ? [{ start: run.startOffset, end: duration.range.endOffset }] : [])]);
        break;
      }
      case 'nodes':
        if (s.protocol) visit(spans(s.protocol.options));
        break;
      case 'sync':
        visit(spans(s.protocol.options));
        break;
      case 'network':
      case 'link':
      case 'clock':
        visit(spans(s.options));
        break;
      case 'on':
        visit(spans(s.actions));
        break;
      case 'faults':
        visit([...spans(s.faults), ...spans(s.random ?? [])]);
        break;
      case 'client':
        visit([...spans(s.items), ...spans(s.settings)]);
        break;
      case 'protocol':
        visitProtocolItems(s, visit);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Whether a sorted list holds an offset in [from, to). */
function hasOffsetIn(sorted: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! < to;
}

/** Keywords that are operators in expressions, never called: `(` after one opens a group. */
const OPERATOR_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'implies', 'in', 'if', 'then', 'else', 'where', 'after'].map((k) => `Kw_${k}`));

const TIGHT_AFTER = new Set(['Dot', 'DotDot', 'LParen', 'LBracket']);
const TIGHT_BEFORE = new Set(['Dot', 'DotDot', 'RParen', 'RBracket', 'Comma', 'Semicolon', 'Colon']);

function needsSpace(previous: IToken, next: IToken): boolean {
  const a = previous.tokenType.name;
  const b = next.tokenType.name;
  if (TIGHT_AFTER.has(a) || TIGHT_BEFORE.has(b)) return false;
  // `normal(10ms)`, `B.received("x")`, `max_skew(A, B)`: a call binds to its name; an operator word keeps its space (`a or (b)`).
  if (b === 'LParen' && (a === 'Identifier' || (a.startsWith('Kw_') && !OPERATOR_WORDS.has(a)))) return false;
  // `a.log[3]`, `f(x)[0]`: an index binds to what it indexes (a list literal after an operator keeps its space).
  if (b === 'LBracket' && (a === 'Identifier' || a === 'RParen' || a === 'RBracket')) return false;
  return true;
}

/** Line ends in `s`: \r\n, \r and \n each end one line, as for the lexer (a CR-only file keeps its lines and its `//` comments end where they did). */
function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10 || (c === 13 && s.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}

function reindentBlockComment(image: string): string {
  return image.replace(/[ \t]+$/gm, '');
}
