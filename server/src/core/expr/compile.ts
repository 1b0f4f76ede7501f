import type { Checked, CheckedWithSource, UserFunction } from './checked';
import { arithmetic, callFunction, drawRandom, elementsOf, extreme, indexInto, member, rankOf, sizeOf } from './operations';
import { EVALUATION_STEP_BUDGET } from './limits';
import type { ExprReader } from './reader';
import { canonicalSet, checkedInt, ExprRuntimeError, valuesEqual, type Value } from './values';

/** A compiled expression: evaluates against the reader's current state. Throws ExprRuntimeError (DS205). */
export type Compiled = (reader: ExprReader) => Value;

/** The values of frame slots: bound variables (and, in protocol code, the node's state and locals). */
export type Frame = Value[];
/** A compiled expression over a frame the caller owns. */
export type FrameFn = (r: ExprReader, f: Frame) => Value;
type Fn = FrameFn;

/**
 * Compiles a checked expression once into nested closures: each operator
 * becomes one closure specialised by its operand types, so evaluating walks
 * no tree and dispatches on nothing. Bound variables live in one frame
 * array per compiled expression (evaluation is never re-entrant).
 * No JavaScript is generated from user text.
 */
export function compile(c: CheckedWithSource): Compiled {
  const fn = build(c.checked);
  const frame: Frame = new Array<Value>(c.slots).fill(null);
  return (r) => {
    meter.left = EVALUATION_STEP_BUDGET;
    return fn(r, frame);
  };
}

/**
 * What is left of the step budget of the evaluation under way (limits.ts
 * EVALUATION_STEP_BUDGET): one step per element a quantifier or aggregate
 * visits. One meter serves all, as evaluation is never re-entrant; each
 * compiled expression resets it when called from outside.
 */
const meter = { left: EVALUATION_STEP_BUDGET };

/** The budget ran out in this quantifier or aggregate. */
export function overBudget(range: Checked['range'], what: string): never {
  throw new ExprRuntimeError(`${what} took more than ${EVALUATION_STEP_BUDGET.toLocaleString('en-US')} evaluation steps in one check (one per element visited; nested quantifiers multiply): quantify over a smaller set (a protocol's nodes, a set expression), or use a built-in invariant`, range);
}

/**
 * Compiles a checked expression that reads the caller's frame (protocol
 * code: one frame per node holds its state, its handler's locals and every
 * slot the protocol's checker handed out).
 */
export function compileInFrame(c: Checked): FrameFn {
  const fn = build(c);
  return (r, f) => {
    meter.left = EVALUATION_STEP_BUDGET;
    return fn(r, f);
  };
}

/** Each fn's body compiled once, however many calls name it. */
const compiledFunctions = new WeakMap<UserFunction, Fn>();

function userFunction(fn: UserFunction): Fn {
  let body = compiledFunctions.get(fn);
  if (!body) {
    if (!fn.body) throw new Error(`fn '${fn.name}' was called before it was checked`);
    compiledFunctions.set(fn, (body = build(fn.body)));
  }
  return body;
}

