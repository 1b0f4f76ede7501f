import type { IToken } from 'chevrotain';
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { FUNCTIONS } from '../../core/expr/checked';
import { MEMBER_WORDS } from '../../core/syntax/protocolParser';
import { STATEMENT_START_WORDS } from '../../core/syntax/statementParser';

/**
 * Completion inside a written protocol's body, from tokens only so it works
 * in half-written, unparseable text. The members are read from the whole
 * file's tokens of the protocol (declarations may come after the cursor);
 * the context (member level, handler header, statement, `m.`, `M { … }`)
 * from the tokens before the cursor. Undefined when the cursor is not inside
 * a protocol body.
 */
export function completeInProtocol(text: string, offset: number, before: readonly IToken[], all: readonly IToken[]): CompletionItem[] | undefined {
  const open = protocolBodyOpen(before);
  if (open === undefined) return undefined;
  const body = bodyTokens(all, open);
  const decls = declarations(body);
  const inside = before.slice(open + 1);
  const frames = openFrames(inside);
  const last = inside[inside.length - 1];
  const prev = inside[inside.length - 2];
  const lastName = last?.tokenType.name;
  const newLine = last === undefined || /\n/.test(text.slice(last.endOffset! + 1, offset));
  const messages = (): CompletionItem[] => decls.messages.map((m) => ({ label: m.name, kind: CompletionItemKind.Struct, detail: m.fields.length ? `message { ${m.fields.map((f) => `${f.name}: ${f.type}`).join(', ')} }` : 'message' }));
  const timers = (): CompletionItem[] => decls.timers.map((t) => ({ label: t, kind: CompletionItemKind.Event, detail: 'timer' }));
  const fields = (message: string | undefined): CompletionItem[] => (decls.messages.find((m) => m.name === message)?.fields ?? []).map((f) => ({ label: f.name, kind: CompletionItemKind.Field, detail: f.type }));

  /** After `x.`: the fields of the handler's message when x is its payload, of a record-typed state variable, or clock's steps. */
  const afterDot = (handler: readonly IToken[]): CompletionItem[] => {
    const owner = prev?.tokenType.name === 'Identifier' ? prev.image : undefined;
    const payload = handlerScope(handler).find((s) => s.message !== undefined);
    if (payload && owner === payload.name) return fields(payload.message);
    if (owner === 'clock') return ['step', 'slew'].map((w) => ({ label: w, kind: CompletionItemKind.Method }));
    const state = decls.values.find((v) => v.name === owner);
    return state ? recordFields(state.type) : [];
  };

  // The member the cursor is in: the last member word at the body's own level.
  const memberStart = lastMemberStart(inside);
  const member = memberStart === undefined ? undefined : inside[memberStart]!;
  if (frames.length === 0) {
    if (lastName === 'Kw_on') return [...messages(), { label: 'start', kind: CompletionItemKind.Keyword, detail: 'when the node starts (and restarts)' }, { label: 'timer', kind: CompletionItemKind.Keyword, detail: 'when a timer fires' }];
    if (last?.image === 'timer' && prev?.tokenType.name === 'Kw_on') return timers();
    const inMember = member !== undefined && !newLine && lastName !== 'Semicolon' && lastName !== 'RCurly' && lastName !== 'LCurly';
    if (!inMember) return MEMBER_WORDS.map((w) => ({ label: w, kind: CompletionItemKind.Keyword, detail: MEMBER_DOCS[w] }));
    const header = inside.slice(memberStart!);
    if (member!.tokenType.name === 'Kw_on') {
      if (!header.some((t) => t.image === 'when')) return [];
      if (lastName === 'Dot') return afterDot(header);
      return expressionNames(decls, handlerScope(header), false);
    }
    if (!header.some((t) => t.tokenType.name === 'Equals')) return [];
    const params = member!.image === 'fn' ? paramsOf(header) : [];
    return expressionNames(decls, params.map((p) => ({ name: p, detail: 'parameter' })), false);
  }
  if (frames.length > 0 && member?.image === 'message') return [];
  // Inside a handler's body (or a nested block).
  const handler = member?.tokenType.name === 'Kw_on' ? inside.slice(memberStart!) : [];
  const innermost = frames[frames.length - 1]!;
  const beforeBrace = inside[innermost - 1];
  const sendWord = inside[innermost - 2]?.tokenType.name;
  if (beforeBrace?.tokenType.name === 'Identifier' && (sendWord === 'Kw_send' || sendWord === 'Kw_broadcast' || sendWord === 'Kw_reply') && (lastName === 'LCurly' || lastName === 'Comma')) {
    return fields(beforeBrace.image);
  }
  if (lastName === 'Kw_send' || lastName === 'Kw_broadcast' || lastName === 'Kw_reply') return messages();
  const statementStart = newLine || lastName === 'LCurly' || lastName === 'Semicolon' || lastName === 'RCurly';
  if ((last?.image === 'timer' || last?.image === 'cancel') && isStatementWord(inside, text)) return timers();
  if (lastName === 'Dot') return afterDot(handler);
  return [
    ...(statementStart ? STATEMENT_START_WORDS.filter((w) => w !== 'clock').map((w) => ({ label: w, kind: CompletionItemKind.Keyword })) : []),
    ...expressionNames(decls, [...handlerScope(handler), ...localsInScope(inside, handler.length ? memberStart! : 0)], true),
  ];
}

