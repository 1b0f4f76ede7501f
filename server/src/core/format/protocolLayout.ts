import type { IToken } from 'chevrotain';
import type { SourceRange } from '../source';
import type * as A from '../syntax/ast';

/**
 * How the formatter lays out written protocols (the rest is formatter.ts's
 * token layout, which holds for protocol code too): which items of a
 * protocol share a line (and need `; ` or `, ` between them), the spacing
 * only protocol code has, and the continuation lines of a member or
 * statement written over several lines, which are indented once more, or
 * twice for the head of a handler, `if` or `for` (so a wrapped
 * `on M(m) from p when …` never lines up with the body it opens).
 */

/** An item of a block, by source offsets. */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** Reads as one phrase with the item before it: `transactions 4 every 400ms` (docs: two options, `;` optional). */
  readonly joins?: boolean;
}

/** A protocol's items, each list as one block's items: members, fields of each message (`, ` between), statements of every block. */
export function visitProtocolItems(p: A.ProtocolDecl, visit: (items: Span[], separator?: string) => void): void {
  const spans = (items: readonly A.Located[]): Span[] => items.map((x) => ({ start: x.range.startOffset, end: x.range.endOffset }));
  visit(spans(p.members));
  for (const m of p.members) {
    // Fields of a message written on one line are separated by `, ` (`{ term: int, from: node }`).
    if (m.kind === 'message') visit(spans(m.fields), ', ');
    if (m.kind === 'handler') visitBlock(m.body, visit);
  }
}

/** The statements of a block and of the blocks inside it, each list as one block's items. */
function visitBlock(block: A.Block, visit: (items: Span[]) => void): void {
  visit(block.statements.map((x) => ({ start: x.range.startOffset, end: x.range.endOffset })));
  for (const st of block.statements) {
    if (st.kind === 'if') {
      visitBlock(st.then, visit);
      if (st.else) visitBlock(st.else, visit);
    } else if (st.kind === 'for') visitBlock(st.body, visit);
  }
}

export interface ProtocolLayout {
  /** No space between these two tokens: types hug their brackets (`set<node>`, `map<string, set<node>>`, `node?`), an empty `{}` is one word. */
  tight(previous: IToken, next: IToken): boolean;
  /** Called for every token in order, with the brace depth before it. */
  enter(token: IToken, depth: number): void;
  /**
   * The extra indentation of a line starting with `token`: 1 when it
   * continues a member or statement begun on an earlier line at this brace
   * depth, 2 when it continues the head of a block (a handler, `if`,
   * `for`), 0 otherwise.
   */
  continuation(token: IToken, depth: number): number;
}

/** A part of a member that may continue on later lines, and how far its continuation lines are indented. */
interface Head {
  readonly range: SourceRange;
  readonly indent: 1 | 2;
}

export function protocolLayout(statements: readonly A.Statement[]): ProtocolLayout {
  const spacing = protocolSpacing(statements);
  const heads = statements.flatMap((s) => (s.kind === 'protocol' ? s.members.flatMap(memberHeads) : [])).sort((a, b) => a.range.startOffset - b.range.startOffset);
  const depthAt = new Map<number, number>();
  for (const h of heads) depthAt.set(h.range.startOffset, -1);
  return {
    tight: spacing.tight,
    enter(token, depth) {
      if (depthAt.has(token.startOffset)) depthAt.set(token.startOffset, depth);
    },
    continuation(token, depth) {
      // A line inside braces opened within the item is indented by those braces alone.
      const head = heads.find(({ range: h }) => token.startOffset > h.startOffset && token.startOffset < h.endOffset && (token.startLine ?? 0) > h.startLine && depthAt.get(h.startOffset) === depth);
      return head?.indent ?? 0;
    },
  };
}

/**
 * The parts of a member that continue on later lines: a whole option,
 * constant, state or function; a handler's head up to its body; each
 * statement, up to its first block for `if` and `for`.
 */
function memberHeads(m: A.ProtocolMember): Head[] {
  switch (m.kind) {
    case 'message': return [];
    case 'handler': return [{ range: upTo(m.range, m.body.range), indent: 2 }, ...blockHeads(m.body)];
    default: return [{ range: m.range, indent: 1 }];
  }
}

function blockHeads(block: A.Block): Head[] {
  return block.statements.flatMap((st): Head[] => {
    if (st.kind === 'if') return [{ range: upTo(st.range, st.then.range), indent: 2 }, ...blockHeads(st.then), ...(st.else ? blockHeads(st.else) : [])];
    if (st.kind === 'for') return [{ range: upTo(st.range, st.body.range), indent: 2 }, ...blockHeads(st.body)];
    return [{ range: st.range, indent: 1 }];
  });
}

/** `range` up to where `inner` starts. */
function upTo(range: SourceRange, inner: SourceRange): SourceRange {
  return { ...range, endOffset: inner.startOffset, endLine: inner.startLine, endColumn: inner.startColumn };
}

/** Spacing inside protocol code that the rest of the file never has. */
function protocolSpacing(statements: readonly A.Statement[]): { tight(previous: IToken, next: IToken): boolean } {
  const protocols = statements.filter((s): s is A.ProtocolDecl => s.kind === 'protocol').map((s) => s.bodyRange);
  const types: SourceRange[] = [];
  for (const s of statements) if (s.kind === 'protocol') for (const m of s.members) types.push(...memberTypes(m));
  const within = (ranges: readonly SourceRange[], t: IToken): boolean => ranges.some((r) => t.startOffset >= r.startOffset && t.startOffset < r.endOffset);
  return {
    tight(previous, next) {
      const a = previous.tokenType.name;
      const b = next.tokenType.name;
      if (!within(protocols, next)) return false;
      if (a === 'LCurly' && b === 'RCurly') return true;
      if (b === 'Question') return true;
      if (!within(types, next)) return false;
      return b === 'Less' || a === 'Less' || b === 'Greater';
    },
  };
}

/** The type annotations a member holds (its own and those of its parameters, fields, `let`s). */
function memberTypes(m: A.ProtocolMember): SourceRange[] {
  switch (m.kind) {
    case 'const': return m.type ? [m.type.range] : [];
    case 'message': return m.fields.map((f) => f.type.range);
    case 'state': return [m.type.range];
    case 'fn': return [...m.params.map((p) => p.type.range), m.result.range];
    case 'handler': return blockTypes(m.body);
    default: return [];
  }
}

function blockTypes(block: A.Block): SourceRange[] {
  return block.statements.flatMap((st) => {
    if (st.kind === 'let') return st.type ? [st.type.range] : [];
    if (st.kind === 'if') return [...blockTypes(st.then), ...(st.else ? blockTypes(st.else) : [])];
    if (st.kind === 'for') return blockTypes(st.body);
    return [];
  });
}

