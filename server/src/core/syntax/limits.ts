import type { IToken } from 'chevrotain';
import { diagnostic, type Diagnostic } from '../diagnostics';
import type { SourceRange } from '../source';
import { tokenRange } from './tokenAst';

/**
 * The deepest nesting a file may write (DS104): brackets `( [ {` inside one
 * another, plus chains of `after` (`after 1ms after 1ms send …`, which the
 * grammar also parses by recursion). The parser, the CST → AST builder and
 * every walk over the AST recurse once or more per level, so an unbounded
 * depth (`f(f(f(…)))` 400 deep is 1.2 KB) would overflow the call stack.
 * Checked on the token stream before parsing, so it holds for every grammar
 * rule, present and future (expression rules too): no rule ever sees a
 * deeper input. Real scenarios nest 3 or 4 levels.
 */
export const MAX_NESTING = 64;

export interface NestingLimit {
  /** The tokens the parser may see: every region deeper than MAX_NESTING cut out. */
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
  /** Start offsets of the cut regions: the statements holding them are left out of the AST. */
  readonly cuts: number[];
}

const OPENERS: ReadonlySet<string> = new Set(['LParen', 'LBracket', 'LCurly']);
const CLOSERS: ReadonlySet<string> = new Set(['RParen', 'RBracket', 'RCurly']);
/** Tokens that end a chain of `after`s: the action it delays, or the end of the block/statement. */
const CHAIN_ENDS: ReadonlySet<string> = new Set(['Kw_send', 'Kw_reply', 'Kw_broadcast', 'Kw_local', 'RCurly', 'Semicolon']);

/** What a token does to the nesting, as bits of its type's role. */
const OPENS = 1;
const CLOSES = 2;
const ENDS_CHAIN = 4;
const AFTER = 8;

/**
 * Each token type's role, by its tokenTypeIdx (the number the parser matches
 * tokens by), worked out from the type's name the first time it is seen: the
 * walk below visits every token of the file, and one array read per token
 * costs far less than three or four string-set lookups.
 */
const roleByTypeIdx: number[] = [];

function roleOf(t: IToken): number {
  const known = roleByTypeIdx[t.tokenTypeIdx];
  if (known !== undefined) return known;
  const name = t.tokenType.name;
  const role = (OPENERS.has(name) ? OPENS : 0) | (CLOSERS.has(name) ? CLOSES : 0) | (CHAIN_ENDS.has(name) ? ENDS_CHAIN : 0) | (name === 'Kw_after' ? AFTER : 0);
  roleByTypeIdx[t.tokenTypeIdx] = role;
  return role;
}

/**
 * Cuts every region nested deeper than MAX_NESTING out of `tokens` (from the
 * opener that goes too deep up to its closer, or to the end of the file when
 * it is never closed) and reports each with DS104 at that opener. Linear in
 * the tokens, no recursion.
 */
export function limitNesting(tokens: IToken[]): NestingLimit {
  // A copy only once a region is cut: most files have none, and a copy of a large file's tokens costs.
  let kept: IToken[] | undefined;
  const diagnostics: Diagnostic[] = [];
  const cuts: number[] = [];
  let depth = 0;
  let chain = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const role = roleOf(t);
    if (role & ENDS_CHAIN) chain = 0;
    if (role & (OPENS | AFTER) && depth + chain + 1 > MAX_NESTING) {
      const end = skipRegion(tokens, i);
      const last = tokens[end - 1]!;
      const range: SourceRange = { ...tokenRange(t) };
      diagnostics.push(diagnostic('DS104', `nested more than ${MAX_NESTING} levels deep here; the limit is ${MAX_NESTING}. Flatten the expression or split the statement`, range, [
        { message: 'the too-deep part ends here', range: tokenRange(last) },
      ]));
      cuts.push(t.startOffset);
      kept ??= tokens.slice(0, i);
      i = end - 1;
      continue;
    }
    if (role & AFTER) chain++;
    else if (role & OPENS) depth++;
    else if (role & CLOSES && depth > 0) depth--;
    kept?.push(t);
  }
  return { tokens: kept ?? tokens, diagnostics, cuts };
}

/**
 * The index just past the region that starts at `start`: a bracket up to
 * its matching closer; an `after` chain up to (not including) the action it
 * delays or the end of its block.
 */
function skipRegion(tokens: readonly IToken[], start: number): number {
  const first = tokens[start]!.tokenType.name;
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const name = tokens[i]!.tokenType.name;
    if (first === 'Kw_after' && depth === 0 && i > start && CHAIN_ENDS.has(name)) return i;
    if (OPENERS.has(name)) depth++;
    else if (CLOSERS.has(name)) {
      depth--;
      if (depth === 0 && first !== 'Kw_after') return i + 1;
      if (depth < 0) return i;
    }
  }
  return tokens.length;
}

/** Whether `range` holds one of the cut offsets. */
export function holdsCut(range: SourceRange, cuts: readonly number[]): boolean {
  return cuts.some((c) => c >= range.startOffset && c < range.endOffset);
}
