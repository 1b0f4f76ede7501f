import { closestName } from '../check/suggest';
import { diagnostic, withFix } from '../diagnostics';
import type { Expr } from '../expr/ast';
import { checkedChildren, type Binding } from '../expr/check';
import type { Checked } from '../expr/checked';
import { assignable, BOOL, elementType, INT, TIME, typeToString, type Type } from '../expr/types';
import type { SourceRange } from '../source';
import type * as A from '../syntax/ast';
import type { CHandler, CStmt, PathStep, ReadName } from './checkedStmt';
import { coerce } from './coerce';
import type { Declarations, MessageDecl } from './declarations';
import { BUILTIN_NAMES, CLOCK_VARIABLES, lookup, type ProtocolScope, type SlotKind } from './environment';

/** What the statement checker learns about timers and messages across all handlers (for the warnings in usage.ts). */
export interface Usage {
  readonly timersSet: Set<string>;
  readonly timersUsed: Map<string, SourceRange>;
  readonly messagesSent: Set<string>;
}

const READ_ONLY: Partial<Record<SlotKind, string>> = {
  self: "'self' is this node",
  members: "'members' is the set of this protocol's nodes",
  option: 'an option (set where the protocol is bound)',
  const: 'a const',
  param: "a fn's parameter",
  payload: "the handler's message",
  sender: "the message's sender",
  for: "a 'for' variable",
  bound: 'a bound variable',
};

/** Checks one handler: its trigger, guard and body. Undefined when something in it failed to check. */
export function checkHandler(h: A.HandlerMember, decls: Declarations, ps: ProtocolScope, usage: Usage): CHandler | undefined {
  const before = ps.errorCount;
  const t = h.trigger;
  let scope = decls.scope;
  let message: MessageDecl | undefined;
  let payloadSlot: number | undefined;
  let senderSlot: number | undefined;
  let title = 'on start';
  if (t.kind === 'message') {
    message = decls.messages.get(t.message.text);
    if (!message) {
      reportUnknownMessage(t.message, [...decls.messages.keys()], ps);
      return undefined;
    }
    title = `on ${message.name}`;
    if (t.payload && bindable(t.payload, scope, ps)) {
      scope = ps.bind(t.payload, { kind: 'payload', type: message.type, range: t.payload.range }, scope);
      payloadSlot = scope.slot;
    }
    if (t.sender && bindable(t.sender, scope, ps)) {
      scope = ps.bind(t.sender, { kind: 'sender', type: { k: 'node' }, range: t.sender.range }, scope);
      senderSlot = scope.slot;
    }
  } else if (t.kind === 'timer') {
    title = `on timer ${t.timer.text}`;
    if (!usage.timersUsed.has(t.timer.text)) usage.timersUsed.set(t.timer.text, t.timer.range);
  }
  const guard = h.guard ? ps.check(h.guard, scope, 'pure', { type: BOOL, what: "'when'" }) : undefined;
  const body = new BlockChecker(ps, usage, t.kind === 'message', decls.messages).block(h.body, scope);
  if (ps.errorCount > before) return undefined;
  return {
    trigger: t.kind,
    name: t.kind === 'timer' ? t.timer.text : t.kind === 'message' ? message!.name : '',
    ...(message ? { message } : {}),
    ...(payloadSlot !== undefined ? { payloadSlot } : {}),
    ...(senderSlot !== undefined ? { senderSlot } : {}),
    ...(guard ? { guard } : {}),
    body,
    range: h.range,
    title,
  };
}

/** A local name may not hide a declared one or a name the language provides (DS195). */
function bindable(name: A.Name, scope: Binding | undefined, ps: ProtocolScope): boolean {
  const builtin = BUILTIN_NAMES.get(name.text);
  const taken = lookup(scope, name.text);
  if (!builtin && !taken) return true;
  const what = builtin ?? `already ${ps.slots.get(taken!.slot)?.kind ?? 'declared'} '${name.text}'`;
  ps.push(diagnostic('DS195', `'${name.text}' is ${what}; choose another name for this variable`, name.range));
  return false;
}

class BlockChecker {
  constructor(
    private readonly ps: ProtocolScope,
    private readonly usage: Usage,
    private readonly inMessageHandler: boolean,
    private readonly messages: ReadonlyMap<string, MessageDecl>,
  ) {}

