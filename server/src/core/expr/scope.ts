import { closestName } from '../check/suggest';
import type { Expr, ExprName } from './ast';
import type { Checked } from './checked';
import type { ExprEnv, ExprReport } from './env';
import type { Type } from './types';

/** A name bound by a quantifier, a comprehension or (in protocol code) a local. */
export interface Binding {
  readonly name: string;
  readonly slot: number;
  readonly type: Type;
  readonly nodes?: readonly number[];
  readonly outer?: Binding;
}

/**
 * What checking a call needs from the expression checker (check.ts's
 * ExprChecker implements it): declared here, below both, so checkCalls.ts
 * and check.ts do not import each other.
 */
export interface CallChecker {
  readonly env: ExprEnv;
  report(...args: Parameters<ExprReport>): Checked;
  bind(name: ExprName, type: Type, outer: Binding | undefined, nodes?: readonly number[]): Binding;
  check(e: Expr, scope: Binding | undefined): Checked;
  rangeOver(over: Checked, what: string): Type;
  expect(c: Checked, type: Type, what: string): Checked;
}

/** The written name `name` most plausibly misspells, if any (the file's one suggestion rule, check/suggest.ts). */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  return closestName(name, candidates.filter((c) => c !== name && c.length > 0));
}
