import type { IToken, TokenType } from 'chevrotain';
import { diagnostic, withFix, type Diagnostic } from '../diagnostics';
import type { SourceRange } from '../source';
import { tokenRange } from './tokenAst';
import { Duration, Equals, Greater, GreaterEqual, Identifier, Less, NumberLiteral, Ppm, RCurly } from './lexer';

/**
 * Token-level repairs of the mistakes newcomers make most, done before
 * parsing so that each is reported once, where it was made, with its fix —
 * instead of as a syntax error that derails the rest of the file:
 * - a unit the lexer does not know or one written apart: `1h`, `1S`,
 *   `10sec`, `run for 2 s` (DS105);
 * - a block whose `}` is missing: `scenario x { seed 1  run for 1s` (DS106);
 * - a keyword in a node list, `nodes client, server`: read as a name, so the
 *   checker reports it (DS114) and keeps the other names, where a syntax
 *   error would lose the whole line.
 * The parser sees the repaired tokens; semantic tokens and the formatter keep
 * the tokens as written.
 */

// ---- units --------------------------------------------------------------

/** Words people write for the units DSync knows, and what each is in DSync: a unit, or minutes times a factor. */
const UNIT_SYNONYMS: Readonly<Record<string, { unit: string; factor?: number }>> = {
  sec: { unit: 's' }, secs: { unit: 's' }, second: { unit: 's' }, seconds: { unit: 's' },
  msec: { unit: 'ms' }, msecs: { unit: 'ms' }, millis: { unit: 'ms' }, millisecond: { unit: 'ms' }, milliseconds: { unit: 'ms' },
  usec: { unit: 'us' }, usecs: { unit: 'us' }, micros: { unit: 'us' }, microsecond: { unit: 'us' }, microseconds: { unit: 'us' }, 'μs': { unit: 'us' },
  nsec: { unit: 'ns' }, nsecs: { unit: 'ns' }, nanos: { unit: 'ns' }, nanosecond: { unit: 'ns' }, nanoseconds: { unit: 'ns' },
  mins: { unit: 'min' }, minute: { unit: 'min' }, minutes: { unit: 'min' },
  h: { unit: 'min', factor: 60 }, hr: { unit: 'min', factor: 60 }, hrs: { unit: 'min', factor: 60 }, hour: { unit: 'min', factor: 60 }, hours: { unit: 'min', factor: 60 },
  d: { unit: 'min', factor: 1440 }, day: { unit: 'min', factor: 1440 }, days: { unit: 'min', factor: 1440 },
};

const TIME_UNIT_NAMES = ['ns', 'us', 'µs', 'ms', 's', 'min'];
const UNITS_LIST = 'time units are ns, us, ms, s and min; drift is in ppm';

/** What `unit` most likely meant, as a DSync unit and a factor on the number; undefined when there is no good guess. */
function knownUnit(unit: string): { unit: string; factor: number } | undefined {
  if (TIME_UNIT_NAMES.includes(unit) || unit === 'ppm') return { unit, factor: 1 };
  const lower = unit.toLowerCase();
  // `1S`, `5MS`: units are lower case (but `M`/`m` could be minutes or milli: no guess).
  if (TIME_UNIT_NAMES.includes(lower) || lower === 'ppm') return { unit: lower, factor: 1 };
  const synonym = UNIT_SYNONYMS[lower];
  return synonym ? { unit: synonym.unit, factor: synonym.factor ?? 1 } : undefined;
}

function scaled(number: string, factor: number): string {
  if (factor === 1) return number;
  const sign = number.startsWith('-') ? '-' : number.startsWith('+') ? '+' : '';
  return `${sign}${Number((Math.abs(Number(number)) * factor).toPrecision(12))}`;
}

function merged(first: IToken, last: IToken, type: TokenType, image: string): IToken {
  return { ...first, image, endOffset: last.endOffset, endLine: last.endLine, endColumn: last.endColumn, tokenType: type, tokenTypeIdx: type.tokenTypeIdx! };
}

function span(first: IToken, last: IToken): SourceRange {
  const a = tokenRange(first);
  const b = tokenRange(last);
  return { ...a, endOffset: b.endOffset, endLine: b.endLine, endColumn: b.endColumn };
}

/**
 * A number followed on its line by a word that is a unit or meant as one:
 * glued (`1h`, `1S`, `10sec`: the lexer knew no such unit) or written apart
 * (`2 s`, `2 sec`). Each becomes one time token (the meant value, when there
 * is a good guess) and one DS105 with the fix. An unknown glued word stays a
 * bare number: the DS105 says which units exist.
 */
