import type { IRecognitionException, IToken } from 'chevrotain';
import { diagnostic, withFix, type Diagnostic } from '../diagnostics';
import type { SourceRange } from '../source';
import type { DsyncFile } from './ast';
import { SingleQuotedString, StringLiteral, UnterminatedComment, UnterminatedString } from './lexer';
import { holdsCut, limitNesting } from './limits';
import { closeBlocks, keywordsAsNodeNames, repairUnits, splitTypeCloses, STATEMENT_STARTS } from './repair';
import { BrokenNote, noteParts } from './noteText';
import { dsyncParser } from './parser';
import { MEMBER_TEXT, STATEMENT_TEXT, unexpectedWord } from './protocolWords';
import { dsyncLexer } from './scanner';
import type { PendingNote } from './statementParser';
import { tokenRange } from './tokenAst';

/** Codes that mean the token stream is not what the user meant: the formatter leaves such a file alone. */
export const SYNTAX_ERROR_CODES: ReadonlySet<string> = new Set(['DS101', 'DS102', 'DS103', 'DS104', 'DS105', 'DS106', 'DS172']);

/** Files larger than this many bytes of UTF-8 are refused before lexing (DS172), in the CLI and the editor alike. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * The text's length in UTF-8 bytes, as it is on disk (a lone surrogate counts
 * as the 3 bytes of U+FFFD, as an encoder writes it). Pure: no Buffer.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Whether the text is over the size cap (MAX_FILE_BYTES of UTF-8): the one rule of the CLI and the editor. */
export function exceedsSizeCap(text: string): boolean {
  // Every UTF-16 unit is at least one byte and at most three: decide from the length when it can.
  if (text.length > MAX_FILE_BYTES) return true;
  if (text.length * 3 <= MAX_FILE_BYTES) return false;
  return utf8ByteLength(text) > MAX_FILE_BYTES;
}

/** The DS172 message for a text or file of `bytes` bytes. */
export function sizeCapMessage(bytes: number): string {
  return `file is ${bytes.toLocaleString('en-US')} bytes; the limit is ${MAX_FILE_BYTES.toLocaleString('en-US')} (8 MiB). Split the scenario.`;
}

export interface ParseResult {
  readonly ast: DsyncFile;
  readonly diagnostics: readonly Diagnostic[];
  /** Every token including comments, in order: for semantic tokens and the formatter. */
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
  /**
   * No duration value in the AST is longer than this many ns (NaN: one is
   * not a number); undefined when not known. An upper bound, not always
   * reached: a re-parse keeps the larger bound of its pieces.
   */
  readonly largestDurationNs?: number;
}

