import type { SourceRange } from '../source';
import type { Expr } from './ast';
import type { Type } from './types';
import type { Value } from './values';

/**
 * A type-checked expression: names resolved (bound variables to frame
 * slots, nodes and protocols to constants), every operator specialised by
 * the types of its operands. The compiler and the reference evaluator read
 * only this form.
 */
export type Checked = {
  readonly type: Type;
  readonly range: SourceRange;
  /** Nodes a node-typed (or set-of-nodes-typed) expression can be, when known before running. */
  readonly nodes?: readonly number[];
} & (
  | { readonly op: 'const'; readonly value: Value }
  /** A variable bound by a quantifier or comprehension. */
  | { readonly op: 'slot'; readonly slot: number; readonly name: string }
  /** A name the environment provides at run time (`now`; later `self`, locals). */
  | { readonly op: 'env'; readonly name: string }
  /** A node's property: built in (`lamport`, `vc(n)`, …) or from the protocols it runs. */
  | { readonly op: 'prop'; readonly target: Checked; readonly name: string; readonly builtin: boolean; readonly arg?: Checked }
  | { readonly op: 'set' | 'list'; readonly items: readonly Checked[] }
  | { readonly op: 'record'; readonly fields: readonly (readonly [string, Checked])[] }
  | { readonly op: 'field'; readonly target: Checked; readonly name: string }
  | { readonly op: 'index'; readonly target: Checked; readonly index: Checked; readonly on: 'list' | 'map' }
  | { readonly op: 'neg' | 'not'; readonly operand: Checked }
  /** Arithmetic on ints and times (`union`/`diff` for `+`/`-` on sets, `concat` for lists and strings). */
  | { readonly op: 'arith'; readonly fn: '+' | '-' | '*' | '/' | '%' | 'union' | 'diff' | 'concat'; readonly left: Checked; readonly right: Checked }
  | { readonly op: 'cmp'; readonly fn: '==' | '!=' | '<' | '<=' | '>' | '>='; readonly left: Checked; readonly right: Checked }
  | { readonly op: 'logic'; readonly fn: 'and' | 'or' | 'implies'; readonly left: Checked; readonly right: Checked }
  | { readonly op: 'in'; readonly element: Checked; readonly collection: Checked; readonly on: 'set' | 'list' | 'map' }
  | { readonly op: 'if'; readonly cond: Checked; readonly then: Checked; readonly else: Checked }
  | { readonly op: 'quantifier'; readonly fn: 'forall' | 'exists'; readonly slots: readonly number[]; readonly names: readonly string[]; readonly over: Checked; readonly body: Checked }
  | { readonly op: 'aggregate'; readonly fn: 'count' | 'min' | 'max' | 'sum'; readonly slot: number; readonly name: string; readonly over: Checked; readonly where?: Checked; readonly map?: Checked }
  | { readonly op: 'call'; readonly fn: FunctionName; readonly args: readonly Checked[] }
  /** A call of a protocol's own `fn` (protocol code only): the arguments go to its parameters' slots. */
  | { readonly op: 'user-call'; readonly fn: UserFunction; readonly args: readonly Checked[] }
  /**
   * `random(x)` (protocol handlers only): a uniform draw from the node's own
   * seeded stream — an int or time in a range `{ low, high }` (both ends
   * included), an element of a set or list, `random(a, b)` between two
   * ints or times, or a time from a delay model (a `latency` option).
   */
  | { readonly op: 'random'; readonly from: 'range' | 'elements' | 'between' | 'latency'; readonly args: readonly Checked[] }
);

/**
 * A protocol's helper function (`fn majority(n: int): int = n / 2 + 1`):
 * pure, its parameters bound to frame slots of the caller's frame (a
 * function may call only functions declared before it, so no call is ever
 * re-entrant). `body` is set once it has been checked.
 */
export interface UserFunction {
  readonly name: string;
  readonly params: readonly { readonly name: string; readonly type: Type; readonly slot: number }[];
  readonly result: Type;
  readonly doc: string;
  body: Checked | undefined;
}

export type CheckedOp = Checked['op'];

/** Functions an expression may call (aggregates with a comprehension are `aggregate`). */
export const FUNCTIONS = {
  size: { arity: [1, 1], doc: 'size(c): the number of elements of a set, list or map, or characters of a string' },
  min: { arity: [1, 2], doc: 'min(a, b): the smaller; min(S): the least element; min(x in S: e): the least e' },
  max: { arity: [1, 2], doc: 'max(a, b): the larger; max(S): the greatest element; max(x in S: e): the greatest e' },
  abs: { arity: [1, 1], doc: 'abs(x): the absolute value of an int or a time' },
  prefix_agrees: { arity: [3, 3], doc: 'prefix_agrees(l1, l2, n): the first n entries of both lists exist and are equal' },
  keys: { arity: [1, 1], doc: 'keys(m): the keys of a map, as a set' },
  count: { arity: [1, 1], doc: 'count(x in S where P): how many elements of S satisfy P' },
  sum: { arity: [1, 1], doc: 'sum(x in S: e): the sum of e over S; sum(S): the sum of the elements' },
  range: { arity: [2, 2], doc: 'range(a, b): the ints a, a+1, …, b-1 as a list (empty when b <= a)' },
  take: { arity: [2, 2], doc: 'take(l, n): the first n entries of a list (all of it when it is shorter)' },
  skip: { arity: [2, 2], doc: 'skip(l, n): the list without its first n entries' },
  values: { arity: [1, 1], doc: 'values(m): the values of a map, as a list in key order' },
  remove: { arity: [2, 2], doc: 'remove(m, k): the map without key k (the same map when k is absent)' },
} as const satisfies Record<string, { arity: readonly [number, number]; doc: string }>;

export type FunctionName = keyof typeof FUNCTIONS;

/** The written expression each checked one came from is its range; this keeps the source for witnesses. */
export interface CheckedWithSource {
  readonly checked: Checked;
  readonly source: Expr;
  /** Frame slots the expression's quantifiers and comprehensions use. */
  readonly slots: number;
}
