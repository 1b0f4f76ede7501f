import type { OptionSpec } from '../check/options';
import { diagnostic, withFix, type Diagnostic } from '../diagnostics';
import type { ExprName } from '../expr/ast';
import { closestName } from '../check/suggest';
import { checkInScope, ExprChecker, type Binding } from '../expr/check';
import type { Checked, UserFunction } from '../expr/checked';
import type { ExprEnv, ExprReport } from '../expr/env';
import { INT, NODE, parseTypeText, setOf, TIME, type Type, TypeSyntaxError } from '../expr/types';
import type { SourceRange } from '../source';
import type * as A from '../syntax/ast';

/**
 * The names protocol code may use, and where each lives: every name a
 * protocol declares or the language provides is a frame slot (one frame per
 * node, see runtime.ts) handed out by the protocol's one expression checker,
 * except the node's clocks (`now`, `lamport`, `vc`, `hlc`), which are read
 * from the node's context when used.
 */
export type SlotKind = 'self' | 'members' | 'option' | 'const' | 'state' | 'param' | 'payload' | 'sender' | 'let' | 'for' | 'bound';

export interface SlotInfo {
  readonly kind: SlotKind;
  readonly name: string;
  readonly type: Type;
  /** Where it is declared (absent for `self` and `members`). */
  readonly range?: SourceRange;
}

/** Names the language provides in protocol code; no member may take them. */
export const BUILTIN_NAMES: ReadonlyMap<string, string> = new Map([
  ['self', 'this node'],
  ['members', 'the nodes that run this protocol instance, self included'],
  ['now', "this node's local clock reading"],
  ['lamport', "this node's Lamport clock (read-only)"],
  ['vc', "this node's vector clock, per node (read-only)"],
  ['hlc', "this node's hybrid logical clock { l, c } (read-only)"],
  ['random', "a draw from this node's random stream"],
  ['nodes', "not available in protocol code: use 'members'"],
]);

/** The node's clocks, read through the reader (ExprReader.variable) when used. */
export const CLOCK_VARIABLES: ReadonlyMap<string, { readonly type: Type; readonly doc: string }> = new Map([
  ['now', { type: TIME, doc: BUILTIN_NAMES.get('now')! }],
  ['lamport', { type: INT, doc: BUILTIN_NAMES.get('lamport')! }],
  ['vc', { type: { k: 'map', key: NODE, value: INT }, doc: BUILTIN_NAMES.get('vc')! }],
  ['hlc', { type: { k: 'record', fields: [['l', TIME], ['c', INT]] }, doc: BUILTIN_NAMES.get('hlc')! }],
]);

/**
 * One protocol's checking state: its checker (the frame slots), what each
 * slot is, the scope where every declared name is bound, and the
 * diagnostics so far.
 */
export class ProtocolScope {
  readonly checker: ExprChecker;
  readonly slots = new Map<number, SlotInfo>();
  /** Slots some checked expression reads (for DS194, state never read). */
  readonly reads = new Set<number>();
  readonly functions = new Map<string, UserFunction>();
  /** Every declared name with where it was declared first (DS112 for a second). */
  readonly declared = new Map<string, SourceRange>();
  scope: Binding | undefined;
  readonly env: ExprEnv;
  readonly handlerEnv: ExprEnv;

  constructor(readonly protocol: string, private readonly diagnostics: Diagnostic[]) {
    const base = { nodes: [] as string[], protocols: [], nodeProperties: [], variables: CLOCK_VARIABLES };
    this.env = { ...base, protocolCode: { functions: this.functions, random: false } };
    this.handlerEnv = { ...base, protocolCode: { functions: this.functions, random: true } };
    this.checker = new ExprChecker(this.env, this.report);
  }

  readonly report: ExprReport = (code, message, range, fix) => {
    this.push(fix ? withFix(diagnostic(code, message, range), { title: fix.title, range: fix.range ?? range, newText: fix.newText }) : diagnostic(code, message, range));
  };

  /** Errors reported so far (a declaration that added one is left out). */
  errorCount = 0;

  push(d: Diagnostic): void {
    if (d.severity === 'error') this.errorCount++;
    this.diagnostics.push(d);
  }