/** Stage 1: text → AST plus syntax diagnostics (DS101–DS106, DS114, DS172). Never throws. */
export function parse(text: string): ParseResult {
  if (exceedsSizeCap(text)) {
    const range = { startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
    return {
      ast: { statements: [], range },
      diagnostics: [diagnostic('DS172', sizeCapMessage(utf8ByteLength(text)), range)],
      tokens: [],
      comments: [],
    };
  }
  const lexed = dsyncLexer.tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const e of lexed.errors) {
    const range = {
      startOffset: e.offset,
      endOffset: e.offset + e.length,
      startLine: e.line ?? 1,
      startColumn: e.column ?? 1,
      endLine: e.line ?? 1,
      endColumn: (e.column ?? 1) + e.length,
    };
    const shown = text.slice(e.offset, e.offset + Math.min(e.length, 20));
    const hint = shown.startsWith("'") ? 'strings use double quotes: "hello"' : 'names use letters, digits and _';
    diagnostics.push(diagnostic('DS101', `unexpected character ${JSON.stringify(shown)}; ${hint}`, range));
  }
  // A copy of the tokens only once one is replaced or dropped: most files have none, and a copy of a large file's tokens costs.
  let lexedTokens: IToken[] | undefined;
  for (let i = 0; i < lexed.tokens.length; i++) {
    const t = lexed.tokens[i]!;
    const type = t.tokenType;
    if (type !== UnterminatedString && type !== SingleQuotedString && type !== UnterminatedComment) {
      lexedTokens?.push(t);
      continue;
    }
    lexedTokens ??= lexed.tokens.slice(0, i);
    if (type === UnterminatedString) {
      diagnostics.push(diagnostic('DS103', 'string has no closing quote on this line; add "', tokenRange(t)));
      // Parsed as if closed, so the one mistake is not reported again as a syntax error.
      lexedTokens.push({ ...t, tokenType: StringLiteral, tokenTypeIdx: StringLiteral.tokenTypeIdx!, image: `${t.image}"` });
    } else if (type === SingleQuotedString) {
      // 'hello': reported once with its fix, then parsed as the string it means.
      const image = `"${t.image.slice(1, -1).replace(/\\'/g, "'").replace(/(?<!\\)"/g, '\\"')}"`;
      const range = tokenRange(t);
      diagnostics.push(withFix(diagnostic('DS101', `strings use double quotes: write ${image}`, range), { title: `Write ${image}`, range, newText: image }));
      lexedTokens.push({ ...t, tokenType: StringLiteral, tokenTypeIdx: StringLiteral.tokenTypeIdx!, image });
    } else {
      diagnostics.push(diagnostic('DS103', 'block comment is never closed; add */', { ...tokenRange(t), endLine: t.startLine ?? 1, endColumn: (t.startColumn ?? 1) + 2, endOffset: t.startOffset + 2 }));
    }
  }
  const comments = (lexed.groups['comments'] ?? []) as IToken[];
  const tokens = splitTypeCloses(lexedTokens ?? lexed.tokens);
  const units = repairUnits(tokens);
  const blocks = closeBlocks(keywordsAsNodeNames(units.tokens));
  const nesting = limitNesting(blocks.tokens);
  diagnostics.push(...units.diagnostics, ...blocks.diagnostics, ...nesting.diagnostics);
  let ast: DsyncFile;
  let largestDurationNs: number;
  try {
    ({ ast, largestDurationNs } = readAst(nesting.tokens, text, diagnostics));
  } catch (error) {
    // MAX_NESTING keeps every rule's recursion shallow; this is the last guard
    // that keeps "never throws" true should some shape still exhaust the stack.
    if (!(error instanceof RangeError)) throw error;
    const range = { startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
    diagnostics.push(diagnostic('DS104', `this file is nested too deeply to analyse (${error.message}); flatten it`, range));
    return { ast: { statements: [], range }, diagnostics, tokens, comments };
  }
  // A statement with a region cut out for its depth has been reported once; checking what is left of it would only add noise.
  if (nesting.cuts.length > 0) ast = { ...ast, statements: ast.statements.filter((s) => !holdsCut(s.range, nesting.cuts)) };
  return { ast, diagnostics, tokens, comments, largestDurationNs };
}

/**
 * The AST of the repaired tokens, by the one parser: its syntax errors
 * first, then what its actions found (DS114, a stray word, …) in source
 * order, with each note's `{…}` parts read in their place (noteText.ts; the
 * parser reads them once it is done with the file).
 */
function readAst(tokens: IToken[], text: string, diagnostics: Diagnostic[]): { ast: DsyncFile; largestDurationNs: number } {
  dsyncParser.input = tokens;
  dsyncParser.file();
  const { statements, reports, errors, largestDurationNs } = dsyncParser;
  const range = dsyncParser.fileRange();
  const quiet = { until: -1 };
  for (const error of errors) {
    const reported = syntaxDiagnostic(error, tokens, text, quiet);
    if (reported) diagnostics.push(reported);
  }
  for (const r of reports) {
    if (!('note' in r)) diagnostics.push(r);
    else readNote(r, diagnostics);
  }
  return { ast: { statements, range }, largestDurationNs };
}

/** A note's parts, or (its `{…}` broken, reported) the note removed from its block. */
function readNote(pending: PendingNote, diagnostics: Diagnostic[]): void {
  try {
    pending.statement.parts = noteParts(pending.note, (d) => diagnostics.push(d));
  } catch (error) {
    if (!(error instanceof BrokenNote)) throw error;
    const owner = pending.owner;
    const at = owner ? owner.indexOf(pending.statement) : -1;
    if (owner && at >= 0) owner.splice(at, 1);
  }
}

const TOKEN_TEXT: Readonly<Record<string, string>> = {
  RCurly: "'}'", LCurly: "'{'", RParen: "')'", LParen: "'('", Comma: "','", Arrow: "'->'", BiArrow: "'<->'",
  DotDot: "'..'", Dot: "'.'", Pipe: "'|'", Equals: "'='", Semicolon: "';'", Identifier: 'a name', Name: 'a name',
  StringLiteral: 'a quoted label', Duration: 'a time such as 10ms', NumberLiteral: 'a number', Percent: 'a percentage',
  Ppm: 'a drift such as +50ppm', EOF: 'end of file',
  Less: "'<'", Greater: "'>'", Colon: "':'", LBracket: "'['", RBracket: "']'", Question: "'?'",
};

const TYPE_TEXT = 'a type such as int, node?, set<node>, map<string, int>, { a: int } or "a" | "b"';

/** In protocol code, what an expression rule expects: a value to compute with. */
const VALUE_TEXT = "a value: a name, a number, a string, 'none', (…), {…} or […]";
const PROTOCOL_EXPRESSION_RULES: ReadonlySet<string> = new Set([
  'expression', 'disjunction', 'conjunction', 'negation', 'comparison', 'additive', 'addTail', 'multiplicative', 'mulTail', 'unary', 'postfix', 'primary',
]);

const RULE_TEXT: Readonly<Record<string, string>> = {
  file: 'a statement (scenario, nodes, network, link, clock, at, every, on, faults, sync, invariant, expect, client, protocol)',
  statement: 'a statement (scenario, nodes, network, link, clock, at, every, on, faults, sync, invariant, expect, client, protocol)',
  faultStmt: 'a fault: partition, heal, crash, restart, clock … jump/drift, drop, delay',
  ruleAction: 'an action: send, reply, broadcast, local, after',
  nodeAction: "a message 'A -> B \"label\"' or 'A local \"label\"'",
  atom: 'a value',
  value: 'a value',
  comparator: 'a comparison (<, <=, >, >=, ==, !=)',
  operand: "a property such as 'B.lamport' or a value",
  scenarioDecl: "a header setting such as 'seed 7' or 'run for 2s'",
  nodesDecl: 'a node name',
  clockDecl: 'a node name',
  nodeGroup: 'a node name',
  linkRef: "'->' or '<->'",
  onStmt: "a quoted label or 'any'",
  optionItem: 'a value for this option',
  optionValue: 'a value',
  argList: 'a value',
  expectDecl: "'end' or a time after 'at'",
  clientDecl: "the nodes or store after 'to', then '{'",
  clientItem: "a client operation such as 'every 100ms put k = counter' or 'at 1s get k', or a setting such as 'timeout 100ms'",
  clientOp: "'put KEY = VALUE' or 'get KEY'",
  // written protocols (protocolParser.ts)
  protocolDecl: MEMBER_TEXT,
  protocolMember: MEMBER_TEXT,
  handlerTrigger: "after 'on' in a protocol: 'start', 'timer NAME', or a message such as 'Vote(m) from p'",
  handlerMember: "'{' and the handler's statements (or 'when' and a condition first)",
  block: STATEMENT_TEXT,
  protoStmt: STATEMENT_TEXT,
  assignStmt: "'=' and a value",
  sendStmt: "'to' and the node to send to: send M { … } to p",
  messageValue: "a message such as 'Vote { term: term }'",
  payloadField: "a field such as 'term: term'",
  clockStmt: "clock.step(amount) or clock.slew(rate)",
  typeRef: TYPE_TEXT,
  typeField: TYPE_TEXT,
  messageField: `a field such as 'term: int' (${TYPE_TEXT})`,
  fnParam: "a parameter such as 'n: int'",
  optionMember: "the option's kind (duration, duration range, latency, int, number, bool, string, node, nodes, node numbers, percent, ppm) or choices such as \"fast\" | \"safe\"",
};

function describeToken(t: IToken): string {
  if (t.tokenType.name === 'EOF') return 'end of file';
  return `'${t.image.length > 24 ? `${t.image.slice(0, 24)}…` : t.image}'`;
}

/** Fault words: after `at T` outside a `faults` block they mean a fault written in the wrong place. */
const FAULT_WORDS: ReadonlySet<string> = new Set(['crash', 'restart', 'partition', 'heal', 'drop', 'delay', 'clock'].map((k) => `Kw_${k}`));

/**
 * The diagnostic for one parser error, or undefined when it only follows from
 * one already reported (errors up to `quiet.until` are left out).
 */
function syntaxDiagnostic(error: IRecognitionException, tokens: readonly IToken[], text: string, quiet: { until: number }): Diagnostic | undefined {
  const found = error.token;
  const offset = Number.isFinite(found.startOffset) && found.tokenType.name !== 'EOF' ? found.startOffset : text.length;
  if (offset <= quiet.until) return undefined;
  const ruleStack = error.context?.ruleStack ?? [];
  const rule = ruleStack[ruleStack.length - 1] ?? 'file';
  if (ruleStack.includes('protocolDecl')) {
    // One mistake in protocol code is reported once: the rest of its line follows from it.
    const lineEnd = /\r|\n/.exec(text.slice(offset));
    quiet.until = lineEnd ? offset + lineEnd.index : text.length;
    const written = misspeltStatementWord(error, found, tokens, text);
    if (written) return written;
    if (ruleStack.includes('handlerMember') && found.tokenType.name === 'Kw_receive') {
      return diagnostic('DS102', "a scenario rule 'on NODE receive …' goes outside the protocol; inside it a handler is 'on MESSAGE(m) from p { … }'", rangeOf(found, tokens, text));
    }
    // `on M when { … }`: the body was read as the guard's set or record.
    if (ruleStack.includes('handlerMember') && !ruleStack.includes('block') && ruleStack.includes('braces')) {
      let brace = previousToken(found, tokens);
      while (brace && brace.tokenType.name !== 'LCurly') brace = previousToken(brace, tokens);
      return diagnostic('DS102', "after 'when' write a condition, then '{' and the handler's statements", rangeOf(brace ?? found, tokens, text));
    }
  }
  if (ruleStack.includes('atStmt') && FAULT_WORDS.has(found.tokenType.name)) return faultOutsideFaults(found, tokens, text, quiet);
  const cutShort = rule !== 'file' && rule !== 'statement' && startsLaterLine(found, tokens);
  // A statement cut short at the end of its line is reported there, not on the
  // line after it where the parser noticed (`at 10ms A -> B` missing its label).
  const range = cutShort ? endOfPrevious(found, tokens, text) : rangeOf(found, tokens, text);
  const expectedMatch = /-->\s*(\w+)\s*<--/.exec(error.message);
  let message: string;
  if (error.name === 'NotAllInputParsedException' || (error.name === 'MismatchedTokenException' && expectedMatch?.[1] === 'EOF')) {
    message = `unexpected ${describeToken(found)}: expected ${RULE_TEXT.statement}`;
  } else if (error.name === 'MismatchedTokenException' && expectedMatch) {
    const expected = TOKEN_TEXT[expectedMatch[1]!] ?? `'${expectedMatch[1]!.replace(/^Kw_/, '')}'`;
    if (expectedMatch[1] === 'Identifier' && !cutShort && found.tokenType.name.startsWith('Kw_')) {
      return diagnostic('DS114', `'${found.image}' is a keyword and cannot be used as a name; pick another name`, range);
    }
    message = `expected ${expected} but found ${describeToken(found)}`;
  } else if (rule === 'protocolMember' || rule === 'protoStmt') {
    message = unexpectedWord(found, rule === 'protocolMember' ? 'member' : 'statement');
  } else {
    const expected = ruleStack.includes('protocolDecl') && PROTOCOL_EXPRESSION_RULES.has(rule) ? VALUE_TEXT : RULE_TEXT[rule];
    message = `unexpected ${describeToken(found)}: expected ${expected ?? 'something else here'}`;
  }
  return diagnostic('DS102', message, range);
}

/**
 * `lett y = 2`, `nte "x"`, `timr t after 5ms`: a statement word misspelt reads
 * as a name being assigned, and the parser stops at the next word. Reported
 * at the misspelt word, with the statement word it most plausibly is.
 */
function misspeltStatementWord(error: IRecognitionException, found: IToken, tokens: readonly IToken[], text: string): Diagnostic | undefined {
  const stack = error.context?.ruleStack ?? [];
  if (stack[stack.length - 1] !== 'assignStmt' || !['Identifier', 'StringLiteral'].includes(found.tokenType.name)) return undefined;
  const word = previousToken(found, tokens);
  if (!word || word.tokenType.name !== 'Identifier' || word.endLine !== found.startLine) return undefined;
  const message = unexpectedWord(word, 'statement');
  return message.startsWith('unknown word') ? diagnostic('DS102', message, rangeOf(word, tokens, text)) : undefined;
}

/** Whether `t` is end of file, `}` or a statement keyword (STATEMENT_STARTS) on a later line than the token before it: the line before was cut short. */
function startsLaterLine(t: IToken, tokens: readonly IToken[]): boolean {
  const name = t.tokenType.name;
  if (name !== 'EOF' && name !== 'RCurly' && !STATEMENT_STARTS.has(name)) return false;
  const previous = previousToken(t, tokens);
  if (!previous) return false;
  if (name === 'EOF' || !Number.isFinite(t.startOffset)) return true;
  return (t.startLine ?? 0) > (previous.endLine ?? previous.startLine ?? 0);
}

function previousToken(t: IToken, tokens: readonly IToken[]): IToken | undefined {
  if (t.tokenType.name === 'EOF' || !Number.isFinite(t.startOffset)) return tokens[tokens.length - 1];
  // Binary search by offset: a file with many errors must not scan the tokens once per error.
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < t.startOffset) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? tokens[lo - 1] : undefined;
}

