import { type Expr, formulaExprs, walkExpr } from '../../core/expr/ast';
import { FUNCTIONS } from '../../core/expr/checked';
import { NODE_PROPERTIES } from '../../core/nodeProperties';
import { PROTOCOLS } from '../../core/protocols/registry';
import type { SourceRange } from '../../core/source';
import type * as A from '../../core/syntax/ast';
import { contains } from './locate';

/**
 * Hover on a name inside a written property or an expect: a property after
 * `.` (its type, what it is, which protocols have it) or a function. Undefined
 * elsewhere, so the statement's own hover answers.
 */
export function expressionNameHover(stmt: A.InvariantDecl | A.ExpectDecl, offset: number): { markdown: string; range: SourceRange } | undefined {
  const exprs: Expr[] = stmt.kind === 'expect' ? [stmt.condition] : stmt.formula ? formulaExprs(stmt.formula) : [];
  let found: { markdown: string; range: SourceRange } | undefined;
  for (const e of exprs) {
    walkExpr(e, (x) => {
      if (found) return;
      const name = x.kind === 'field' ? x.name : x.kind === 'call' ? x.callee : undefined;
      if (!name || !contains(name.range, offset)) return;
      const text = x.kind === 'call' && !x.target ? functionDoc(name.text) : propertyDoc(name.text);
      if (text) found = { markdown: text, range: name.range };
    });
  }
  return found;
}

function functionDoc(name: string): string | undefined {
  const f = (FUNCTIONS as Readonly<Record<string, { doc: string }>>)[name];
  return f && `**${name}** (function)\n\n${f.doc}`;
}

function propertyDoc(name: string): string | undefined {
  const builtin = NODE_PROPERTIES.find((p) => p.name === name);
  if (builtin) return `**${name}**: \`${builtin.type}\` (every node)\n\n${builtin.doc}`;
  const owners = PROTOCOLS.flatMap((p) => p.properties.filter((x) => x.name === name).map((x) => ({ protocol: p.name, spec: x })));
  if (owners.length === 0) return undefined;
  return owners.map((o) => `**${name}**: \`${o.spec.type}\` (${o.protocol})\n\n${o.spec.doc}`).join('\n\n---\n\n');
}
