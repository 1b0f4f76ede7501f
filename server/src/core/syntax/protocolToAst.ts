import type { CstNode, IToken } from 'chevrotain';
import type { Expr } from '../expr/ast';
import { diagnostic, type Diagnostic } from '../diagnostics';
import { spanRanges, type SourceRange } from '../source';
import type * as A from './ast';
import { firstChild, isNode, isReal, isToken, Missing, need, node, nodeRange, nodes, optional, token, tokenRange, unquote } from './cstAccess';
import { expression } from './exprToAst';
import { Identifier } from './lexer';
import { MEMBER_WORDS } from './protocolParser';
import { STATEMENT_START_WORDS } from './statementParser';
import { closestName } from '../check/suggest';
import { noteParts } from './noteText';
import { name, optionValue } from './valueToAst';

/**
 * Builds a ProtocolDecl (ast.ts) from the CST of protocolParser.ts. A member
 * or statement the parser could only partly recover is left out (its syntax
 * error is already reported); the rest of the protocol is kept.
 */
export function protocolDecl(n: CstNode, ctx: BuildContext): A.ProtocolDecl {
  const open = need(token(n, 'LCurly'));
  const close = need(token(n, 'RCurly'));
  const serves = token(n, 'serves');
  for (const stray of nodes(n, 'stray')) {
    const first = (stray.children['token'] ?? []).filter(isToken)[0];
    // A `}` left behind by recovery follows an error already reported.
    if (first && isReal(first) && first.tokenType === Identifier) ctx.report(diagnostic('DS102', unexpectedWord(first, 'member'), tokenRange(first)));
  }
  return {
    kind: 'protocol',
    name: declared(need(token(n, 'name')), ctx),
    ...(serves ? { serves: name(serves) } : {}),
    members: nodes(n, 'member').flatMap(optional((m) => member(m, ctx))),
    bodyRange: spanRanges(tokenRange(open), tokenRange(close)),
    range: nodeRange(n),
  };
}

/**
 * What building a protocol needs besides the CST: where to report mistakes
 * only the builder sees, and where the parser reported a syntax error.
 */
export interface BuildContext {
  readonly report: (d: Diagnostic) => void;
  /**
   * Whether a syntax error was reported in [from, to): a member or statement
   * holding one was read only by Chevrotain's repairs (`lett y = 2` read as
   * `lett = 2` with `y` deleted) and is left out, as its error is reported.
   */
  readonly hasErrorIn: (from: number, to: number) => boolean;
}

/** Leaves out what holds a syntax error between `from` and `to` (the head of a handler, `if` or `for`: their blocks are judged statement by statement). */
function checkRepaired(ctx: BuildContext, from: number, to: number): void {
  if (ctx.hasErrorIn(from, to)) throw new Missing();
}

function member(n: CstNode, ctx: BuildContext): A.ProtocolMember {
  const inner = need(firstChild(n, isNode));
  if (inner.recoveredNode) throw new Missing();
  const range = nodeRange(inner);
  const body = inner.name === 'handlerMember' ? node(inner, 'body') : undefined;
  checkRepaired(ctx, range.startOffset, body ? nodeRange(body).startOffset : range.endOffset);
  switch (inner.name) {
    case 'optionMember': return optionMember(inner, range, ctx);
    case 'namedValue': return { kind: 'const', ...namedValue(inner, ctx), range };
    case 'messageMember': {
      if (token(inner, 'LCurly')) need(token(inner, 'RCurly'));
      const fields = nodes(inner, 'field').flatMap(optional((f): A.MessageField => ({ name: name(need(token(f, 'name'))), type: typeRef(need(node(f, 'type'))), range: nodeRange(f) })));
      return { kind: 'message', name: declared(need(token(inner, 'name')), ctx), fields, range };
    }
    case 'stateMember':
      return {
        kind: 'state',
        durability: need(token(inner, 'word')).image === 'stable' ? 'stable' : 'var',
        name: declared(need(token(inner, 'name')), ctx),
        type: typeRef(need(node(inner, 'type'))),
        initial: expression(need(node(inner, 'initial'))),
        range,
      };
    case 'fnMember':
      need(token(inner, 'RParen'));
      return {
        kind: 'fn',
        name: declared(need(token(inner, 'name')), ctx),
        params: nodes(inner, 'param').map((p) => ({ name: declared(need(token(p, 'name')), ctx), type: typeRef(need(node(p, 'type'))), range: nodeRange(p) })),
        result: typeRef(need(node(inner, 'result'))),
        body: expression(need(node(inner, 'body'))),
        range,
      };
    default: return handler(inner, range, ctx);
  }
}