/** An empty range just after the token before `t`. */
function endOfPrevious(t: IToken, tokens: readonly IToken[], text: string): SourceRange {
  const previous = previousToken(t, tokens);
  if (!previous) return rangeOf(t, tokens, text);
  const r = tokenRange(previous);
  return { startOffset: r.endOffset, endOffset: r.endOffset, startLine: r.endLine, startColumn: r.endColumn, endLine: r.endLine, endColumn: r.endColumn };
}

/** EOF and recovery tokens have no position; point just after the last real token. */
function rangeOf(t: IToken, tokens: readonly IToken[], text: string): SourceRange {
  if (Number.isFinite(t.startOffset) && t.tokenType.name !== 'EOF') return tokenRange(t);
  const last = tokens[tokens.length - 1];
  if (!last) return { startOffset: text.length, endOffset: text.length, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
  const r = tokenRange(last);
  return { startOffset: r.endOffset, endOffset: r.endOffset, startLine: r.endLine, startColumn: r.endColumn, endLine: r.endLine, endColumn: r.endColumn };
}

/** `at 100ms crash B` at the top level: faults go in `faults { … }`; the fix wraps the line in one. */
function faultOutsideFaults(found: IToken, tokens: readonly IToken[], text: string, quiet: { until: number }): Diagnostic {
  let at = previousToken(found, tokens);
  while (at && at.tokenType.name !== 'Kw_at') at = previousToken(at, tokens);
  const start = at?.startOffset ?? found.startOffset;
  const lineEnd = /\r|\n/.exec(text.slice(start));
  const end = lineEnd ? start + lineEnd.index : text.length;
  // The parser then notices the statement cut short at the next token: that is this same mistake.
  const next = /\S/.exec(text.slice(end));
  quiet.until = next ? end + next.index : text.length;
  const written = text.slice(start, end).replace(/\s*(\/\/.*)?$/, '');
  const from = at ? tokenRange(at) : tokenRange(found);
  const range: SourceRange = { ...from, endOffset: start + written.length, endLine: from.startLine, endColumn: from.startColumn + written.length };
  const fixed = `faults { ${written} }`;
  return withFix(
    diagnostic('DS102', `'${found.image}' is a fault, and faults go in a faults block: ${fixed}`, tokenRange(found)),
    { title: `Move into 'faults { … }'`, range, newText: fixed },
  );
}