/** What each member word declares (the words themselves are the parser's, MEMBER_WORDS). */
const MEMBER_DOCS: Readonly<Record<(typeof MEMBER_WORDS)[number], string>> = {
  option: 'a setting of the binding: option NAME: KIND = default',
  const: 'a named constant',
  message: 'a message type: message NAME { field: type }',
  stable: 'state kept across a crash',
  var: 'state lost on a crash',
  fn: 'a pure helper function',
  on: 'a handler: on start, on timer NAME, on MESSAGE(m) from p when …',
};


interface Declarations {
  readonly values: { name: string; kind: 'option' | 'const' | 'stable' | 'var' | 'fn'; type: string }[];
  readonly messages: { name: string; fields: { name: string; type: string }[] }[];
  readonly timers: string[];
}

interface ScopedName { readonly name: string; readonly detail: string; readonly message?: string }

function expressionNames(decls: Declarations, scoped: readonly ScopedName[], statement: boolean): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  const add = (item: CompletionItem): void => {
    if (seen.has(item.label)) return;
    seen.add(item.label);
    items.push(item);
  };
  for (const s of [...scoped].reverse()) add({ label: s.name, kind: CompletionItemKind.Variable, detail: s.detail });
  for (const v of decls.values) {
    const kind = v.kind === 'fn' ? CompletionItemKind.Function : v.kind === 'const' ? CompletionItemKind.Constant : v.kind === 'option' ? CompletionItemKind.Property : CompletionItemKind.Field;
    add({ label: v.name, kind, detail: v.type ? `${v.kind}: ${v.type}` : v.kind });
  }
  add({ label: 'self', kind: CompletionItemKind.Keyword, detail: 'this node' });
  add({ label: 'members', kind: CompletionItemKind.Keyword, detail: 'the nodes that run this protocol' });
  add({ label: 'now', kind: CompletionItemKind.Keyword, detail: "this node's clock reading" });
  if (statement) add({ label: 'clock', kind: CompletionItemKind.Keyword, detail: 'clock.step(d), clock.slew(d)' });
  for (const [name, f] of Object.entries(FUNCTIONS)) add({ label: name, kind: CompletionItemKind.Function, detail: f.doc.split(':')[0], documentation: f.doc });
  return items;
}

