import type { SourceRange } from '../source';

/**
 * The expression AST, as written (names unresolved; the checker resolves
 * them). Shared by properties (`invariant NAME: always …`, `expect …`) and,
 * later, by protocol code (guards, right-hand sides, payload fields), so it
 * knows nothing about where it is used.
 */
export interface ExprName {
  readonly text: string;
  readonly range: SourceRange;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or' | 'implies' | 'in';
export type Quantifier = 'forall' | 'exists';

/** `count(x in S where P)` / `min(x in S: e)`: one bound name over a collection. */
export interface Comprehension {
  readonly variable: ExprName;
  readonly over: Expr;
  /** `where P` filters; `: e` maps (only one of the two is written). */
  readonly where?: Expr;
  readonly map?: Expr;
}

export type Expr = { readonly range: SourceRange } & (
  | { readonly kind: 'int'; readonly value: number; readonly text: string }
  | { readonly kind: 'time'; readonly ns: number; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  /** A variable, node, protocol or `nodes`: the checker decides which. */
  | { readonly kind: 'name'; readonly name: ExprName }
  | { readonly kind: 'set' | 'list'; readonly items: readonly Expr[] }
  | { readonly kind: 'record'; readonly fields: readonly { readonly name: ExprName; readonly value: Expr }[] }
  /** `a.term` */
  | { readonly kind: 'field'; readonly target: Expr; readonly name: ExprName }
  /** `size(s)`, `n1.vc(n2)` (a call with a target), `count(x in S where P)` (a comprehension). */
  | { readonly kind: 'call'; readonly callee: ExprName; readonly target?: Expr; readonly args: readonly Expr[]; readonly comprehension?: Comprehension }
  /** `l[i]`, `m["k"]` */
  | { readonly kind: 'index'; readonly target: Expr; readonly index: Expr }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'if'; readonly cond: Expr; readonly then: Expr; readonly else: Expr }
  | { readonly kind: 'quantifier'; readonly quantifier: Quantifier; readonly variables: readonly ExprName[]; readonly over: Expr; readonly body: Expr }
);

export type ExprKind = Expr['kind'];

/** The temporal form of `invariant NAME: …`. */
export type TemporalFormula = { readonly range: SourceRange } & (
  | { readonly kind: 'always' | 'never'; readonly body: Expr }
  | { readonly kind: 'eventually'; readonly within: Expr; readonly body: Expr }
  | { readonly kind: 'whenever'; readonly trigger: Expr; readonly within: Expr; readonly body: Expr }
);

/** Every sub-expression, depth first, parents before children. */
export function walkExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  for (const child of childrenOf(e)) walkExpr(child, visit);
}

export function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case 'set':
    case 'list': return [...e.items];
    case 'record': return e.fields.map((f) => f.value);
    case 'field': return [e.target];
    case 'call': {
      const c = e.comprehension;
      return [...(e.target ? [e.target] : []), ...e.args, ...(c ? [c.over, ...(c.where ? [c.where] : []), ...(c.map ? [c.map] : [])] : [])];
    }
    case 'index': return [e.target, e.index];
    case 'unary': return [e.operand];
    case 'binary': return [e.left, e.right];
    case 'if': return [e.cond, e.then, e.else];
    case 'quantifier': return [e.over, e.body];
    default: return [];
  }
}

/** Names not bound by an enclosing quantifier or comprehension: nodes, protocols, `nodes`, environment names. */
export function freeNames(e: Expr): ExprName[] {
  const out: ExprName[] = [];
  const visit = (x: Expr, bound: ReadonlySet<string>): void => {
    if (x.kind === 'name') {
      if (!bound.has(x.name.text)) out.push(x.name);
      return;
    }
    if (x.kind === 'quantifier') {
      visit(x.over, bound);
      visit(x.body, new Set([...bound, ...x.variables.map((v) => v.text)]));
      return;
    }
    if (x.kind === 'call' && x.comprehension) {
      const c = x.comprehension;
      if (x.target) visit(x.target, bound);
      x.args.forEach((a) => visit(a, bound));
      visit(c.over, bound);
      const inner = new Set([...bound, c.variable.text]);
      if (c.where) visit(c.where, inner);
      if (c.map) visit(c.map, inner);
      return;
    }
    for (const child of childrenOf(x)) visit(child, bound);
  };
  visit(e, new Set());
  return out;
}

/** The expressions of a temporal formula, in source order. */
export function formulaExprs(f: TemporalFormula): Expr[] {
  switch (f.kind) {
    case 'always':
    case 'never': return [f.body];
    case 'eventually': return [f.within, f.body];
    case 'whenever': return [f.trigger, f.within, f.body];
  }
}
