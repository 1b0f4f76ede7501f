import { diagnostic, withFix, type Diagnostic } from '../diagnostics';
import type { InvariantDefinition } from '../invariants/invariant';
import { INVARIANTS } from '../invariants/registry';
import { resolveProperty } from '../protocols/registry';
import type { ExpectOperand, Expectation, InvariantInstance, ProtocolInstance } from '../model';
import { NODE_PROPERTIES } from '../nodeProperties';
import type { PropertySpec } from '../protocols/protocol';
import type * as A from '../syntax/ast';
import type { CheckContext } from './context';
import { describeValueKind, expectDuration } from './options';
import { closestName } from './suggest';

export function checkInvariant(decl: A.InvariantDecl, text: string, ctx: CheckContext): InvariantInstance | undefined {
  const definition = INVARIANTS.find((d) => d.name === decl.name.text);
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

type OperandType = PropertySpec['type'];

/** A type text without spaces, so `map<string, int>` and `map<string,int>` are one type. */
function normalType(t: OperandType): string {
  return t.replace(/\s+/g, '');
}

/**
 * Whether `expect` may compare the two: the same type (collections compare
 * exactly, element by element), an optional with its base type, and a node
 * with a quoted name (node names are strings).
 */
function comparable(a: OperandType, b: OperandType): boolean {
  const base = (t: OperandType) => {
    const n = normalType(t).replace(/\?$/, '');
    return n === 'node' ? 'string' : n;
  };
  return base(a) === base(b);
}

/** Only ints and times have an order (no optional: none has no place in it). */
function isOrdered(t: OperandType): boolean {
  return t === 'int' || t === 'time';
}

function describeType(t: OperandType): string {
  const n = normalType(t);
  if (n.endsWith('?')) return `optional ${describeType(n.slice(0, -1))}`;
  if (n.startsWith('list<')) return 'lists';
  if (n.startsWith('set<')) return 'sets';
  if (n.startsWith('map<')) return 'maps';
  if (n.startsWith('{')) return 'records';
  return `${n}s`;
}

export function checkExpectation(decl: A.ExpectDecl, text: string, protocols: readonly ProtocolInstance[], ctx: CheckContext): Expectation | undefined {
  const left = operand(decl.left, protocols, ctx);
  const right = operand(decl.right, protocols, ctx);
  const at = decl.at === 'end' ? undefined : ctx.time(decl.at, "'expect … at'");
  if (!left || !right || (decl.at !== 'end' && at === undefined)) return undefined;
  if (!comparable(left.type, right.type)) {
    ctx.diagnostics.push(mismatch(decl, left.type, right.type));
    return undefined;
  }
  const ordered = ['<', '<=', '>', '>='].includes(decl.comparator);
  if (ordered && !isOrdered(left.type)) {
    ctx.diagnostics.push(diagnostic('DS133', `'${decl.comparator}' needs ints or times; use == or != for ${describeType(left.type)}`, decl.range));
    return undefined;
  }
  return { left: left.operand, comparator: decl.comparator, right: right.operand, at, isTime: left.type === 'time', range: decl.range, text };
}

/** DS133 for two sides of different types: says what each side is, and the fix when one side is a bare number against a time. */
function mismatch(decl: A.ExpectDecl, leftType: OperandType, rightType: OperandType): Diagnostic {
  const BASIC: Readonly<Record<string, string>> = { time: 'a time', int: 'a number', string: 'a string', bool: 'true/false' };
  const article = (t: OperandType): string => BASIC[normalType(t)] ?? t;
  // Collections and records: their type texts say it all.
  if (!(normalType(leftType) in BASIC) || !(normalType(rightType) in BASIC)) return diagnostic('DS133', `cannot compare ${leftType} with ${rightType}`, decl.range);
  const describe = (o: A.Operand): string => (o.kind === 'property' ? `${o.node.text}.${o.property.text}${o.args.length > 0 ? '(…)' : ''}` : o.value.kind === 'number' ? o.value.text : 'the value');
  const message = `cannot compare ${article(leftType)} with ${article(rightType)}: ${describe(decl.left)} is ${article(leftType)} and ${describe(decl.right)} is ${article(rightType)}`;
  // A bare number against a time is a time with its unit left out.
  const bare = leftType === 'time' && decl.right.kind === 'literal' && decl.right.value.kind === 'number' ? decl.right.value
    : rightType === 'time' && decl.left.kind === 'literal' && decl.left.value.kind === 'number' ? decl.left.value : undefined;
  if (bare && bare.kind === 'number') {
    return withFix(diagnostic('DS133', `${message}; add a unit to the number: ${bare.text}ms`, decl.range), { title: `Write ${bare.text}ms`, range: bare.range, newText: `${bare.text}ms` });
  }
  return diagnostic('DS133', `${message}; compare like with like`, decl.range);
}

function operand(o: A.Operand, protocols: readonly ProtocolInstance[], ctx: CheckContext): { operand: ExpectOperand; type: OperandType } | undefined {
  if (o.kind === 'literal') {
    const v = o.value;
    switch (v.kind) {
      case 'duration': return { operand: { kind: 'literal', value: v.ns, range: o.range }, type: 'time' };
      case 'number': return { operand: { kind: 'literal', value: v.value, range: o.range }, type: 'int' };
      case 'string': return { operand: { kind: 'literal', value: v.value, range: o.range }, type: 'string' };
      case 'bool': return { operand: { kind: 'literal', value: v.value, range: o.range }, type: 'bool' };
      default:
        ctx.diagnostics.push(diagnostic('DS121', `expect compares properties with numbers, times, strings or true/false, not ${describeValueKind(v)}`, v.range));
        return undefined;
    }
  }
  const node = ctx.node(o.node);
  if (node === undefined) return undefined;
  const builtin = NODE_PROPERTIES.find((p) => p.name === o.property.text);
  const fromProtocol = builtin ? undefined : protocols.filter((p) => p.nodes.includes(node)).map((p) => resolveProperty(p.definition, o.property.text)).find((r) => r !== undefined);
  const spec = builtin ?? fromProtocol?.spec;
  if (fromProtocol?.deprecatedAlias) {
    const name = fromProtocol.spec.name;
    ctx.diagnostics.push({
      ...diagnostic('DS138', `'${fromProtocol.deprecatedAlias}' is the old name of '${name}': property names are snake_case`, o.property.range),
      fix: { title: `Rename to '${name}'`, range: o.property.range, newText: name },
    });
  }
  if (!spec) {
    const known = [...NODE_PROPERTIES.map((p) => p.name), ...protocols.filter((p) => p.nodes.includes(node)).flatMap((p) => p.definition.properties.map((x) => x.name))];
    const close = closestName(o.property.text, known);
    const report = diagnostic('DS132', `node '${o.node.text}' has no property '${o.property.text}'${close ? `; did you mean '${close}'? It has` : '; it has'}: ${known.join(', ')}`, o.property.range);
    ctx.diagnostics.push(close ? withFix(report, { title: `Change to '${close}'`, range: o.property.range, newText: close }) : report);
    return undefined;
  }
  const argKind = builtin?.arg;
  let arg: string | undefined;
  if (o.args.length > 1 || (o.args.length === 1 && !argKind)) {
    ctx.diagnostics.push(diagnostic('DS121', `'${spec.name}' takes ${argKind ? 'one argument' : 'no arguments'}`, o.range));
    return undefined;
  }
  if (argKind === 'node' && o.args.length === 0) {
    ctx.diagnostics.push(diagnostic('DS121', `'${spec.name}' needs a node: ${o.node.text}.${spec.name}(${ctx.nodes.nodes[0]?.name ?? 'A'})`, o.range));
    return undefined;
  }
  if (o.args.length === 1) {
    const a = o.args[0]!;
    if (argKind === 'label') {
      if (a.kind !== 'string') {
        ctx.diagnostics.push(diagnostic('DS121', `'${spec.name}' takes a quoted label`, a.range));
        return undefined;
      }
      arg = a.value;
    } else {
      const names = ctx.nodes.resolveValues([a]);
      if (!names) return undefined;
      arg = names[0];
    }
  }
  return { operand: { kind: 'property', node, property: spec.name, arg, range: o.range }, type: spec.type };
}

export type { InvariantDefinition };