export function repairUnits(tokens: IToken[]): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  // A copy only once a token is merged or dropped: most files need no repair, and copying a large file's tokens costs.
  let out: IToken[] | undefined;
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t.tokenType !== NumberLiteral || !next || next.tokenType.name !== 'Identifier' || next.startLine !== t.endLine) {
      out?.push(t);
      continue;
    }
    const glued = next.startOffset === t.endOffset! + 1;
    const known = knownUnit(next.image);
    if (!glued && !known) {
      out?.push(t);
      continue;
    }
    out ??= tokens.slice(0, i);
    const range = span(t, next);
    const written = glued ? `${t.image}${next.image}` : `${t.image} ${next.image}`;
    if (!known) {
      // `m` could be minutes or milliseconds: say both rather than guess.
      const message = next.image.toLowerCase() === 'm'
        ? `'${next.image}' is not a unit: write ${t.image}min for minutes or ${t.image}ms for milliseconds`
        : `unknown unit '${next.image}' in ${written}: ${UNITS_LIST} (e.g. ${t.image}ms)`;
      diagnostics.push(diagnostic('DS105', message, range));
      out.push(t);
      i++;
      continue;
    }
    const fixed = `${scaled(t.image, known.factor)}${known.unit}`;
    let message: string;
    if (!glued && known.unit === next.image) message = `remove the space: write ${fixed}`;
    else if (known.factor !== 1) message = `unknown unit '${next.image}': the largest time unit is min, so write ${fixed}`;
    else if (known.unit === next.image.toLowerCase()) message = `units are lower case: write ${fixed}`;
    else message = `unknown unit '${next.image}': write ${fixed} (${UNITS_LIST})`;
    diagnostics.push(withFix(diagnostic('DS105', message, range), { title: `Write ${fixed}`, range, newText: fixed }));
    out.push(merged(t, next, known.unit === 'ppm' ? Ppm : Duration, fixed));
    i++;
  }
  return { tokens: out ?? tokens, diagnostics };
}

// ---- blocks whose `}` is missing ------------------------------------------

/** Keywords that begin a statement (the file's top level). */
export const STATEMENT_STARTS: ReadonlySet<string> = new Set(
  ['scenario', 'nodes', 'network', 'link', 'clock', 'at', 'every', 'on', 'faults', 'sync', 'invariant', 'expect', 'client', 'protocol'].map((k) => `Kw_${k}`),
);

/** Statement keywords that may also begin a line inside the block a statement opens. */
const ALLOWED_INSIDE: Readonly<Record<string, ReadonlySet<string>>> = {
  Kw_faults: new Set(['Kw_at', 'Kw_clock']),
  Kw_client: new Set(['Kw_at', 'Kw_every']),
};

/** Protocol option blocks: some protocols' option keys are statement words (`every`, `nodes`). */
const PROTOCOL_BLOCKS: ReadonlySet<string> = new Set(['Kw_sync', 'Kw_nodes']);

const WHAT: Readonly<Record<string, string>> = {
  Kw_scenario: 'scenario header', Kw_network: 'network block', Kw_link: 'link block', Kw_clock: 'clock block', Kw_sync: 'sync block',
  Kw_nodes: 'protocol options', Kw_on: 'rule', Kw_faults: 'faults block', Kw_client: 'client block', Kw_protocol: 'protocol',
};

/** Words that begin a member of a written protocol, and what the block a member opens is called. */
const MEMBER_BLOCKS: Readonly<Record<string, string>> = {
  on: 'handler', message: 'message', option: 'option', const: 'constant', stable: 'state variable', var: 'state variable', fn: 'function',
};

interface OpenBlock {
  readonly brace: IToken;
  /** The keyword of the statement that opened it, or undefined for a brace inside a block (`partition {A} | {B}`). */
  readonly statement: string | undefined;
  /** What the block is called in a DS106 message. */
  readonly what: string;
}

/**
 * Whether `tokens[i]`, first on its line, begins a member of a written
 * protocol: `on`, or a member word followed by a name (`var x: int`, which
 * no statement of a handler can be).
 */
function startsMember(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i]!;
  if (t.tokenType.name === 'Kw_on') return true;
  const next = tokens[i + 1];
  return t.tokenType === Identifier && MEMBER_BLOCKS[t.image] !== undefined && next?.tokenType === Identifier && next.startLine === t.startLine;
}

/**
 * How many of the open blocks `tokens[i]`, first on its line, leaves open:
 * `open.length` when it can be inside the innermost one, fewer when it
 * begins a statement (0) or a protocol member (1: the protocol's body).
 */