  block(b: A.Block, scope: Binding | undefined): CStmt[] {
    const out: CStmt[] = [];
    let inner = scope;
    for (const s of b.statements) {
      if (s.kind === 'let') {
        const value = this.expr(s.value, inner);
        const declared = s.type ? this.ps.type(s.type) : undefined;
        if (!value || (s.type && !declared) || !bindable(s.name, inner, this.ps)) continue;
        const type = declared ?? value.type;
        if (!assignable(type, value.type)) {
          this.ps.push(diagnostic('DS180', `'${s.name.text}' is declared ${typeToString(type)}, but the value is ${typeToString(value.type)}`, s.value.range));
          continue;
        }
        inner = this.ps.bind(s.name, { kind: 'let', type, range: s.name.range }, inner);
        out.push({ k: 'let', slot: inner.slot, value: coerce(value, type), range: s.range, reads: reads([value], this.ps) });
        continue;
      }
      const c = this.statement(s, inner);
      if (c) out.push(c);
    }
    return out;
  }

  private expr(e: Expr, scope: Binding | undefined, expected?: { type: Type; what: string }): Checked | undefined {
    return this.ps.check(e, scope, 'handler', expected);
  }

  private statement(s: A.ProtoStmt, scope: Binding | undefined): CStmt | undefined {
    const range = s.range;
    switch (s.kind) {
      case 'let': return undefined; // handled by block()
      case 'assign': return this.assign(s.target, s.value, range, scope);
      case 'if': {
        const cond = this.expr(s.cond, scope, { type: BOOL, what: "'if'" });
        // `if voted_for != none { send … to voted_for }`: in the block, voted_for is a node.
        const then = this.block(s.then, this.ps.checker.narrow(s.cond, true, scope));
        const otherwise = s.else ? this.block(s.else, this.ps.checker.narrow(s.cond, false, scope)) : [];
        return cond && { k: 'if', cond, then, else: otherwise, range, reads: reads([cond], this.ps) };
      }
      case 'for': {
        const over = this.expr(s.over, scope);
        const element = over && elementType(over.type);
        if (over && !element) this.ps.push(diagnostic('DS180', `'for' ranges over a set, list or map (its keys), not ${typeToString(over.type)}`, s.over.range));
        if (!over || !element || !bindable(s.variable, scope, this.ps)) {
          this.block(s.body, scope);
          return undefined;
        }
        const inner = this.ps.bind(s.variable, { kind: 'for', type: element, range: s.variable.range }, scope);
        const body = this.block(s.body, inner);
        return { k: 'for', slot: inner.slot, over, body, range, reads: reads([over], this.ps) };
      }
      case 'send':
      case 'broadcast':
      case 'reply': {
        if (s.kind === 'reply' && !this.inMessageHandler) {
          this.ps.push(diagnostic('DS191', "'reply' answers the sender of the message being handled, so it is only allowed in 'on MESSAGE' handlers; use 'send M { … } to NODE'", range));
          return undefined;
        }
        const target = s.kind === 'send' ? this.expr(s.to, scope, { type: { k: 'node' }, what: "'send … to'" }) : undefined;
        // Sent, as far as the warnings go, even when the statement has an error.
        if (this.messages.has(s.value.message.text)) this.usage.messagesSent.add(s.value.message.text);
        const payload = this.message(s.value, scope);
        if (!payload || (s.kind === 'send' && !target)) return undefined;
        const to = s.kind === 'send' ? 'node' : s.kind;
        return { k: 'send', to, ...(target ? { target } : {}), message: payload.message, fields: payload.fields, range, reads: reads([...(target ? [target] : []), ...payload.fields.map(([, v]) => v)], this.ps) };
      }
      case 'timer': {
        this.usage.timersSet.add(s.timer.text);
        const after = this.expr(s.after, scope, { type: TIME, what: "'timer … after'" });
        return after && { k: 'timer', name: s.timer.text, after, range, reads: reads([after], this.ps) };
      }
      case 'cancel':
        if (!this.usage.timersUsed.has(s.timer.text)) this.usage.timersUsed.set(s.timer.text, s.timer.range);
        return { k: 'cancel', name: s.timer.text, range, reads: [] };
      case 'note': {
        const parts: (string | Checked)[] = [];
        let ok = true;
        for (const p of s.parts) {
          if ('text' in p) parts.push(p.text);
          else {
            const c = this.expr(p.expr, scope);
            if (c) parts.push(c);
            else ok = false;
          }
        }
        return ok ? { k: 'note', parts, range, reads: reads(parts.filter((p): p is Checked => typeof p !== 'string'), this.ps) } : undefined;
      }
      case 'clock': {
        const amount = this.expr(s.amount, scope, s.action === 'step' ? { type: TIME, what: 'clock.step' } : { type: INT, what: 'clock.slew (ppm)' });
        return amount && { k: 'clock', action: s.action, amount, range, reads: reads([amount], this.ps) };
      }
    }
  }