function build(c: Checked): Fn {
  const range = c.range;
  switch (c.op) {
    case 'const': {
      const v = c.value;
      return () => v;
    }
    case 'slot': {
      const s = c.slot;
      return (_r, f) => f[s]!;
    }
    case 'env': {
      const name = c.name;
      return (r) => r.variable(name);
    }
    case 'prop': {
      const target = build(c.target);
      const name = c.name;
      if (c.builtin) {
        const arg = c.arg ? build(c.arg) : undefined;
        const argIsNode = c.arg?.type.k === 'node';
        return (r, f) => {
          const a = arg ? arg(r, f) : undefined;
          return r.builtin(r.nodeIndex(target(r, f) as string), name, a === undefined ? undefined : argIsNode ? r.nodeIndex(a as string) : (a as string));
        };
      }
      return (r, f) => {
        const node = target(r, f) as string;
        const v = r.property(r.nodeIndex(node), name);
        if (v === undefined) throw new ExprRuntimeError(`${node} has no '${name}' now (it has not started or is down)`, range);
        return v;
      };
    }
    case 'set':
    case 'list': {
      const items = c.items.map(build);
      if (items.length === 1) {
        // `{self}`, `[e]`: a set of one is canonical as it is.
        const only = items[0]!;
        return (r, f) => [only(r, f)];
      }
      return c.op === 'set' ? (r, f) => canonicalSet(items.map((i) => i(r, f))) : (r, f) => items.map((i) => i(r, f));
    }
    case 'record': {
      const fields = c.fields.map(([name, v]) => [name, build(v)] as const);
      return (r, f) => {
        const o: Record<string, Value> = {};
        for (const [name, v] of fields) o[name] = v(r, f);
        return o;
      };
    }
    case 'field': {
      const target = build(c.target);
      const name = c.name;
      return (r, f) => (target(r, f) as { readonly [k: string]: Value })[name] ?? null;
    }
    case 'index': {
      const target = build(c.target);
      const index = build(c.index);
      const on = c.on;
      return (r, f) => indexInto(target(r, f), index(r, f), on, range);
    }
    case 'neg': {
      const operand = build(c.operand);
      return (r, f) => 0 - (operand(r, f) as number);
    }
    case 'not': {
      const operand = build(c.operand);
      return (r, f) => !operand(r, f);
    }
    case 'arith': {
      const left = build(c.left);
      const right = build(c.right);
      const fn = c.fn;
      switch (fn) {
        case '+': return (r, f) => checkedInt((left(r, f) as number) + (right(r, f) as number), range);
        case '-': return (r, f) => checkedInt((left(r, f) as number) - (right(r, f) as number), range);
        default: return (r, f) => arithmetic(fn, left(r, f), right(r, f), range);
      }
    }
    case 'cmp': {
      const left = build(c.left);
      const right = build(c.right);
      const primitive = isPrimitive(c.left) && isPrimitive(c.right);
      if (c.fn !== '==' && c.fn !== '!=' && (c.left.type.k === 'node' || c.right.type.k === 'node')) {
        // Nodes by their declared position (names compared as text would put n10 before n2).
        const rank = (r: ExprReader, f: Frame, side: Fn): number => r.nodeIndex(side(r, f) as string);
        switch (c.fn) {
          case '<': return (r, f) => rank(r, f, left) < rank(r, f, right);
          case '<=': return (r, f) => rank(r, f, left) <= rank(r, f, right);
          case '>': return (r, f) => rank(r, f, left) > rank(r, f, right);
          case '>=': return (r, f) => rank(r, f, left) >= rank(r, f, right);
        }
      }
      switch (c.fn) {
        case '==': return primitive ? (r, f) => left(r, f) === right(r, f) : (r, f) => valuesEqual(left(r, f), right(r, f));
        case '!=': return primitive ? (r, f) => left(r, f) !== right(r, f) : (r, f) => !valuesEqual(left(r, f), right(r, f));
        case '<': return (r, f) => (left(r, f) as number) < (right(r, f) as number);
        case '<=': return (r, f) => (left(r, f) as number) <= (right(r, f) as number);
        case '>': return (r, f) => (left(r, f) as number) > (right(r, f) as number);
        case '>=': return (r, f) => (left(r, f) as number) >= (right(r, f) as number);
      }
      break;
    }
    case 'logic': {
      const left = build(c.left);
      const right = build(c.right);
      switch (c.fn) {
        case 'and': return (r, f) => left(r, f) === true && right(r, f) === true;
        case 'or': return (r, f) => left(r, f) === true || right(r, f) === true;
        case 'implies': return (r, f) => left(r, f) !== true || right(r, f) === true;
      }
      break;
    }
    case 'in': {
      const element = build(c.element);
      const collection = build(c.collection);
      const on = c.on;
      return (r, f) => member(element(r, f), collection(r, f), on);
    }
    case 'if': {
      const cond = build(c.cond);
      const then = build(c.then);
      const otherwise = build(c.else);
      return (r, f) => (cond(r, f) === true ? then(r, f) : otherwise(r, f));
    }
    case 'quantifier': return quantifier(c);
    case 'aggregate': return aggregate(c);
    case 'call': {
      const args = c.args.map(build);
      const types = c.args.map((a) => a.type);
      const fn = c.fn;
      if ((fn === 'min' || fn === 'max') && c.type.k === 'node') return (r, f) => callFunction(fn, args.map((a) => a(r, f)), types, range, rankOf(c.type, r));
      if (args.length === 1) {
        const only = args[0]!;
        if (fn === 'size') return (r, f) => sizeOf(only(r, f));
        return (r, f) => callFunction(fn, [only(r, f)], types, range);
      }
      if (args.length === 2) {
        // The frequent two-argument calls without an argument array (the same results as callFunction's).
        const [a, b] = args as [Fn, Fn];
        switch (fn) {
          case 'min': return (r, f) => { const x = a(r, f); const y = b(r, f); return (x as number) <= (y as number) ? x : y; };
          case 'max': return (r, f) => { const x = a(r, f); const y = b(r, f); return (x as number) >= (y as number) ? x : y; };
          case 'take': return (r, f) => { const l = a(r, f) as readonly Value[]; return l.slice(0, Math.max(0, b(r, f) as number)); };
          case 'skip': return (r, f) => { const l = a(r, f) as readonly Value[]; return l.slice(Math.max(0, b(r, f) as number)); };
          default: return (r, f) => { const x = a(r, f); return callFunction(fn, [x, b(r, f)], types, range); };
        }
      }
      return (r, f) => callFunction(fn, args.map((a) => a(r, f)), types, range);
    }
    case 'user-call': {
      const args = c.args.map(build);
      const slots = c.fn.params.map((p) => p.slot);
      const body = userFunction(c.fn);
      // Every argument first, then the parameters: an argument may call the same fn.
      if (args.length === 1) {
        const [a] = args as [Fn];
        const [s0] = slots as [number];
        return (r, f) => {
          f[s0] = a(r, f);
          return body(r, f);
        };
      }
      if (args.length === 2) {
        const [a, b] = args as [Fn, Fn];
        const [s0, s1] = slots as [number, number];
        return (r, f) => {
          const x = a(r, f);
          const y = b(r, f);
          f[s0] = x;
          f[s1] = y;
          return body(r, f);
        };
      }
      return (r, f) => {
        const values = args.map((a) => a(r, f));
        for (let i = 0; i < slots.length; i++) f[slots[i]!] = values[i]!;
        return body(r, f);
      };
    }
    case 'random': {
      const args = c.args.map(build);
      const from = c.from;
      if (args.length === 1) {
        const [a] = args as [Fn];
        return (r, f) => drawRandom(from, [a(r, f)], r, range);
      }
      return (r, f) => drawRandom(from, args.map((a) => a(r, f)), r, range);
    }
  }
  throw new Error('unreachable');
}

