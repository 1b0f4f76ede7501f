import type { Checked } from '../expr/checked';
import { overBudget } from '../expr/compile';
import { EVALUATION_STEP_BUDGET } from '../expr/limits';
import { callFunction, compareOp, elementsOf, indexInto, member, arithmetic, rankOf } from '../expr/operations';
import type { ExprReader } from '../expr/reader';
import { lookup, type Scope } from '../expr/reference';
import { canonicalSet, ExprRuntimeError, type Value } from '../expr/values';
import { addForms, clockForm, constantForm, firstAtLeast, formValue, scaleForm, TRUE_TIME_CLOCK, type ClockPieces, type LinearForm } from './linearForm';

/**
 * Evaluates a property at one instant between two events, when the state is
 * fixed and only clock readings and true time move, and finds the next
 * instant its value can change.
 *
 * Numbers that depend on time are kept symbolic: a `TimeTerm` is the maximum
 * (or minimum) of linear forms over clock readings and true time (linearForm.ts):
 * `n.clock`, `n.offset`, `now`, sums and differences of them, multiples by a
 * constant, `abs`, and `min`/`max` over them (`max(n in nodes: n.clock) −
 * min(n in nodes: n.clock)` is the maximum over pairs of `a.clock − b.clock`).
 * Every comparison such a term takes part in is recorded as a few atoms
 * `form ≥ k` with their truth now. While no atom changes, the evaluation
 * takes the same path and gives the same value, so the property can change
 * only at the first instant some atom flips, which linearForm.firstAtLeast
 * solves exactly per clock piece.
 *
 * A time-dependent number anywhere else (in a set, divided, as a map key)
 * throws NotSolvable: the caller then falls back to a search by bisection.
 */
export class NotSolvable extends Error {}

/** At most this many linear forms in one term (a max over n² pairs of 70 clocks), and atoms in one evaluation. */
const MAX_FORMS = 5_000;
const MAX_ATOMS = 20_000;

class TimeTerm {
  constructor(readonly kind: 'max' | 'min', readonly forms: readonly LinearForm[]) {
    if (forms.length > MAX_FORMS) throw new NotSolvable(`more than ${MAX_FORMS} clock combinations`);
  }
  get single(): boolean {
    return this.forms.length === 1;
  }
}

type TimedValue = Value | TimeTerm;

/** `form ≥ k`, and whether it held at the instant of the evaluation. */
export interface Atom {
  readonly form: LinearForm;
  readonly k: number;
  readonly holds: boolean;
}

export interface TimedEvaluation {
  readonly value: Value;
  readonly atoms: readonly Atom[];
}

/**
 * The expression's value at true time `t`, read through `reader` (which must
 * read clocks at `t`, WorldReader.at), with the atoms it depends on.
 */
export function evaluateTimed(c: Checked, reader: ExprReader, pieces: ClockPieces, t: number): TimedEvaluation {
  const atoms: Atom[] = [];
  const value = new TimedEvaluator(reader, pieces, t, atoms).eval(c, undefined);
  if (value instanceof TimeTerm) throw new NotSolvable('a time value at the top');
  return { value, atoms };
}