function blocksKept(tokens: readonly IToken[], i: number, open: readonly OpenBlock[]): number {
  const name = tokens[i]!.tokenType.name;
  const outermost = open[0]!;
  if (outermost.statement === 'Kw_protocol') {
    if (open.length > 1 && startsMember(tokens, i)) return 1;
    // In a protocol: handlers (`on`) and clock control (`clock.step(…)`) begin lines.
    if (name === 'Kw_on' || (name === 'Kw_clock' && tokens[i + 1]?.tokenType.name === 'Dot')) return open.length;
    return STATEMENT_STARTS.has(name) ? 0 : open.length;
  }
  return startsNextStatement(tokens, i, open[open.length - 1]!) ? 0 : open.length;
}

/** Whether `tokens[i]`, first on its line, cannot be inside `block`: it starts the next statement. */
function startsNextStatement(tokens: readonly IToken[], i: number, block: OpenBlock): boolean {
  const name = tokens[i]!.tokenType.name;
  if (!STATEMENT_STARTS.has(name)) return false;
  if (block.statement === undefined) return true;
  if (ALLOWED_INSIDE[block.statement]?.has(name)) return false;
  if (PROTOCOL_BLOCKS.has(block.statement)) {
    // `every 100ms A -> B "x"` is a statement; `every 3` may be an option.
    if (name === 'Kw_every') return tokens[i + 2]?.tokenType.name === 'Identifier' && ['Arrow', 'Kw_local'].includes(tokens[i + 3]?.tokenType.name ?? '');
    // `nodes n1..n3 run raft` is a statement; `nodes A, B` may be an option.
    if (name === 'Kw_nodes') {
      for (let j = i + 1; j < tokens.length && tokens[j]!.startLine === tokens[i]!.startLine; j++) if (tokens[j]!.tokenType.name === 'Kw_run') return true;
      return false;
    }
  }
  return true;
}

function closingBrace(after: IToken): IToken {
  const end = after.endOffset ?? after.startOffset;
  return {
    ...after,
    image: '}',
    startOffset: end,
    endOffset: end,
    startLine: after.endLine ?? after.startLine,
    startColumn: after.endColumn ?? after.startColumn,
    endLine: after.endLine ?? after.startLine,
    endColumn: after.endColumn ?? after.startColumn,
    tokenType: RCurly,
    tokenTypeIdx: RCurly.tokenTypeIdx!,
  };
}

/**
 * Finds blocks whose `}` is missing — a statement keyword begins a line while
 * the block is still open, a protocol member begins a line inside a handler,
 * or the file ends — and closes them just after their last token, reporting
 * DS106 there with where the block opened.
 */
export function closeBlocks(tokens: IToken[]): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  // The tokens with the closing braces added: `tokens` itself until the first is added (then a copy).
  let out: IToken[] | undefined;
  let i = 0;
  const diagnostics: Diagnostic[] = [];
  const open: OpenBlock[] = [];
  let statement: string | undefined;
  /** The word that began the current line of a protocol's body (`on`, `message`, …). */
  let member: string | undefined;
  const closeDownTo = (kept: number, before: IToken | undefined): void => {
    out ??= tokens.slice(0, i);
    const last = out[out.length - 1]!;
    const outermost = open[kept]!;
    const at = closingBrace(last);
    const range: SourceRange = { ...tokenRange(at), endOffset: at.startOffset + 1, startOffset: at.startOffset + 1, startColumn: (at.startColumn ?? 1) + 1, endColumn: (at.startColumn ?? 1) + 1 };
    const opened = tokenRange(outermost.brace);
    const where = before ? `before the ${before.image.length > 12 ? 'next statement' : `'${before.image}'`} on line ${before.startLine}` : 'before the end of the file';
    const braces = '}'.repeat(open.length - kept);
    diagnostics.push(withFix(
      diagnostic('DS106', `the '{' of this ${outermost.what} (line ${opened.startLine}, column ${opened.startColumn}) is never closed; add '${braces}' here, ${where}`, range, [{ message: `the ${outermost.what} opens here`, range: opened }]),
      { title: `Add '${braces}'`, range, newText: ` ${braces}` },
    ));
    for (let k = kept; k < open.length; k++) out.push(closingBrace(last));
    open.length = kept;
  };
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = t.tokenType.name;
    const previous = out ? out[out.length - 1] : tokens[i - 1];
    const firstOnLine = previous !== undefined && (t.startLine ?? 0) > (previous.endLine ?? previous.startLine ?? 0);
    if (open.length > 0 && firstOnLine) {
      const kept = blocksKept(tokens, i, open);
      if (kept < open.length) closeDownTo(kept, t);
    }
    if (open.length === 0 && STATEMENT_STARTS.has(name)) statement = name;
    const inProtocolBody = open.length === 1 && open[0]!.statement === 'Kw_protocol';
    if (inProtocolBody && (firstOnLine || previous?.tokenType.name === 'LCurly' || previous?.tokenType.name === 'Semicolon' || previous?.tokenType.name === 'RCurly')) {
      member = name === 'Kw_on' ? 'on' : t.image;
    }
    if (name === 'LCurly') {
      const what = open.length === 0 ? (statement ? WHAT[statement] ?? 'block' : 'group') : inProtocolBody ? MEMBER_BLOCKS[member ?? ''] ?? 'block' : open[0]!.statement === 'Kw_protocol' ? 'block' : 'group';
      open.push({ brace: t, statement: open.length === 0 ? statement : undefined, what });
    } else if (name === 'RCurly' && open.length > 0) open.pop();
    out?.push(t);
  }
  if (open.length > 0 && tokens.length > 0) closeDownTo(0, undefined);
  return { tokens: out ?? tokens, diagnostics };
}