const MEMBER_TEXT = 'a protocol member: option, const, message, stable, var, fn or on';
const STATEMENT_TEXT = 'a statement: NAME = value, let, if, for, send, broadcast, reply, timer, cancel, note, clock.step or clock.slew';

/**
 * The message for a token that begins no member or statement: the word it
 * most plausibly misspells when there is one, and what may be written there.
 */
export function unexpectedWord(found: IToken, where: 'member' | 'statement'): string {
  const words: readonly string[] = where === 'member' ? MEMBER_WORDS : STATEMENT_START_WORDS;
  const what = where === 'member' ? MEMBER_TEXT : STATEMENT_TEXT;
  const meant = found.tokenType === Identifier ? closestName(found.image, words) : undefined;
  const shown = found.image.length > 24 ? `${found.image.slice(0, 24)}…` : found.image;
  return meant ? `unknown word '${shown}': did you mean '${meant}'? (${what})` : `unexpected '${shown}': expected ${what}`;
}

/** A name a protocol declares or binds: a keyword there is reported (DS114) and kept, so the declaration is not lost. */
function declared(t: IToken, ctx: BuildContext): A.Name {
  if (t.tokenType !== Identifier) ctx.report(diagnostic('DS114', `'${t.image}' is a keyword and cannot be used as a name; pick another name`, tokenRange(t)));
  return name(t);
}

/** `const NAME [: T] = e` and `let NAME [: T] = e`: one rule, a member or a statement by where it stands. */
function namedValue(n: CstNode, ctx: BuildContext): { name: A.Name; type?: A.TypeRef; value: Expr } {
  const type = node(n, 'type');
  return { name: declared(need(token(n, 'name')), ctx), ...(type ? { type: typeRef(type) } : {}), value: expression(need(node(n, 'value'))) };
}

function optionMember(n: CstNode, range: SourceRange, ctx: BuildContext): A.OptionMember {
  const choices = (n.children['choice'] ?? []).filter(isToken).map((t) => ({ value: unquote(t.image), range: tokenRange(t) }));
  const defaults = nodes(n, 'default');
  return {
    kind: 'option',
    name: declared(need(token(n, 'name')), ctx),
    optionKind: (n.children['kindWord'] ?? []).filter(isToken).map(name),
    ...(choices.length > 0 ? { choices } : {}),
    ...(defaults.length > 0 ? { defaultValue: defaults.map(optionValue) } : {}),
    range,
  };
}

function handler(n: CstNode, range: SourceRange, ctx: BuildContext): A.HandlerMember {
  const trigger = handlerTrigger(need(node(n, 'trigger')), ctx);
  const guardNode = node(n, 'guard');
  let guard: Expr | undefined;
  if (guardNode) {
    guard = expression(guardNode);
    if (trigger.kind !== 'message') {
      const when = need(token(n, 'when'));
      ctx.report(diagnostic('DS102', `'when' guards a message handler only; 'on ${trigger.kind === 'start' ? 'start' : 'timer'}' always runs: move the condition into an 'if' in the body`, spanRanges(tokenRange(when), guard.range)));
      guard = undefined;
    }
  }
  return { kind: 'handler', trigger, ...(guard ? { guard } : {}), body: block(need(node(n, 'body')), ctx), range };
}

function handlerTrigger(n: CstNode, ctx: BuildContext): A.HandlerTrigger {
  const range = nodeRange(n);
  if (token(n, 'start')) return { kind: 'start', range };
  const timer = token(n, 'timer');
  if (timer) return { kind: 'timer', timer: declared(timer, ctx), range };
  if (token(n, 'LParen')) need(token(n, 'RParen'));
  const payload = token(n, 'payload');
  const sender = token(n, 'sender');
  return { kind: 'message', message: name(need(token(n, 'message'))), ...(payload ? { payload: declared(payload, ctx) } : {}), ...(sender ? { sender: declared(sender, ctx) } : {}), range };
}

function block(n: CstNode, ctx: BuildContext): A.Block {
  if (n.recoveredNode) throw new Missing();
  need(token(n, 'RCurly'));
  return { statements: nodes(n, 'statement').flatMap(optional((s) => statement(s, ctx))), range: nodeRange(n) };
}

