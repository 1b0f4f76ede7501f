import { diagnostic, withFix } from '../diagnostics';
import { INVARIANTS } from '../invariants/registry';
import { checkExpression } from '../expr/check';
import { compile } from '../expr/compile';
import type { ExprEnv, ExprReport } from '../expr/env';
import { BOOL } from '../expr/types';
import type { Expectation, InvariantInstance } from '../model';
import { checkFormulaInvariant } from './formulaInvariant';
import type * as A from '../syntax/ast';
import type { CheckContext } from './context';
import { describeValueKind, expectDuration } from './options';
import { closestName } from './suggest';

export function checkInvariant(decl: A.InvariantDecl, text: string, env: ExprEnv, ctx: CheckContext): InvariantInstance | undefined {
  if (decl.formula) return checkFormulaInvariant(decl, decl.formula, text, env, ctx);
  const definition = INVARIANTS.find((d) => d.name === decl.name.text);
  // `invariant n1.term <= 3`, `invariant raft …`: a property written without a name.
  const namesNodeOrProtocol = ctx.nodes.has(decl.name.text) || env.protocols.some((p) => p.name === decl.name.text);
  if (decl.misplacedCondition || (!definition && namesNodeOrProtocol)) return reportConditionAsInvariant(decl, text, ctx);
  if (!definition) {
    const names = INVARIANTS.map((d) => d.name);
    const close = closestName(decl.name.text, names);
    const report = diagnostic('DS130', `unknown invariant '${decl.name.text}'${close ? `; did you mean '${close}'?` : `; known: ${names.join(', ')}`}`, decl.name.range);
    ctx.diagnostics.push(close ? withFix(report, { title: `Change to '${close}'`, range: decl.name.range, newText: close }) : report);
    return undefined;
  }
  const form = definition.form;
  const bad = (message: string, range = decl.range): undefined => {
    ctx.diagnostics.push(diagnostic('DS131', `${message}; write it as '${definition.example}'`, range));
    return undefined;
  };
  const argSpec = form.args;
  if (!argSpec && decl.args.length > 0) return bad(`'${definition.name}' takes no arguments`, decl.args[0]!.range);
  if (argSpec && (decl.args.length < argSpec.min || decl.args.length > argSpec.max)) {
    return bad(`'${definition.name}' takes ${argSpec.min === argSpec.max ? argSpec.min : `${argSpec.min} to ${argSpec.max}`} argument(s)`);
  }
  const wrongName = argSpec?.choices && decl.args.find((a) => a.kind !== 'name' || a.args || !argSpec.choices!.includes(a.name));
  if (wrongName) return bad(`'${definition.name}' takes ${argSpec!.choices!.join(' or ')} here`, wrongName.range);
  let nodeArgs: number[] = [];
  if (argSpec?.kind === 'node' && decl.args.length > 0) {
    const resolved = ctx.nodes.resolveValues(decl.args);
    if (!resolved) return undefined;
    nodeArgs = resolved.map((n) => ctx.nodes.nodes.findIndex((x) => x.name === n));
  }
  if (decl.within && form.within !== 'optional' && form.within !== 'required') return bad(`'${definition.name}' takes no 'within'`, decl.within.range);
  if (!decl.within && form.within === 'required') return bad(`'${definition.name}' needs 'within T'`);
  const within = decl.within ? ctx.span(decl.within, "'within'") : undefined;
  if (decl.within && within === undefined) return undefined;
  let bound: number | undefined;
  if (decl.comparator) {
    if (!form.bound) return bad(`'${definition.name}' takes no comparison`, decl.bound!.range);
    if (form.comparators && !form.comparators.includes(decl.comparator)) return bad(`'${definition.name}' takes only ${form.comparators.join(' or ')}`);
    if (form.bound === 'duration') {
      bound = expectDuration(decl.bound!, `'${definition.name}'`, ctx);
      if (bound === undefined) return undefined;
    } else {
      if (decl.bound!.kind !== 'number') return bad(`'${definition.name}' compares with a number, not ${describeValueKind(decl.bound!)}`, decl.bound!.range);
      bound = decl.bound!.value;
    }
  } else if (form.bound) {
    return bad(`'${definition.name}' needs a bound`);
  }
  return {
    definition,
    params: { args: decl.args, nodeArgs, within, comparator: decl.comparator, bound, range: decl.range },
    range: decl.range,
    text,
  };
}

/** `expect <condition> [at T]`: any boolean expression over the scenario's nodes and protocols. */
export function checkExpectation(decl: A.ExpectDecl, text: string, env: ExprEnv, ctx: CheckContext): Expectation | undefined {
  // A comparison that is the whole condition is reported on the statement, as `expect LEFT op RIGHT` always was.
  const whole = decl.condition.range;
  const report: ExprReport = (code, message, range, fix) => {
    const at = code === 'DS133' && range.startOffset === whole.startOffset && range.endOffset === whole.endOffset ? decl.range : range;
    ctx.diagnostics.push(fix ? withFix(diagnostic(code, message, at), { title: fix.title, range: fix.range ?? range, newText: fix.newText }) : diagnostic(code, message, at));
  };
  const condition = checkExpression(decl.condition, env, report, { type: BOOL, what: 'expect' });
  const at = decl.at === 'end' ? undefined : ctx.time(decl.at, "'expect … at'");
  if (!condition || (decl.at !== 'end' && at === undefined)) return undefined;
  const top = condition.checked;
  const sides = top.op === 'cmp' ? { left: compile({ ...condition, checked: top.left }), right: compile({ ...condition, checked: top.right }) } : undefined;
  return {
    condition,
    compiled: compile(condition),
    ...(sides ? { sides } : {}),
    at,
    isTime: top.op === 'cmp' && top.left.type.k === 'time',
    range: decl.range,
    text,
  };
}

/**
 * `invariant n1.term <= 3` (or `invariant n1 …` naming a node): a condition
 * where a built-in's name belongs. One DS130 that shows the property form,
 * with a quick fix that rewrites the statement to it.
 */
function reportConditionAsInvariant(decl: A.InvariantDecl, text: string, ctx: CheckContext): undefined {
  const member = /^\.\s*([A-Za-z_]\w*)/.exec(text.slice(decl.name.text.length))?.[1];
  const property = `invariant ${decl.name.text}_${member ?? 'holds'}: always ${text}`;
  const range = decl.misplacedCondition ?? { ...decl.range, startOffset: decl.name.range.startOffset, startLine: decl.name.range.startLine, startColumn: decl.name.range.startColumn };
  const what = ctx.nodes.has(decl.name.text) ? `'${decl.name.text}' is a node, not an invariant` : `'${text}' is a condition, not an invariant's name`;
  const report = diagnostic('DS130', `${what}; write it as a property: ${property}`, range);
  ctx.diagnostics.push(withFix(report, { title: 'Write it as a property', range: decl.range, newText: property }));
  return undefined;
}