/** The first instant in [from, to] at which some atom differs from what it was, or undefined. */
export function nextFlip(atoms: readonly Atom[], pieces: ClockPieces, from: number, to: number): number | undefined {
  let best: number | undefined;
  const seen = new Set<string>();
  for (const a of atoms) {
    const key = `${a.form.clocks.join()}|${a.form.coefs.join()}|${a.form.constant}|${a.k}|${a.holds}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const limit = best === undefined ? to : best - 1;
    // Integers: form ≥ k turns false where −form ≥ 1 − k.
    const at = a.holds ? firstAtLeast(scaleForm(a.form, -1), 1 - a.k, pieces, from, limit) : firstAtLeast(a.form, a.k, pieces, from, limit);
    if (at !== undefined) best = at;
  }
  return best;
}

class TimedEvaluator {
  /** The same budget of steps as compiled evaluation (compile.ts). */
  private left = EVALUATION_STEP_BUDGET;

  constructor(
    private readonly r: ExprReader,
    private readonly pieces: ClockPieces,
    private readonly t: number,
    private readonly atoms: Atom[],
  ) {}

  /** A plain value; a time term here cannot be followed. */
  private plain(c: Checked, scope: Scope | undefined): Value {
    const v = this.eval(c, scope);
    if (v instanceof TimeTerm) throw new NotSolvable(`a clock value used in '${c.op}'`);
    return v;
  }

  eval(c: Checked, scope: Scope | undefined): TimedValue {
    const r = this.r;
    const ev = (x: Checked, s: Scope | undefined = scope): TimedValue => this.eval(x, s);
    const plain = (x: Checked, s: Scope | undefined = scope): Value => this.plain(x, s);
    switch (c.op) {
      case 'const': return c.value;
      case 'slot': return lookup(scope, c.slot);
      case 'env': return c.name === 'now' ? new TimeTerm('max', [clockForm(TRUE_TIME_CLOCK)]) : r.variable(c.name);
      case 'prop': {
        const node = plain(c.target) as string;
        const index = r.nodeIndex(node);
        if (c.builtin && index >= 0 && c.name === 'clock') return new TimeTerm('max', [clockForm(index)]);
        if (c.builtin && index >= 0 && c.name === 'offset') return new TimeTerm('max', [addForms(clockForm(index), clockForm(TRUE_TIME_CLOCK, -1))]);
        if (c.builtin) {
          const arg = c.arg === undefined ? undefined : plain(c.arg);
          return r.builtin(index, c.name, arg === undefined ? undefined : c.arg!.type.k === 'node' ? r.nodeIndex(arg as string) : (arg as string));
        }
        const v = r.property(index, c.name);
        if (v === undefined) throw new ExprRuntimeError(`${node} has no '${c.name}' now (it has not started or is down)`, c.range);
        return v;
      }
      case 'set': return canonicalSet(c.items.map((i) => plain(i)));
      case 'list': return c.items.map((i) => plain(i));
      case 'record': return Object.fromEntries(c.fields.map(([name, v]) => [name, plain(v)]));
      case 'field': return (plain(c.target) as { readonly [k: string]: Value })[c.name] ?? null;
      case 'index': return indexInto(plain(c.target), plain(c.index), c.on, c.range);
      case 'neg': {
        const v = ev(c.operand);
        return v instanceof TimeTerm ? negate(v) : 0 - (v as number);
      }
      case 'not': return !plain(c.operand);
      case 'arith': {
        const a = ev(c.left);
        const b = ev(c.right);
        if (!(a instanceof TimeTerm) && !(b instanceof TimeTerm)) return arithmetic(c.fn, a, b, c.range);
        if (c.fn === '+') return add(a, b);
        if (c.fn === '-') return add(a, b instanceof TimeTerm ? negate(b) : -(b as number));
        if (c.fn === '*' && !(a instanceof TimeTerm)) return scale(b as TimeTerm, a as number);
        if (c.fn === '*' && !(b instanceof TimeTerm)) return scale(a as TimeTerm, b as number);
        throw new NotSolvable(`'${c.fn}' of a clock value`);
      }
      case 'cmp': {
        const a = ev(c.left);
        const b = ev(c.right);
        if (!(a instanceof TimeTerm) && !(b instanceof TimeTerm)) return compareOp(c.fn, a, b, rankOf(c.left.type.k === 'any' ? c.right.type : c.left.type, r));
        return this.compare(c.fn, add(a, b instanceof TimeTerm ? negate(b) : -(b as number)));
      }
      case 'logic': {
        const left = plain(c.left) === true;
        if (c.fn === 'and') return left && plain(c.right) === true;
        if (c.fn === 'or') return left || plain(c.right) === true;
        return !left || plain(c.right) === true;
      }
      case 'in': return member(plain(c.element), plain(c.collection), c.on);
      case 'if': return plain(c.cond) === true ? ev(c.then) : ev(c.else);
      case 'quantifier': {
        const items = elementsOf(plain(c.over), c.over.type);
        const want = c.fn === 'exists';
        const search = (depth: number, s: Scope | undefined): boolean => {
          if (depth === c.slots.length) return plain(c.body, s) === true;
          for (const item of items) {
            if (--this.left < 0) overBudget(c.range, `${c.fn} ${c.names.join(', ')}`);
            if (search(depth + 1, { slot: c.slots[depth]!, value: item, outer: s }) === want) return want;
          }
          return !want;
        };
        return search(0, scope);
      }
      case 'aggregate': {
        const items = elementsOf(plain(c.over), c.over.type);
        const bind = (item: Value): Scope => {
          if (--this.left < 0) overBudget(c.range, `${c.fn}(${c.name} in …)`);
          return { slot: c.slot, value: item, outer: scope };
        };
        if (c.fn === 'count') return items.filter((item) => plain(c.where!, bind(item)) === true).length;
        const values = items.map((item) => ev(c.map!, bind(item)));
        if (!values.some((v) => v instanceof TimeTerm)) return callFunction(c.fn === 'sum' ? 'sum' : c.fn, [values as Value[]], [], c.range, rankOf(c.type, r));
        if (values.length === 0) throw new ExprRuntimeError(`${c.fn} of an empty set`, c.range);
        return c.fn === 'sum' ? values.reduce((x, y) => add(x, y)) : extremeOf(c.fn, values);
      }
      case 'call': {
        const args = c.args.map((a) => ev(a));
        if (!args.some((a) => a instanceof TimeTerm)) return callFunction(c.fn, args as Value[], c.args.map((a) => a.type), c.range, rankOf(c.type, r));
        if ((c.fn === 'min' || c.fn === 'max') && args.length === 2) return extremeOf(c.fn, args);
        if (c.fn === 'abs' && args[0] instanceof TimeTerm && args[0].single) return new TimeTerm('max', [args[0].forms[0]!, scaleForm(args[0].forms[0]!, -1)]);
        throw new NotSolvable(`${c.fn}() of a clock value`);
      }
      // Protocol code only (a user fn, a random draw): never in a property.
      case 'user-call':
      case 'random':
        throw new NotSolvable(`'${c.op}' in a property`);
    }
  }

  /** `d fn 0` for a time term d, recording its atoms; its truth now. */
  private compare(fn: '==' | '!=' | '<' | '<=' | '>' | '>=', d: TimeTerm): boolean {
    // Integers: d < 0 ⇔ d ≤ −1 and d > 0 ⇔ d ≥ 1.
    switch (fn) {
      case '>=': return this.atLeast(d, 0);
      case '>': return this.atLeast(d, 1);
      case '<=': return this.atMost(d, 0);
      case '<': return this.atMost(d, -1);
      case '==': return this.atLeast(d, 0) && this.atMost(d, 0);
      case '!=': return !(this.atLeast(d, 0) && this.atMost(d, 0));
    }
  }

  /** d ≥ k: some form ≥ k for a max, every form for a min. */
  private atLeast(d: TimeTerm, k: number): boolean {
    let any = false;
    let all = true;
    for (const form of d.forms) {
      const holds = formValue(form, this.pieces, this.t) >= k;
      this.record(form, k, holds);
      any ||= holds;
      all &&= holds;
    }
    return d.kind === 'max' ? any : all;
  }

  private atMost(d: TimeTerm, k: number): boolean {
    return this.atLeast(negate(d), -k);
  }

  private record(form: LinearForm, k: number, holds: boolean): void {
    if (form.clocks.length === 0) return; // a constant never changes
    if (this.atoms.length >= MAX_ATOMS) throw new NotSolvable(`more than ${MAX_ATOMS} clock comparisons`);
    this.atoms.push({ form, k, holds });
  }
}

function asTerm(v: TimedValue): TimeTerm {
  return v instanceof TimeTerm ? v : new TimeTerm('max', [constantForm(v as number)]);
}

function negate(d: TimeTerm): TimeTerm {
  return new TimeTerm(d.kind === 'max' ? 'min' : 'max', d.forms.map((f) => scaleForm(f, -1)));
}

function scale(d: TimeTerm, k: number): TimeTerm {
  if (k >= 0) return new TimeTerm(d.kind, d.forms.map((f) => scaleForm(f, k)));
  return negate(new TimeTerm(d.kind, d.forms.map((f) => scaleForm(f, -k))));
}

/** a + b: a max plus a max is the max over pairs; a max plus a min has no such form. */
function add(x: TimedValue, y: TimedValue): TimeTerm {
  const a = asTerm(x);
  const b = asTerm(y);
  if (a.single) return new TimeTerm(b.kind, b.forms.map((f) => addForms(f, a.forms[0]!)));
  if (b.single) return new TimeTerm(a.kind, a.forms.map((f) => addForms(f, b.forms[0]!)));
  if (a.kind !== b.kind) throw new NotSolvable('a sum of a maximum and a minimum of clock values');
  if (a.forms.length * b.forms.length > MAX_FORMS) throw new NotSolvable(`more than ${MAX_FORMS} clock combinations`);
  return new TimeTerm(a.kind, a.forms.flatMap((f) => b.forms.map((g) => addForms(f, g))));
}

function extremeOf(fn: 'min' | 'max', values: readonly TimedValue[]): TimeTerm {
  const terms = values.map(asTerm);
  if (terms.some((t) => !t.single && t.kind !== fn)) throw new NotSolvable(`${fn === 'max' ? 'a maximum of minima' : 'a minimum of maxima'} of clock values`);
  return new TimeTerm(fn, terms.flatMap((t) => t.forms));
}
