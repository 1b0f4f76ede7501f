import type { SourceRange } from '../source';
import { childrenOf, formulaExprs, type Expr, type ExprName } from '../expr/ast';
import type * as A from '../syntax/ast';

/** One place a written protocol's name is written: `symbol` identifies what it names. */
export interface ProtocolOccurrence {
  /** Unique per declared thing, e.g. `leader_election state term`, a local by its declaration's offset. */
  readonly symbol: string;
  readonly name: string;
  readonly range: SourceRange;
  readonly declaration: boolean;
}

interface Binding { readonly symbol: string; readonly message?: string }
type Scope = readonly ReadonlyMap<string, Binding>[];

/**
 * Every place a written protocol's own names are written: the protocol (its
 * declaration, bindings `nodes … run NAME`, quantifiers `forall a in NAME`),
 * options, consts, state, fns and their parameters, messages and their
 * fields, timers, handler payload and sender names, and `let`/`for` locals
 * and quantifier variables by scope. Names are resolved the way the checker
 * does: innermost local first, then the protocol's members. Property reads in
 * invariants and expectations (`a.term`) count for the state variable when
 * exactly one protocol of the file declares it.
 */
export function protocolOccurrences(file: A.DsyncFile): ProtocolOccurrence[] {
  const out: ProtocolOccurrence[] = [];
  const protocols = file.statements.filter((s): s is A.ProtocolDecl => s.kind === 'protocol');
  for (const p of protocols) new ProtocolWalker(p, out).walk();
  const byName = new Map(protocols.map((p) => [p.name.text, p]));
  const stateOwners = new Map<string, string[]>();
  for (const p of protocols) for (const m of p.members) if (m.kind === 'state') stateOwners.set(m.name.text, [...(stateOwners.get(m.name.text) ?? []), p.name.text]);
  const propertyExpr = (e: Expr, bound: ReadonlySet<string>): void => {
    if (e.kind === 'name' && !bound.has(e.name.text) && byName.has(e.name.text)) out.push({ symbol: `${e.name.text} protocol`, name: e.name.text, range: e.name.range, declaration: false });
    if (e.kind === 'field' && (e.target.kind === 'name')) {
      const owners = stateOwners.get(e.name.text);
      if (owners?.length === 1) out.push({ symbol: `${owners[0]} value ${e.name.text}`, name: e.name.text, range: e.name.range, declaration: false });
    }
    const inner = e.kind === 'quantifier' ? new Set([...bound, ...e.variables.map((v) => v.text)]) : e.kind === 'call' && e.comprehension ? new Set([...bound, e.comprehension.variable.text]) : bound;
    for (const c of childrenOf(e)) propertyExpr(c, e.kind === 'quantifier' && c === e.over ? bound : inner);
  };
  for (const s of file.statements) {
    if (s.kind === 'nodes' && s.protocol && byName.has(s.protocol.name.text)) out.push({ symbol: `${s.protocol.name.text} protocol`, name: s.protocol.name.text, range: s.protocol.name.range, declaration: false });
    if (s.kind === 'invariant' && s.formula) formulaExprs(s.formula).forEach((e) => propertyExpr(e, new Set()));
    if (s.kind === 'expect') propertyExpr(s.condition, new Set());
  }
  return out;
}

class ProtocolWalker {
  private readonly id: string;
  private readonly members = new Map<string, Binding>();

  constructor(private readonly p: A.ProtocolDecl, private readonly out: ProtocolOccurrence[]) {
    this.id = p.name.text;
  }

  walk(): void {
    const p = this.p;
    this.add(`${this.id} protocol`, p.name, true);
    const timerDeclared = new Set<string>();
    for (const m of p.members) {
      if (m.kind === 'message') {
        this.add(this.messageSymbol(m.name.text), m.name, true);
        for (const f of m.fields) this.add(this.fieldSymbol(m.name.text, f.name.text), f.name, true);
      } else if (m.kind !== 'handler') {
        this.members.set(m.name.text, { symbol: `${this.id} value ${m.name.text}` });
        this.add(`${this.id} value ${m.name.text}`, m.name, true);
      } else if (m.trigger.kind === 'timer' && !timerDeclared.has(m.trigger.timer.text)) {
        // A timer has no declaration of its own: its handler stands for one.
        timerDeclared.add(m.trigger.timer.text);
        this.add(this.timerSymbol(m.trigger.timer.text), m.trigger.timer, true);
      } else if (m.trigger.kind === 'timer') this.add(this.timerSymbol(m.trigger.timer.text), m.trigger.timer, false);
    }
    const top: Scope = [this.members];
    for (const m of this.p.members) {
      switch (m.kind) {
        case 'const': this.expr(m.value, top); break;
        case 'state': this.expr(m.initial, top); break;
        case 'fn': {
          const params = new Map<string, Binding>();
          for (const param of m.params) params.set(param.name.text, this.declareLocal(param.name));
          this.expr(m.body, [...top, params]);
          break;
        }
        case 'handler': this.handler(m, top); break;
        default: break;
      }
    }
  }

