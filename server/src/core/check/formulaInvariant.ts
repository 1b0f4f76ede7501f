import { diagnostic, withFix } from '../diagnostics';
import type { Expr, TemporalFormula } from '../expr/ast';
import { checkExpression } from '../expr/check';
import { compile } from '../expr/compile';
import type { ExprEnv, ExprReport } from '../expr/env';
import { BOOL } from '../expr/types';
import { formulaDefinition, type FormulaSpec } from '../invariants/formula';
import { INVARIANTS } from '../invariants/registry';
import type { InvariantInstance } from '../model';
import type * as A from '../syntax/ast';
import type { CheckContext } from './context';

/** `invariant NAME: always P | never P | eventually within T P | whenever P then within T Q`. */
export function checkFormulaInvariant(decl: A.InvariantDecl, formula: TemporalFormula, text: string, env: ExprEnv, ctx: CheckContext): InvariantInstance | undefined {
  const report: ExprReport = (code, message, range, fix) =>
    void ctx.diagnostics.push(fix ? withFix(diagnostic(code, message, range), { title: fix.title, range: fix.range ?? range, newText: fix.newText }) : diagnostic(code, message, range));
  const name = decl.name.text;
  if (INVARIANTS.some((d) => d.name === name)) {
    ctx.diagnostics.push(diagnostic('DS112', `'${name}' is the name of a built-in invariant; give the written property another name (e.g. my_${name})`, decl.name.range));
    return undefined;
  }
  const condition = (e: Expr, what: string) => {
    const checked = checkExpression(e, env, report, { type: BOOL, what });
    return checked && { checked, compiled: compile(checked) };
  };
  const body = condition(formula.body, `the property '${name}'`);
  const trigger = formula.kind === 'whenever' ? condition(formula.trigger, `the trigger of '${name}'`) : undefined;
  let within: number | undefined;
  if (formula.kind === 'eventually' || formula.kind === 'whenever') {
    const w = formula.within;
    if (w.kind !== 'time' || w.ns <= 0 || !Number.isSafeInteger(w.ns)) {
      ctx.diagnostics.push(diagnostic('DS129', "'within' must be a time longer than zero, e.g. 'within 1s'", w.range));
      return undefined;
    }
    within = w.ns;
  }
  if (!body || (formula.kind === 'whenever' && !trigger)) return undefined;
  const formulaText = text.slice(text.indexOf(':') + 1).trim();
  const spec: FormulaSpec = { name, kind: formula.kind, body, ...(trigger ? { trigger } : {}), ...(within !== undefined ? { within } : {}), text: formulaText };
  return {
    definition: formulaDefinition(spec),
    params: { args: [], nodeArgs: [], within, comparator: undefined, bound: undefined, range: decl.range },
    range: decl.range,
    text,
  };
}