  /** `M { f: e, … }`: a declared message with each field once, of its type (optional fields may be left out). */
  private message(v: A.MessageValue, scope: Binding | undefined): { message: MessageDecl; fields: (readonly [string, Checked])[] } | undefined {
    const decls = this.messages.get(v.message.text);
    if (!decls) {
      reportUnknownMessage(v.message, [...this.messages.keys()], this.ps);
      for (const f of v.fields) this.expr(f.value, scope);
      return undefined;
    }
    const fields: (readonly [string, Checked])[] = [];
    let ok = true;
    const seen = new Map<string, SourceRange>();
    for (const f of v.fields) {
      const value = this.expr(f.value, scope);
      const declared = decls.fields.find((x) => x.name === f.name.text);
      if (!declared) {
        const close = closestName(f.name.text, decls.fields.map((x) => x.name));
        const d = diagnostic('DS189', `message ${decls.name} has no field '${f.name.text}'${close ? `; did you mean '${close}'?` : `; its fields: ${decls.fields.map((x) => x.name).join(', ') || 'none'}`}`, f.name.range);
        this.ps.push(close ? withFix(d, { title: `Change to '${close}'`, range: f.name.range, newText: close }) : d);
        ok = false;
        continue;
      }
      if (seen.has(f.name.text)) {
        this.ps.push(diagnostic('DS189', `field '${f.name.text}' is given twice`, f.name.range, [{ message: 'first given here', range: seen.get(f.name.text)! }]));
        ok = false;
        continue;
      }
      seen.set(f.name.text, f.name.range);
      if (!value) {
        ok = false;
        continue;
      }
      if (!assignable(declared.type, value.type)) {
        this.ps.push(diagnostic('DS180', `field '${f.name.text}' of ${decls.name} is ${typeToString(declared.type)}, not ${typeToString(value.type)}`, f.value.range));
        ok = false;
        continue;
      }
      fields.push([f.name.text, coerce(value, declared.type)]);
    }
    const missing = decls.fields.filter((x) => !seen.has(x.name) && x.type.k !== 'optional');
    if (missing.length > 0) {
      this.ps.push(diagnostic('DS189', `${decls.name} needs ${missing.map((x) => `'${x.name}: ${typeToString(x.type)}'`).join(', ')}: write ${decls.name} { ${decls.fields.map((x) => `${x.name}: …`).join(', ')} }`, v.range));
      ok = false;
    }
    // Optional fields left out are none.
    for (const x of decls.fields) if (!seen.has(x.name) && x.type.k === 'optional') fields.push([x.name, { op: 'const', value: null, type: x.type, range: v.range }]);
    return ok ? { message: decls, fields } : undefined;
  }