  private handler(h: A.HandlerMember, top: Scope): void {
    const frame = new Map<string, Binding>();
    const t = h.trigger;
    if (t.kind === 'message') {
      this.add(this.messageSymbol(t.message.text), t.message, false);
      if (t.payload) frame.set(t.payload.text, { ...this.declareLocal(t.payload), message: t.message.text });
      if (t.sender) frame.set(t.sender.text, this.declareLocal(t.sender));
    }
    const scope = [...top, frame];
    if (h.guard) this.expr(h.guard, scope);
    this.block(h.body, scope);
  }

  private block(b: A.Block, outer: Scope): void {
    const frame = new Map<string, Binding>();
    const scope = [...outer, frame];
    for (const s of b.statements) {
      switch (s.kind) {
        case 'assign': this.expr(s.target, scope); this.expr(s.value, scope); break;
        case 'let': this.expr(s.value, scope); frame.set(s.name.text, this.declareLocal(s.name)); break;
        case 'if': this.expr(s.cond, scope); this.block(s.then, scope); if (s.else) this.block(s.else, scope); break;
        case 'for': this.expr(s.over, scope); this.block(s.body, [...scope, new Map([[s.variable.text, this.declareLocal(s.variable)]])]); break;
        case 'send': this.messageValue(s.value, scope); this.expr(s.to, scope); break;
        case 'broadcast':
        case 'reply': this.messageValue(s.value, scope); break;
        case 'timer': this.add(this.timerSymbol(s.timer.text), s.timer, false); this.expr(s.after, scope); break;
        case 'cancel': this.add(this.timerSymbol(s.timer.text), s.timer, false); break;
        case 'note': for (const part of s.parts) if ('expr' in part) this.expr(part.expr, scope); break;
        case 'clock': this.expr(s.amount, scope); break;
      }
    }
  }

  private messageValue(v: A.MessageValue, scope: Scope): void {
    this.add(this.messageSymbol(v.message.text), v.message, false);
    for (const f of v.fields) {
      this.add(this.fieldSymbol(v.message.text, f.name.text), f.name, false);
      this.expr(f.value, scope);
    }
  }

  private expr(e: Expr, scope: Scope): void {
    switch (e.kind) {
      case 'name': {
        const b = resolve(scope, e.name.text);
        if (b) this.add(b.symbol, e.name, false);
        return;
      }
      case 'field': {
        this.expr(e.target, scope);
        const owner = e.target.kind === 'name' ? resolve(scope, e.target.name.text) : undefined;
        if (owner?.message) this.add(this.fieldSymbol(owner.message, e.name.text), e.name, false);
        return;
      }
      case 'call': {
        const b = e.target ? undefined : resolve(scope, e.callee.text);
        if (b) this.add(b.symbol, e.callee, false);
        if (e.target) this.expr(e.target, scope);
        e.args.forEach((a) => this.expr(a, scope));
        const c = e.comprehension;
        if (c) {
          this.expr(c.over, scope);
          const inner = [...scope, new Map([[c.variable.text, this.declareLocal(c.variable)]])];
          if (c.where) this.expr(c.where, inner);
          if (c.map) this.expr(c.map, inner);
        }
        return;
      }
      case 'quantifier': {
        this.expr(e.over, scope);
        const frame = new Map(e.variables.map((v) => [v.text, this.declareLocal(v)]));
        this.expr(e.body, [...scope, frame]);
        return;
      }
      default:
        for (const c of childrenOf(e)) this.expr(c, scope);
    }
  }

  private declareLocal(n: ExprName): Binding {
    const symbol = `${this.id} local ${n.range.startOffset}`;
    this.add(symbol, n, true);
    return { symbol };
  }

  private messageSymbol(m: string): string { return `${this.id} message ${m}`; }
  private fieldSymbol(m: string, f: string): string { return `${this.id} message ${m} field ${f}`; }
  private timerSymbol(t: string): string { return `${this.id} timer ${t}`; }

  private add(symbol: string, n: ExprName, declaration: boolean): void {
    this.out.push({ symbol, name: n.text, range: n.range, declaration });
  }
}

function resolve(scope: Scope, name: string): Binding | undefined {
  for (let i = scope.length - 1; i >= 0; i--) {
    const b = scope[i]!.get(name);
    if (b) return b;
  }
  return undefined;
}