  /** Checks `e` in `scope` (handler bodies may call random; guards, consts, fns and initial values may not). */
  check(e: import('../expr/ast').Expr, scope: Binding | undefined, where: 'handler' | 'pure' | ExprEnv, expected?: { type: Type; what: string }): Checked | undefined {
    this.checker.env = where === 'handler' ? this.handlerEnv : where === 'pure' ? this.env : where;
    const c = checkInScope(this.checker, e, scope, expected);
    if (c) this.noteReads(c);
    return c;
  }

  /** Binds a name on top of `outer`, recording what it is. */
  bind(name: ExprName, info: Omit<SlotInfo, 'name'>, outer: Binding | undefined): Binding {
    const b = this.checker.bind(name, info.type, outer);
    this.slots.set(b.slot, { ...info, name: name.text });
    return b;
  }

  /** Declares a member name: DS195 for a name the language provides, DS112 for a second declaration. */
  declare(name: A.Name, what: string): boolean {
    const builtin = BUILTIN_NAMES.get(name.text);
    if (builtin) {
      this.push(diagnostic('DS195', `'${name.text}' is ${builtin} in protocol code; give this ${what} another name`, name.range));
      return false;
    }
    const first = this.declared.get(name.text);
    if (first) {
      this.push(diagnostic('DS112', `'${name.text}' is declared twice in protocol '${this.protocol}'; rename one`, name.range, [{ message: 'first declared here', range: first }]));
      return false;
    }
    this.declared.set(name.text, name.range);
    return true;
  }

  /** A type as written; DS196 and undefined when it does not read. */
  type(ref: A.TypeRef): Type | undefined {
    try {
      return parseTypeText(ref.text);
    } catch (e) {
      if (!(e instanceof TypeSyntaxError)) throw e;
      this.push(diagnostic('DS196', `${e.message}; types are int, bool, string, time (or duration), node, T?, set<T>, list<T>, map<K, V>, { field: T, … } and "a" | "b"`, ref.range));
      return undefined;
    }
  }

  /** State declared with a choice type (`"follower" | "leader"`), by slot: its values. */
  readonly choices = new Map<number, readonly string[]>();

  /**
   * A string that a choice-typed state variable can never hold (DS180 with a
   * suggestion): `role = "leadr"`, `role == "leadr"`. The type system reads a
   * choice as a string; this catches the typos it would let through.
   */
  checkChoice(slot: number, value: Checked): void {
    const choices = this.choices.get(slot);
    if (!choices || value.op !== 'const' || typeof value.value !== 'string' || choices.includes(value.value)) return;
    const close = closestName(value.value, choices);
    const info = this.slots.get(slot);
    const d = diagnostic('DS180', `"${value.value}" is not a value of '${info?.name ?? ''}': it is one of ${choices.map((c) => `"${c}"`).join(', ')}${close ? `; did you mean "${close}"?` : ''}`, value.range);
    this.push(close ? withFix(d, { title: `Change to "${close}"`, range: value.range, newText: JSON.stringify(close) }) : d);
  }

  /** Records the slots a checked expression reads, and checks its comparisons with choice-typed state. */
  noteReads(c: Checked): void {
    const stack: Checked[] = [c];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x.op === 'slot') this.reads.add(x.slot);
      if (x.op === 'cmp' && (x.fn === '==' || x.fn === '!=')) {
        if (x.left.op === 'slot') this.checkChoice(x.left.slot, x.right);
        if (x.right.op === 'slot') this.checkChoice(x.right.slot, x.left);
      }
      if (x.op === 'user-call' && x.fn.body) stack.push(x.fn.body);
      for (const child of childrenOf(x)) stack.push(child);
    }
  }
}

import { checkedChildren as childrenOf } from '../expr/check';

/** The binding a name resolves to in `scope`, if any. */
export function lookup(scope: Binding | undefined, name: string): Binding | undefined {
  for (let b = scope; b; b = b.outer) if (b.name === name) return b;
  return undefined;
}

/** The option schema entry and slot of each declared option, for the definition and the runtime. */
export interface DeclaredOption {
  readonly spec: OptionSpec;
  readonly slot: number;
  readonly toValue: (v: import('../check/options').OptionValueOut) => import('../expr/values').Value;
  readonly defaultValue: import('../expr/values').Value | undefined;
}

export const membersType: Type = setOf(NODE);