function statement(n: CstNode, ctx: BuildContext): A.ProtoStmt {
  const inner = need(firstChild(n, isNode));
  if (inner.recoveredNode) throw new Missing();
  const range = nodeRange(inner);
  const body = inner.name === 'ifStmt' ? node(inner, 'then') : inner.name === 'forStmt' ? node(inner, 'body') : undefined;
  checkRepaired(ctx, range.startOffset, body ? nodeRange(body).startOffset : range.endOffset);
  switch (inner.name) {
    case 'assignStmt': return { kind: 'assign', target: assignTarget(inner), value: expression(need(node(inner, 'value'))), range };
    case 'namedValue': return { kind: 'let', ...namedValue(inner, ctx), range };
    case 'ifStmt': return ifStmt(inner, ctx);
    case 'forStmt':
      return { kind: 'for', variable: declared(need(token(inner, 'variable')), ctx), over: expression(need(node(inner, 'over'))), body: block(need(node(inner, 'body')), ctx), range };
    case 'sendStmt': return { kind: 'send', value: messageValue(need(node(inner, 'value'))), to: expression(need(node(inner, 'target'))), range };
    case 'replyStmt': return { kind: need(token(inner, 'verb')).image as 'broadcast' | 'reply', value: messageValue(need(node(inner, 'value'))), range };
    case 'timerStmt': return { kind: 'timer', timer: declared(need(token(inner, 'timer')), ctx), after: expression(need(node(inner, 'after'))), range };
    case 'cancelStmt': return { kind: 'cancel', timer: declared(need(token(inner, 'timer')), ctx), range };
    case 'noteStmt': return { kind: 'note', parts: noteParts(need(token(inner, 'text')), ctx.report), range };
    default: {
      need(token(inner, 'RParen'));
      return { kind: 'clock', action: need(token(inner, 'action')).image as 'step' | 'slew', amount: expression(need(node(inner, 'amount'))), range };
    }
  }
}

function ifStmt(n: CstNode, ctx: BuildContext): A.ProtoStmt {
  const elseIf = node(n, 'elseIf');
  const elseBlock = node(n, 'else');
  let otherwise: A.Block | undefined;
  if (elseIf) {
    // `else if …` is an else block holding one `if`: the AST has one way to say it.
    const nested = ifStmt(elseIf, ctx);
    otherwise = { statements: [nested], range: nested.range };
  } else if (elseBlock) otherwise = block(elseBlock, ctx);
  return { kind: 'if', cond: expression(need(node(n, 'cond'))), then: block(need(node(n, 'then')), ctx), ...(otherwise ? { else: otherwise } : {}), range: nodeRange(n) };
}

/** `x`, `rec.field`, `log[i]`, `m[k].f`: the steps in source order (the CST keeps them by label). */
function assignTarget(n: CstNode): Expr {
  const first = need(token(n, 'target'));
  let target: Expr = { kind: 'name', name: name(first), range: tokenRange(first) };
  const steps = (n.children['step'] ?? []).filter(isToken);
  const fields = (n.children['field'] ?? []).filter(isToken);
  const indexes = nodes(n, 'index');
  const closes = (n.children['RBracket'] ?? []).filter(isToken);
  let f = 0;
  let i = 0;
  for (const step of steps) {
    if (step.tokenType.name === 'Dot') {
      const field = need(fields[f++]);
      target = { kind: 'field', target, name: name(field), range: spanRanges(target.range, tokenRange(field)) };
    } else {
      const index = expression(need(indexes[i]));
      const close = need(closes[i++]);
      if (!Number.isFinite(close.startOffset) || close.isInsertedInRecovery) throw new Missing();
      target = { kind: 'index', target, index, range: spanRanges(target.range, tokenRange(close)) };
    }
  }
  return target;
}

function messageValue(n: CstNode): A.MessageValue {
  if (token(n, 'LCurly')) need(token(n, 'RCurly'));
  const fields = nodes(n, 'field').map((f) => ({ name: name(need(token(f, 'name'))), value: expression(need(node(f, 'value'))), range: nodeRange(f) }));
  return { message: name(need(token(n, 'message'))), fields, range: nodeRange(n) };
}

/** A type as written, with its canonical text (the spacing `parseTypeText` and `typeToString` use). */
export function typeRef(n: CstNode): A.TypeRef {
  return { text: typeText(n), range: nodeRange(n) };
}

function typeText(n: CstNode): string {
  if (n.recoveredNode) throw new Missing();
  const optionalMark = token(n, 'optional') ? '?' : '';
  const choices = (n.children['choice'] ?? []).filter(isToken);
  if (choices.length > 0) return `${choices.map((t: IToken) => t.image).join(' | ')}${optionalMark}`;
  const typeName = token(n, 'name');
  if (!typeName) {
    need(token(n, 'RCurly'));
    const fields = nodes(n, 'field').map((f) => `${need(token(f, 'name')).image}: ${typeText(need(node(f, 'type')))}`);
    return `${fields.length > 0 ? `{ ${fields.join(', ')} }` : '{}'}${optionalMark}`;
  }
  const args = nodes(n, 'arg');
  if (args.length === 0) return `${typeName.image}${optionalMark}`;
  need(token(n, 'Greater'));
  return `${typeName.image}<${args.map(typeText).join(', ')}>${optionalMark}`;
}