// ---- keywords in a node list ------------------------------------------------

/**
 * In `nodes …`, a keyword right after `nodes` or a `,` on the same line
 * becomes a name token (the checker refuses it as a node name with DS114). A
 * keyword on the next line after a trailing comma starts the next statement
 * and is left alone.
 */
export function keywordsAsNodeNames(tokens: IToken[]): IToken[] {
  // Never changes `tokens` (it may be the tokens as written): a copy once a keyword is renamed.
  let out: IToken[] | undefined;
  let inNodes = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = t.tokenType.name;
    const previous = (out ?? tokens)[i - 1];
    // `nodes` starts a declaration only at the start of a statement; in an expression
    // (`count(n in nodes where …)`, `x in nodes and …`) it is the set of all nodes.
    if (name === 'Kw_nodes') inNodes = !previous || previous.endLine !== t.startLine || previous.tokenType.name === 'RCurly' || previous.tokenType.name === 'Semicolon';
    // Tested only inside a node list: outside one there is nothing to end (this runs for every token of the file).
    else if (inNodes && previous && previous.tokenType.name !== 'Comma' && previous.tokenType.name !== 'Kw_nodes' && name !== 'Comma' && name !== 'Identifier' && name !== 'DotDot') inNodes = false;
    if (!inNodes || !previous || !name.startsWith('Kw_') || previous.endLine !== t.startLine) continue;
    if (previous.tokenType.name === 'Comma' || previous.tokenType.name === 'Kw_nodes') {
      out ??= tokens.slice();
      out[i] = { ...t, tokenType: Identifier, tokenTypeIdx: Identifier.tokenTypeIdx! };
    }
  }
  return out ?? tokens;
}

// ---- `>=` closing a type --------------------------------------------------

/** Tokens a type is written with: any other token ends it (and with it any `<` left open). */
const IN_TYPES: ReadonlySet<string> = new Set(['Identifier', 'Less', 'Comma', 'Question', 'LCurly', 'RCurly', 'Colon', 'StringLiteral', 'Pipe']);

/** Type names that take `<…>`: a `<` right after one opens a type's brackets. */
const GENERIC_TYPES: ReadonlySet<string> = new Set(['set', 'list', 'map']);

/**
 * `var x: set<node>= {}`: the lexer reads `>=` as one token, but while a
 * type's `<` is open it is the type's `>` and the initialiser's `=`. Split
 * so (the formatter then writes `set<node> = {}`); every other `>=` stays.
 */
export function splitTypeCloses(tokens: IToken[]): IToken[] {
  const firstCandidate = tokens.findIndex((t) => t.tokenType === GreaterEqual);
  if (firstCandidate < 0) return tokens;
  // A copy only once a `>=` is split: a file's comparisons alone must not copy a large file's tokens.
  let out: IToken[] | undefined;
  let open = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const previous = out ? out[out.length - 1] : tokens[i - 1];
    if (t.tokenType === Less && previous?.tokenType === Identifier && GENERIC_TYPES.has(previous.image)) open++;
    else if (t.tokenType === Greater && open > 0) open--;
    else if (t.tokenType === GreaterEqual && open > 0 && t.image === '>=') {
      open--;
      out ??= tokens.slice(0, i);
      const at = t.startOffset + 1;
      out.push({ ...t, image: '>', endOffset: t.startOffset, endColumn: t.startColumn, tokenType: Greater, tokenTypeIdx: Greater.tokenTypeIdx! });
      out.push({ ...t, image: '=', startOffset: at, endOffset: at, startColumn: (t.startColumn ?? 1) + 1, tokenType: Equals, tokenTypeIdx: Equals.tokenTypeIdx! });
      continue;
    } else if (open > 0 && !IN_TYPES.has(t.tokenType.name)) open = 0; // only a type's open `<` can end: no lookup for every other token
    out?.push(t);
  }
  return out ?? tokens;
}