/** Index (in `before`) of the `{` opening the protocol body the cursor is in. */
function protocolBodyOpen(before: readonly IToken[]): number | undefined {
  const stack: { index: number; protocol: boolean }[] = [];
  for (let i = 0; i < before.length; i++) {
    const t = before[i]!.tokenType.name;
    if (t === 'LCurly') {
      const head = before[i - 2]?.tokenType.name === 'Kw_protocol' || (before[i - 4]?.tokenType.name === 'Kw_protocol' && before[i - 2]?.image === 'serves');
      stack.push({ index: i, protocol: head && stack.length === 0 });
    } else if (t === 'RCurly') stack.pop();
  }
  return stack.find((f) => f.protocol)?.index;
}

/** The tokens of the body from its `{` (excluded) to the matching `}` or the end. */
function bodyTokens(all: readonly IToken[], open: number): IToken[] {
  let depth = 0;
  for (let i = open + 1; i < all.length; i++) {
    const t = all[i]!.tokenType.name;
    if (t === 'LCurly') depth++;
    else if (t === 'RCurly' && depth-- === 0) return all.slice(open + 1, i);
  }
  return all.slice(open + 1);
}

/** Indices of the braces still open at the end of `tokens`. */
function openFrames(tokens: readonly IToken[]): number[] {
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (t.tokenType.name === 'LCurly') stack.push(i);
    else if (t.tokenType.name === 'RCurly') stack.pop();
  });
  return stack;
}

const MEMBER_STARTS = new Set(['option', 'const', 'message', 'stable', 'var', 'fn']);

function isMemberStart(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i]!;
  return t.tokenType.name === 'Kw_on' || (MEMBER_STARTS.has(t.image) && t.tokenType.name === 'Identifier' && tokens[i + 1]?.tokenType.name === 'Identifier');
}

function lastMemberStart(inside: readonly IToken[]): number | undefined {
  let depth = 0;
  let found: number | undefined;
  inside.forEach((t, i) => {
    if (t.tokenType.name === 'LCurly') depth++;
    else if (t.tokenType.name === 'RCurly') depth--;
    else if (depth === 0 && isMemberStart(inside, i)) found = i;
  });
  return found;
}

/** The tokens of a type: from after the `:` to the `=` (or the end). */
function typeText(tokens: readonly IToken[], colon: number): string {
  const out: string[] = [];
  let depth = 0;
  for (let i = colon + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    const n = t.tokenType.name;
    if (depth === 0 && (n === 'Equals' || n === 'Comma' || n === 'Semicolon' || n === 'RCurly' || n === 'RParen' || (i > colon + 1 && t.startLine !== tokens[i - 1]!.endLine))) break;
    if (n === 'LCurly' || n === 'LAngle' || n === 'Less') depth++;
    if (n === 'RCurly' || n === 'Greater') depth--;
    out.push(t.image);
  }
  return out.join(' ').replace(/ ?([<>,]) ?/g, (_, c: string) => (c === ',' ? ', ' : c)).replace(/ ([:?])/g, '$1').trim();
}

function declarations(body: readonly IToken[]): Declarations {
  const decls: Declarations = { values: [], messages: [], timers: [] };
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const t = body[i]!;
    const n = t.tokenType.name;
    if (n === 'LCurly') depth++;
    else if (n === 'RCurly') depth--;
    const next = body[i + 1];
    if (t.image === 'timer' && next?.tokenType.name === 'Identifier' && (body[i - 1]?.tokenType.name === 'Kw_on' || body[i + 2]?.tokenType.name === 'Kw_after')) {
      if (!decls.timers.includes(next.image)) decls.timers.push(next.image);
    }
    if (depth !== 0 || !isMemberStart(body, i) || n === 'Kw_on') continue;
    const name = next!.image;
    if (t.image === 'message') {
      const fields: { name: string; type: string }[] = [];
      if (body[i + 2]?.tokenType.name === 'LCurly') {
        let d = 0;
        for (let j = i + 3; j < body.length; j++) {
          const k = body[j]!.tokenType.name;
          if (k === 'RCurly' && d === 0) break;
          if (k === 'LCurly') d++;
          if (k === 'RCurly') d--;
          if (d === 0 && k === 'Identifier' && body[j + 1]?.tokenType.name === 'Colon') fields.push({ name: body[j]!.image, type: typeText(body, j + 1) });
        }
      }
      decls.messages.push({ name, fields });
    } else if (t.image === 'fn') {
      let j = i + 2;
      let d = 0;
      for (; j < body.length; j++) {
        const k = body[j]!.tokenType.name;
        if (k === 'LParen') d++;
        if (k === 'RParen' && --d === 0) break;
      }
      decls.values.push({ name, kind: 'fn', type: body[j + 1]?.tokenType.name === 'Colon' ? typeText(body, j + 1) : '' });
    } else {
      const kind = t.image as 'option' | 'const' | 'stable' | 'var';
      decls.values.push({ name, kind, type: body[i + 2]?.tokenType.name === 'Colon' ? typeText(body, i + 2) : '' });
    }
  }
  return decls;
}

