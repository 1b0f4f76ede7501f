import { compileInFrame, type Frame, type FrameFn } from '../expr/compile';
import { elementsOf } from '../expr/operations';
import type { ExprReader } from '../expr/reader';
import type { Type } from '../expr/types';
import { ExprRuntimeError, formatValue, type Value } from '../expr/values';
import type { SourceRange } from '../source';
import type { CHandler, CStmt, PathStep } from './checkedStmt';
import type { MessageDecl } from './declarations';

/**
 * What compiled statements act on: the running node (runtime.ts). It is
 * also the expressions' reader, so one object serves both.
 */
export interface Machine extends ExprReader {
  /** The statement running now: a run-time error is reported on its line. */
  current: CStmt | undefined;
  /** Counts statements and loop iterations of the running handler (see MAX_HANDLER_STEPS). */
  tick(): void;
  send(to: 'node' | 'broadcast' | 'reply', target: string | undefined, message: MessageDecl, payload: { readonly [field: string]: Value }, range: SourceRange): void;
  setTimer(name: string, delay: number, range: SourceRange): void;
  cancelTimer(name: string): void;
  note(text: () => string, range: SourceRange): void;
  clock(action: 'step' | 'slew', amount: number): void;
}

export type Stmt = (m: Machine, f: Frame) => void;

export interface CompiledHandler {
  readonly source: CHandler;
  readonly guard: FrameFn | undefined;
  /** What a failure in the guard is reported as (`on Vote's guard`). */
  readonly guardEvent: string;
  readonly body: Stmt;
}

/**
 * Compiles a checked handler once into closures: each statement becomes one
 * closure over its compiled expressions and its children's closures, so
 * running a handler walks no tree. No JavaScript is generated from the
 * user's text.
 */
export function compileHandler(h: CHandler): CompiledHandler {
  return { source: h, guard: h.guard ? compileInFrame(h.guard) : undefined, guardEvent: `${h.title}'s guard`, body: block(h.body) };
}

function block(stmts: readonly CStmt[]): Stmt {
  const compiled = stmts.map(statement);
  if (compiled.length === 1) return compiled[0]!;
  return (m, f) => {
    for (let i = 0; i < compiled.length; i++) compiled[i]!(m, f);
  };
}

function statement(s: CStmt): Stmt {
  const run = body(s);
  return (m, f) => {
    m.current = s;
    m.tick();
    run(m, f);
  };
}

function body(s: CStmt): Stmt {
  switch (s.k) {
    case 'let': {
      const slot = s.slot;
      const value = compileInFrame(s.value);
      return (m, f) => void (f[slot] = value(m, f));
    }
    case 'assign': {
      const slot = s.slot;
      const value = compileInFrame(s.value);
      if (s.path.length === 0) return (m, f) => void (f[slot] = value(m, f));
      const steps = s.path.map(compileStep);
      const range = s.range;
      if (steps.length === 1) {
        // `m[k] = v`, `r.f = v`: the one key, without a list of keys.
        const step = steps[0]!;
        const index = step.index;
        const name = step.name!;
        return (m, f) => {
          const key = index ? index(m, f) : name;
          const v = value(m, f);
          f[slot] = updateAt(f[slot]!, step, key, v, range, steps, ONE_KEY, 0);
        };
      }
      return (m, f) => {
        const keys = steps.map((step) => (step.index ? step.index(m, f) : step.name!));
        const v = value(m, f);
        f[slot] = update(f[slot]!, steps, keys, 0, v, range);
      };
    }
    case 'if': {
      const cond = compileInFrame(s.cond);
      const then = block(s.then);
      const otherwise = block(s.else);
      return (m, f) => (cond(m, f) === true ? then(m, f) : otherwise(m, f));
    }
    case 'for': {
      const over = compileInFrame(s.over);
      const type = s.over.type;
      const slot = s.slot;
      const loop = block(s.body);
      const self = s;
      return (m, f) => {
        const items = elementsOf(over(m, f), type);
        for (let i = 0; i < items.length; i++) {
          m.current = self;
          m.tick();
          f[slot] = items[i]!;
          loop(m, f);
        }
      };
    }
    case 'send': {
      const target = s.target ? compileInFrame(s.target) : undefined;
      const fields = s.fields.map(([name, v]) => [name, compileInFrame(v)] as const);
      const message = s.message;
      const to = s.to;
      const range = s.range;
      const names = fields.map(([name]) => name);
      const values = fields.map(([, v]) => v);
      return (m, f) => {
        const payload: { [field: string]: Value } = {};
        for (let i = 0; i < names.length; i++) setOwn(payload, names[i]!, values[i]!(m, f));
        m.send(to, target ? (target(m, f) as string) : undefined, message, payload, range);
      };
    }
    case 'timer': {
      const after = compileInFrame(s.after);
      const name = s.name;
      const range = s.range;
      return (m, f) => m.setTimer(name, after(m, f) as number, range);
    }
    case 'cancel': {
      const name = s.name;
      return (m) => m.cancelTimer(name);
    }
    case 'note': {
      const parts = s.parts.map((p) => (typeof p === 'string' ? p : { value: compileInFrame(p), type: p.type }));
      const range = s.range;
      return (m, f) => {
        // Values now (an error in one is an error whether or not the run records), text only when wanted.
        const values = parts.map((p) => (typeof p === 'string' ? p : p.value(m, f)));
        m.note(() => values.map((v, i) => { const p = parts[i]!; return typeof p === 'string' ? p : noteText(v, p.type); }).join(''), range);
      };
    }
    case 'clock': {
      const amount = compileInFrame(s.amount);
      const action = s.action;
      return (m, f) => m.clock(action, amount(m, f) as number);
    }
  }
}