function isPrimitive(c: Checked): boolean {
  const k = c.type.k;
  return k === 'int' || k === 'time' || k === 'bool' || k === 'string' || k === 'node' || k === 'none';
}

function quantifier(c: Extract<Checked, { op: 'quantifier' }>): Fn {
  const over = build(c.over);
  const body = build(c.body);
  const slots = c.slots;
  const overType = c.over.type;
  const want = c.fn === 'exists';
  const range = c.range;
  const what = `${c.fn} ${c.names.join(', ')}`;
  // forall: the first element making the body false decides; exists: the first making it true.
  const loop = (r: ExprReader, f: Frame, items: readonly Value[], depth: number): boolean => {
    const slot = slots[depth]!;
    const last = depth === slots.length - 1;
    for (let i = 0; i < items.length; i++) {
      if (r.tick) r.tick();
      if (--meter.left < 0) overBudget(range, what);
      f[slot] = items[i]!;
      const holds = last ? body(r, f) === true : loop(r, f, items, depth + 1);
      if (holds === want) return want;
    }
    return !want;
  };
  if (slots.length === 1) {
    const slot = slots[0]!;
    return (r, f) => {
      const items = elementsOf(over(r, f), overType);
      for (let i = 0; i < items.length; i++) {
        if (r.tick) r.tick();
        if (--meter.left < 0) overBudget(range, what);
        f[slot] = items[i]!;
        if ((body(r, f) === true) === want) return want;
      }
      return !want;
    };
  }
  return (r, f) => loop(r, f, elementsOf(over(r, f), overType), 0);
}

function aggregate(c: Extract<Checked, { op: 'aggregate' }>): Fn {
  const over = build(c.over);
  const slot = c.slot;
  const overType = c.over.type;
  const range = c.range;
  const what = `${c.fn}(${c.name} in …)`;
  if (c.fn === 'count') {
    const where = build(c.where!);
    return (r, f) => {
      let n = 0;
      for (const item of elementsOf(over(r, f), overType)) {
        if (r.tick) r.tick();
        if (--meter.left < 0) overBudget(range, what);
        f[slot] = item;
        if (where(r, f) === true) n++;
      }
      return n;
    };
  }
  const map = build(c.map!);
  const fn = c.fn;
  const type = c.type;
  if ((fn === 'min' || fn === 'max') && type.k !== 'node') {
    // Folded as it goes (extreme's rule, without a list of the values); nodes rank by position below.
    const wantMax = fn === 'max';
    return (r, f) => {
      const items = elementsOf(over(r, f), overType);
      if (items.length === 0) return extreme(fn, items, range);
      let best = 0;
      for (let i = 0; i < items.length; i++) {
        if (r.tick) r.tick();
        if (--meter.left < 0) overBudget(range, what);
        f[slot] = items[i]!;
        const v = map(r, f) as number;
        if (i === 0 || (wantMax ? v > best : v < best)) best = v;
      }
      return best;
    };
  }
  return (r, f) => {
    const items = elementsOf(over(r, f), overType);
    const values: Value[] = [];
    for (const item of items) {
      if (r.tick) r.tick();
      if (--meter.left < 0) overBudget(range, what);
      f[slot] = item;
      values.push(map(r, f));
    }
    if (fn === 'sum') return callFunction('sum', [values], [], range);
    return extreme(fn, values, range, rankOf(type, r));
  };
}