/** A fn's parameter names from its header tokens. */
function paramsOf(header: readonly IToken[]): string[] {
  const open = header.findIndex((t) => t.tokenType.name === 'LParen');
  const out: string[] = [];
  for (let i = open + 1; i < header.length && header[i]!.tokenType.name !== 'RParen'; i++) {
    if (header[i]!.tokenType.name === 'Identifier' && header[i + 1]?.tokenType.name === 'Colon') out.push(header[i]!.image);
  }
  return out;
}

/** The payload and sender names a handler's header binds (`on M(m) from p`). */
function handlerScope(handler: readonly IToken[]): ScopedName[] {
  const message = handler[1]?.tokenType.name === 'Identifier' && handler[1].image !== 'start' && handler[1].image !== 'timer' ? handler[1].image : undefined;
  if (message === undefined) return [];
  const out: ScopedName[] = [];
  if (handler[2]?.tokenType.name === 'LParen' && handler[3]?.tokenType.name === 'Identifier') out.push({ name: handler[3].image, detail: `message ${message}`, message });
  const from = handler.findIndex((t) => t.tokenType.name === 'Kw_from');
  const sender = from >= 0 ? handler[from + 1] : undefined;
  if (sender?.tokenType.name === 'Identifier') out.push({ name: sender.image, detail: `node: the sender of ${message}` });
  return out;
}

/** `let` and `for` names declared before the cursor in blocks still open at it. */
function localsInScope(inside: readonly IToken[], from: number): ScopedName[] {
  const scopes: ScopedName[][] = [[]];
  let pending: ScopedName[] = [];
  for (let i = from; i < inside.length; i++) {
    const t = inside[i]!;
    const n = t.tokenType.name;
    if (n === 'LCurly') { scopes.push(pending); pending = []; }
    else if (n === 'RCurly') scopes.pop();
    else if (t.image === 'let' && inside[i + 1]?.tokenType.name === 'Identifier') scopes[scopes.length - 1]?.push({ name: inside[i + 1]!.image, detail: 'let' });
    else if (n === 'Kw_for' && inside[i + 1]?.tokenType.name === 'Identifier') pending.push({ name: inside[i + 1]!.image, detail: 'for' });
  }
  return scopes.flat();
}

/** The fields of a record type written inline (`{ term: int, cmd: string }`, also as a list's element). */
function recordFields(type: string): CompletionItem[] {
  const open = type.indexOf('{');
  if (open < 0) return [];
  return [...type.slice(open).matchAll(/([\p{L}_][\p{L}\p{N}_]*) ?: ?([^,}]+)/gu)].map((m) => ({ label: m[1]!, kind: CompletionItemKind.Field, detail: m[2]!.trim() }));
}

/** `timer`/`cancel` as the statement word (first on its line or after `{`/`;`), not a variable named timer. */
function isStatementWord(inside: readonly IToken[], text: string): boolean {
  const word = inside[inside.length - 1]!;
  const before = inside[inside.length - 2];
  if (!before) return true;
  return ['LCurly', 'Semicolon', 'RCurly'].includes(before.tokenType.name) || /\n/.test(text.slice(before.endOffset! + 1, word.startOffset));
}