  /** `x = e`, `x.f = e`, `x[i] = e`: the root must be state or a `let` local; every step must fit its type. */
  private assign(target: Expr, value: Expr, range: SourceRange, scope: Binding | undefined): CStmt | undefined {
    const steps: Expr[] = [];
    let root = target;
    while (root.kind === 'field' || root.kind === 'index') {
      steps.unshift(root);
      root = root.target;
    }
    const checkedValue = this.expr(value, scope);
    if (root.kind !== 'name') {
      this.ps.push(diagnostic('DS190', 'only a state variable, a let variable, or a field or entry of one can be assigned', target.range));
      return undefined;
    }
    const name = root.name.text;
    const binding = lookup(scope, name);
    if (!binding) {
      if (CLOCK_VARIABLES.has(name)) this.ps.push(diagnostic('DS190', `'${name}' is ${BUILTIN_NAMES.get(name)}; the simulator keeps it${name === 'now' ? " (adjust the clock with 'clock.step(d)' or 'clock.slew(ppm)')" : ''}`, root.range));
      else this.ps.check(root, scope, 'handler'); // DS181 with a suggestion
      return undefined;
    }
    const info = this.ps.slots.get(binding.slot)!;
    const why = READ_ONLY[info.kind];
    if (why) {
      this.ps.push(diagnostic('DS190', `'${name}' is ${why}, so it cannot be assigned; only 'stable' and 'var' state and 'let' variables can`, root.range));
      return undefined;
    }
    // The binding's type: narrowed where a test against none holds (see ExprChecker.narrow).
    let type = binding.type;
    const path: PathStep[] = [];
    const indexReads: Checked[] = [];
    for (const step of steps) {
      if (step.kind === 'field') {
        const field = type.k === 'record' ? type.fields.find(([f]) => f === step.name.text) : undefined;
        if (!field) {
          this.ps.push(diagnostic('DS180', type.k === 'record' ? `no field '${step.name.text}' in ${typeToString(type)}` : `'.${step.name.text}' assigns a field of a record, not of ${typeToString(type)}`, step.name.range));
          return undefined;
        }
        path.push({ k: 'field', name: step.name.text });
        type = field[1];
      } else if (step.kind === 'index') {
        const index = this.expr(step.index, scope);
        if (!index) return undefined;
        if (type.k === 'list') {
          if (index.type.k !== 'int' && index.type.k !== 'any') return this.bad('a list index is an int', step.index.range, index.type);
          path.push({ k: 'index', index, on: 'list' });
          type = type.of;
        } else if (type.k === 'map') {
          if (!assignable(type.key, index.type)) return this.bad(`this map's keys are ${typeToString(type.key)}`, step.index.range, index.type);
          path.push({ k: 'index', index, on: 'map' });
          type = type.value;
        } else {
          return this.bad('[…] assigns an entry of a list or a map', step.range, type);
        }
        indexReads.push(index);
      }
    }
    if (!checkedValue) return undefined;
    if (!assignable(type, checkedValue.type)) {
      this.ps.push(diagnostic('DS180', `cannot assign ${typeToString(checkedValue.type)} to ${exprText(target)}, which is ${typeToString(type)}`, value.range));
      return undefined;
    }
    if (path.length === 0) this.ps.checkChoice(binding.slot, checkedValue);
    const rootRead: ReadName[] = path.length > 0 ? [{ name, slot: binding.slot, type: info.type }] : [];
    return { k: 'assign', slot: binding.slot, path, value: coerce(checkedValue, type), range, reads: [...rootRead, ...reads([...indexReads, checkedValue], this.ps)] };
  }

  private bad(what: string, range: SourceRange, got: Type): undefined {
    this.ps.push(diagnostic('DS180', `${what}, not ${typeToString(got)}`, range));
    return undefined;
  }
}

/** DS188 with the closest declared message type as a fix. */
export function reportUnknownMessage(name: A.Name, known: readonly string[], ps: ProtocolScope): void {
  const close = closestName(name.text, known);
  const d = diagnostic('DS188', `unknown message type '${name.text}'${close ? `; did you mean '${close}'?` : known.length ? `; declared: ${known.join(', ')}` : "; declare it: 'message NAME { field: type }'"}`, name.range);
  ps.push(close ? withFix(d, { title: `Change to '${close}'`, range: name.range, newText: close }) : d);
}

/** `log[i].term`, for messages. */
function exprText(e: Expr): string {
  if (e.kind === 'name') return e.name.text;
  if (e.kind === 'field') return `${exprText(e.target)}.${e.name.text}`;
  if (e.kind === 'index') return `${exprText(e.target)}[…]`;
  return 'this';
}

/** The distinct named slots the expressions read, in first-read order (for run-time error messages). */
function reads(exprs: readonly Checked[], ps: ProtocolScope): ReadName[] {
  const out: ReadName[] = [];
  const seen = new Set<number>();
  const visit = (c: Checked): void => {
    if (c.op === 'slot' && !seen.has(c.slot)) {
      const info = ps.slots.get(c.slot);
      seen.add(c.slot);
      if (info && info.kind !== 'bound') out.push({ name: c.name, slot: c.slot, type: c.type });
    }
    for (const child of checkedChildren(c)) visit(child);
  };
  exprs.forEach(visit);
  return out;
}