function noteText(v: Value, type: Type): string {
  return typeof v === 'string' ? v : formatValue(v, type);
}

interface CompiledStep {
  readonly name?: string;
  readonly index?: FrameFn;
  readonly on?: 'list' | 'map';
}

function compileStep(p: PathStep): CompiledStep {
  return p.k === 'field' ? { name: p.name } : { index: compileInFrame(p.index), on: p.on };
}

/**
 * The value `cur` with the part that `steps[i…]` lead to replaced by `v`:
 * new objects and arrays along the path, everything else shared (values are
 * immutable, so sharing is safe). A map entry assigned for the first time is
 * added, keeping the keys sorted (maps are objects with sorted keys).
 */
function update(cur: Value, steps: readonly CompiledStep[], keys: readonly Value[], i: number, v: Value, range: SourceRange): Value {
  if (i === steps.length) return v;
  return updateAt(cur, steps[i]!, keys[i]!, v, range, steps, keys, i);
}

/** No keys after the first: for a path of one step. */
const ONE_KEY: readonly Value[] = [];

/** update() at step i, whose key is `key` (the keys after it are keys[i + 1…]). */
function updateAt(cur: Value, step: CompiledStep, key: Value, v: Value, range: SourceRange, steps: readonly CompiledStep[], keys: readonly Value[], i: number): Value {
  if (step.on === 'list') {
    const list = cur as readonly Value[];
    const at = key as number;
    if (at < 0 || at >= list.length) throw new ExprRuntimeError(`list index ${at} is out of range: the list has ${list.length} entr${list.length === 1 ? 'y' : 'ies'} (indices count from 0; add with l = l + [x])`, range);
    const copy = list.slice();
    copy[at] = update(list[at]!, steps, keys, i + 1, v, range);
    return copy;
  }
  const obj = cur as { readonly [k: string]: Value };
  const name = step.on === 'map' ? String(key) : (key as string);
  const has = Object.prototype.hasOwnProperty.call(obj, name);
  if (!has && i + 1 < steps.length) throw new ExprRuntimeError(`the map has no key ${JSON.stringify(key)}; set the entry first, or test 'k in m'`, range);
  const next = update(has ? obj[name]! : null, steps, keys, i + 1, v, range);
  if (has) {
    // The same keys in the same order: a copy with one value replaced (spread defines own properties, even `__proto__`).
    const copy: { [k: string]: Value } = { ...obj };
    setOwn(copy, name, next);
    return copy;
  }
  const out: { [k: string]: Value } = {};
  if (step.on !== 'map') {
    for (const k of Object.keys(obj)) setOwn(out, k, obj[k]!);
    setOwn(out, name, next);
    return out;
  }
  const all = [...Object.keys(obj), name].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const k of all) setOwn(out, k, k === name ? next : obj[k]!);
  return out;
}

/** Sets an own property, even `__proto__` (a map key from user data must never reach the prototype). */
export function setOwn(o: { [k: string]: Value }, key: string, value: Value): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}
