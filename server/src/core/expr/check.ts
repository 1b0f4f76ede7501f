import type { SourceRange } from '../source';
import type { BinaryOp, Expr, ExprName } from './ast';
import type { Checked, CheckedWithSource } from './checked';
import { checkCall } from './checkCalls';
import { costOf } from './cost';
import { narrowScope } from './narrow';
import { closest, type Binding, type CallChecker } from './scope';

export { checkedChildren, costOf } from './cost';
import type { ExprEnv, ExprReport, NodePropertyView } from './env';
import { MAX_EVALUATION_COST, MAX_EXPRESSION_DEPTH } from './limits';
import { ANY, BOOL, elementType, INT, isOrdered, joinTypes, listOf, NODE, NONE, setOf, STRING, TIME, type Type, typeToString } from './types';
import { canonicalSet } from './values';

/** A name bound by a quantifier or comprehension. */
export type { Binding } from './scope';
export { closest } from './scope';

/** State of one check: the environment, where reports go, and the frame slots handed out. */
export class ExprChecker implements CallChecker {
  slots = 0;
  failed = false;

  /** `env` may change between checks of one checker (protocol code: handler bodies may call random, guards may not). */
  constructor(public env: ExprEnv, private readonly reportTo: ExprReport) {}

  report(...args: Parameters<ExprReport>): Checked {
    this.failed = true;
    this.reportTo(...args);
    return { op: 'const', value: null, type: ANY, range: args[2] };
  }

  warn(...args: Parameters<ExprReport>): void {
    // A warning never stops the check.
    this.reportTo(...args);
  }

  bind(name: ExprName, type: Type, outer: Binding | undefined, nodes?: readonly number[]): Binding {
    return { name: name.text, slot: this.slots++, type, ...(nodes ? { nodes } : {}), ...(outer ? { outer } : {}) };
  }

  /** Checks `e`; the result has type `any` (and `failed` is set) after an error. */
  check(e: Expr, scope: Binding | undefined): Checked {
    const range = e.range;
    switch (e.kind) {
      case 'int':
        if (!Number.isSafeInteger(e.value)) return this.report('DS180', `'${e.text}' is not an integer in range; ints are whole numbers up to ±${Number.MAX_SAFE_INTEGER}`, range);
        return { op: 'const', value: e.value, type: INT, range };
      case 'time':
        if (!Number.isSafeInteger(e.ns)) return this.report('DS180', `'${e.text}' is not a whole number of nanoseconds; write it in a smaller unit`, range);
        return { op: 'const', value: e.ns, type: TIME, range };
      case 'string': return { op: 'const', value: e.value, type: STRING, range };
      case 'bool': return { op: 'const', value: e.value, type: BOOL, range };
      case 'none': return { op: 'const', value: null, type: NONE, range };
      case 'name': return this.name(e.name, scope);
      case 'set':
      case 'list': return this.collection(e.kind, e.items, range, scope);
      case 'record': {
        const fields = e.fields.map((f) => [f.name.text, this.check(f.value, scope)] as const);
        return { op: 'record', fields, type: { k: 'record', fields: fields.map(([n, c]) => [n, c.type] as const) }, range };
      }
      case 'field': return this.field(this.owner(e.target, scope), e.name, undefined, range, scope);
      case 'call':
        if (e.target) return this.field(this.owner(e.target, scope), e.callee, e.args, range, scope);
        return checkCall(this, e, scope);
      case 'index': return this.index(this.check(e.target, scope), this.check(e.index, scope), range);
      case 'unary': {
        const operand = this.check(e.operand, scope);
        if (e.op === 'not') return { op: 'not', operand: this.expect(operand, BOOL, "'not'"), type: BOOL, range };
        if (operand.type.k !== 'int' && operand.type.k !== 'time' && operand.type.k !== 'any') return this.report('DS180', `'-' needs an int or a time, not ${typeToString(operand.type)}`, range);
        return { op: 'neg', operand, type: operand.type, range };
      }
      case 'binary': {
        // `x != none and x.term > 0`: the right side of and/implies (or of `or`) knows what the left decided.
        const right = e.op === 'and' || e.op === 'implies' ? this.narrow(e.left, true, scope) : e.op === 'or' ? this.narrow(e.left, false, scope) : scope;
        return this.binary(e.op, this.check(e.left, scope), this.check(e.right, right), range);
      }
      case 'if': {
        const cond = this.expect(this.check(e.cond, scope), BOOL, "'if'");
        const then = this.check(e.then, this.narrow(e.cond, true, scope));
        const otherwise = this.check(e.else, this.narrow(e.cond, false, scope));
        const type = joinTypes(then.type, otherwise.type);
        if (!type) return this.report('DS180', `the branches of 'if' differ: ${typeToString(then.type)} and ${typeToString(otherwise.type)}`, range);
        return { op: 'if', cond, then, else: otherwise, type, range };
      }
      case 'quantifier': {
        const over = this.check(e.over, scope);
        const element = this.rangeOver(over, e.quantifier);
        let inner = scope;
        const bound: Binding[] = [];
        for (const v of e.variables) {
          inner = this.bind(v, element, inner, over.nodes);
          bound.push(inner);
        }
        const body = this.expect(this.check(e.body, inner), BOOL, `the body of '${e.quantifier}'`);
        return { op: 'quantifier', fn: e.quantifier, slots: bound.map((b) => b.slot), names: bound.map((b) => b.name), over, body, type: BOOL, range };
      }
    }
  }

  /** The scope in which `cond` is known to be `when` (see narrowScope). */
  narrow(cond: Expr, when: boolean, scope: Binding | undefined): Binding | undefined {
    return narrowScope(cond, when, scope);
  }

  /** The target of `X.prop` (or a node argument, `A.vc(X)`): an unknown bare name there is meant as a node (DS110, as in the rest of the file). */
  private owner(target: Expr, scope: Binding | undefined): Checked {
    // Protocol code names no scenario nodes: an unknown name there is an unknown name (DS181).
    if (target.kind !== 'name' || this.env.protocolCode || this.resolvable(target.name.text, scope)) return this.check(target, scope);
    const close = closest(target.name.text, this.env.nodes);
    return this.report('DS110', `unknown node '${target.name.text}'${close ? `; did you mean '${close}'?` : this.env.nodes.length ? `; declared nodes: ${this.env.nodes.slice(0, 8).join(', ')}${this.env.nodes.length > 8 ? ', …' : ''}` : ''}`, target.range, close ? { title: `Change to '${close}'`, newText: close } : undefined);
  }

  private resolvable(name: string, scope: Binding | undefined): boolean {
    for (let b = scope; b; b = b.outer) if (b.name === name) return true;
    return this.env.variables.has(name) || name === 'nodes' || this.env.nodes.includes(name) || this.env.protocols.some((p) => p.name === name);
  }

  /** The element type of what a quantifier or aggregate ranges over; warns when it is empty before running. */
  rangeOver(over: Checked, what: string): Type {
    const element = elementType(over.type);
    if (!element) {
      this.report('DS180', `'${what}' ranges over a set, list or map, not ${typeToString(over.type)}`, over.range);
      return ANY;
    }
    const empty = (over.nodes && over.nodes.length === 0) || (over.op === 'set' && over.items.length === 0) || (over.op === 'const' && Array.isArray(over.value) && over.value.length === 0);
    if (empty) this.warn('DS186', `'${what}' ranges over an empty set here${over.nodes ? ': no node runs it in this scenario' : ''}, so it holds ${what === 'forall' ? 'vacuously' : 'never'}; bind the protocol with 'nodes … run NAME' or range over another set`, over.range);
    return element;
  }

  expect(c: Checked, type: Type, what: string): Checked {
    if (c.type.k === 'any' || joinTypes(c.type, type)?.k === type.k) {
      if (c.type.k === type.k || c.type.k === 'any') return c;
    }
    this.report(type === BOOL ? 'DS185' : 'DS180', `${what} needs ${typeToString(type) === 'bool' ? 'a true/false condition' : `a ${typeToString(type)}`}, not ${typeToString(c.type)}${type === BOOL && c.type.k !== 'bool' ? '; compare it, e.g. with == or >' : ''}`, c.range);
    return { ...c, type };
  }

  private name(n: ExprName, scope: Binding | undefined): Checked {
    const range = n.range;
    for (let b = scope; b; b = b.outer) {
      if (b.name === n.text) return { op: 'slot', slot: b.slot, name: b.name, type: b.type, range, ...(b.nodes ? { nodes: b.nodes } : {}) };
    }
    const variable = this.env.variables.get(n.text);
    if (variable) return { op: 'env', name: n.text, type: variable.type, range };
    const all = this.env.nodes.map((_, i) => i);
    // Protocol code knows no scenario: its nodes are 'members' (DS181 below says so).
    if (n.text === 'nodes' && !this.env.protocolCode) return { op: 'const', value: canonicalSet(this.env.nodes), type: setOf(NODE), range, nodes: all };
    const node = this.env.nodes.indexOf(n.text);
    if (node >= 0) return { op: 'const', value: n.text, type: NODE, range, nodes: [node] };
    const protocol = this.env.protocols.find((p) => p.name === n.text);
    if (protocol) return { op: 'const', value: canonicalSet(protocol.members.map((i) => this.env.nodes[i]!)), type: setOf(NODE), range, nodes: protocol.members };
    const names: string[] = [];
    for (let b = scope; b; b = b.outer) names.push(b.name);
    names.push(...this.env.variables.keys(), 'nodes', ...this.env.nodes, ...this.env.protocols.map((p) => p.name));
    const close = this.env.protocolCode && n.text === 'nodes' ? 'members' : closest(n.text, names);
    const what = this.env.protocolCode ? "protocol code names the protocol's state, options, consts, fns, 'self', 'members', 'now', 'lamport', 'vc', 'hlc', the handler's message and sender, and 'let' and 'for' variables" : "an expression names nodes, protocols (the set of their nodes), 'nodes', or variables bound by forall/exists";
    return this.report('DS181', `unknown name '${n.text}'${close ? `; did you mean '${close}'?` : ''}: ${what}`, range, close ? { title: `Change to '${close}'`, newText: close } : undefined);
  }

  private collection(kind: 'set' | 'list', items: readonly Expr[], range: SourceRange, scope: Binding | undefined): Checked {
    const checked = items.map((i) => this.check(i, scope));
    let element: Type = ANY;
    for (const c of checked) {
      const joined = joinTypes(element, c.type);
      if (!joined) return this.report('DS180', `the elements of this ${kind} differ: ${typeToString(element)} and ${typeToString(c.type)}`, c.range);
      element = joined;
    }
    const nodes = element.k === 'node' && checked.every((c) => c.nodes) ? [...new Set(checked.flatMap((c) => c.nodes!))] : undefined;
    return { op: kind, items: checked, type: kind === 'set' ? setOf(element) : listOf(element), range, ...(nodes ? { nodes } : {}) };
  }

  /** `target.name` or `target.name(args)`: a node's property, or a record's field. */
  field(target: Checked, name: ExprName, args: readonly Expr[] | undefined, range: SourceRange, scope: Binding | undefined): Checked {
    if (target.type.k === 'any') return { op: 'const', value: null, type: ANY, range };
    if (target.type.k === 'record' && !args) {
      const f = target.type.fields.find(([fn]) => fn === name.text);
      if (f) return { op: 'field', target, name: name.text, type: f[1], range };
      const close = closest(name.text, target.type.fields.map(([fn]) => fn));
      return this.report('DS132', `no field '${name.text}' in ${typeToString(target.type)}${close ? `; did you mean '${close}'?` : ''}`, name.range, close ? { title: `Change to '${close}'`, newText: close } : undefined);
    }
    if (target.type.k === 'node' && this.env.protocolCode) {
      return this.report('DS180', `'.${name.text}' would read another node's state: a handler sees only its own node's state, and learns others' through messages`, name.range);
    }
    if (target.type.k !== 'node') {
      return this.report('DS180', `'.${name.text}' reads a property of a node or a field of a record, not of ${typeToString(target.type)}${target.type.k === 'optional' ? '; check it is not none first' : ''}`, name.range);
    }
    const domain = target.nodes ?? this.env.nodes.map((_, i) => i);
    const builtin = this.env.nodeProperties.find((p) => p.name === name.text);
    if (builtin) return this.builtinProperty(target, builtin, args ?? [], range, scope);
    const alias = this.env.protocols.flatMap((p) => p.properties).find((x) => x.deprecatedAliases?.includes(name.text) && domain.some((i) => this.env.protocols.some((p) => p.members.includes(i) && p.properties.includes(x))));
    if (alias && !this.env.protocols.some((p) => p.properties.some((x) => x.name === name.text))) {
      this.warn('DS138', `'${name.text}' is the old name of '${alias.name}': property names are snake_case`, name.range, { title: `Rename to '${alias.name}'`, newText: alias.name });
      return this.field(target, { text: alias.name, range: name.range }, args, range, scope);
    }
    const providers = this.env.protocols.filter((p) => p.properties.some((x) => x.name === name.text));
    const runs = (i: number): boolean => providers.some((p) => p.members.includes(i));
    if (providers.length === 0 || (target.op === 'const' && !runs(target.nodes![0]!))) {
      const known = [...this.env.nodeProperties.map((p) => p.name), ...this.env.protocols.filter((p) => domain.some((i) => p.members.includes(i))).flatMap((p) => p.properties.map((x) => x.name))];
      const close = closest(name.text, known);
      const owner = target.op === 'const' ? `node '${String(target.value)}' has` : 'there is';
      const list = [...new Set(known)].join(', ');
      return this.report('DS132', `${owner} no property '${name.text}'${close ? `; did you mean '${close}'? It has` : '; it has'}: ${list}`, name.range, close ? { title: `Change to '${close}'`, newText: close } : undefined);
    }
    const missing = domain.find((i) => !runs(i));
    if (missing !== undefined) {
      const owners = providers.filter((p) => p.members.length > 0).map((p) => p.name);
      const who = target.op === 'slot' ? `'${target.name}' can be ${this.env.nodes[missing]}, which does not run ${owners.join(' or ') || providers[0]!.name}` : `${this.env.nodes[missing]} does not run ${owners.join(' or ') || providers[0]!.name}`;
      return this.report('DS182', `'${name.text}' is a property of ${providers.map((p) => p.name).join(', ')}, but ${who}${owners.length ? `; range over ${owners[0]} instead` : ''}`, name.range);
    }
    if (args && args.length > 0) return this.report('DS184', `'${name.text}' is a property, not a function: write ${name.text} without arguments`, range);
    const types = providers.filter((p) => domain.length === 0 || domain.some((i) => p.members.includes(i))).map((p) => p.properties.find((x) => x.name === name.text)!.type);
    let type: Type | undefined = types[0] ?? providers[0]!.properties.find((x) => x.name === name.text)!.type;
    for (const t of types) type = type && joinTypes(type, t);
    if (!type) return this.report('DS180', `'${name.text}' has different types in ${providers.map((p) => p.name).join(' and ')}; range over one protocol`, name.range);
    return { op: 'prop', target, name: name.text, builtin: false, type, range };
  }

  private builtinProperty(target: Checked, spec: NodePropertyView, args: readonly Expr[], range: SourceRange, scope: Binding | undefined): Checked {
    // DS121, as `expect` always reported a node property's arguments.
    if (args.length > 1 || (args.length === 1 && !spec.arg)) return this.report('DS121', `'${spec.name}' takes ${spec.arg ? 'one argument' : 'no arguments'}`, range);
    if (spec.arg === 'node' && args.length === 0) return this.report('DS121', `'${spec.name}' needs a node: ${target.op === 'const' ? String(target.value) : 'n'}.${spec.name}(${this.env.nodes[0] ?? 'A'})`, range);
    if (args.length === 0) return { op: 'prop', target, name: spec.name, builtin: true, type: spec.type, range };
    const arg = spec.arg === 'node' ? this.owner(args[0]!, scope) : this.check(args[0]!, scope);
    const want = spec.arg === 'node' ? NODE : STRING;
    if (arg.type.k !== want.k && arg.type.k !== 'any') return this.report('DS121', `'${spec.name}' takes ${spec.arg === 'node' ? 'a node' : 'a quoted label'}, not ${typeToString(arg.type)}`, arg.range);
    return { op: 'prop', target, name: spec.name, builtin: true, arg, type: spec.type, range };
  }

  private index(target: Checked, index: Checked, range: SourceRange): Checked {
    const t = target.type;
    if (t.k === 'any') return { op: 'const', value: null, type: ANY, range };
    if (t.k === 'list') return { op: 'index', target, index: this.expect(index, INT, 'a list index'), on: 'list', type: t.of, range };
    if (t.k === 'map') {
      if (!joinTypes(t.key, index.type)) return this.report('DS133', `this map's keys are ${typeToString(t.key)}, not ${typeToString(index.type)}`, index.range);
      return { op: 'index', target, index, on: 'map', type: t.value, range };
    }
    return this.report('DS180', `[…] reads a list entry or a map value, not from ${typeToString(t)}`, range);
  }

  private binary(op: BinaryOp, left: Checked, right: Checked, range: SourceRange): Checked {
    const lt = left.type;
    const rt = right.type;
    const anyOperand = lt.k === 'any' || rt.k === 'any';
    switch (op) {
      case 'and':
      case 'or':
      case 'implies':
        return { op: 'logic', fn: op, left: this.expect(left, BOOL, `'${op}'`), right: this.expect(right, BOOL, `'${op}'`), type: BOOL, range };
      case '==':
      case '!=':
        // A node is its name: `n1.leader == "n2"` compares a node (or an optional node) with a quoted name.
        if (!joinTypes(lt, rt) && !(isNodeLike(lt) && rt.k === 'string') && !(isNodeLike(rt) && lt.k === 'string')) return this.incomparable(lt, rt, range, left, right);
        return { op: 'cmp', fn: op, left, right, type: BOOL, range };
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (anyOperand) return { op: 'cmp', fn: op, left, right, type: BOOL, range };
        if (!isOrdered(lt) || !isOrdered(rt)) return this.report('DS133', `'${op}' needs ints, times or nodes; use == or != for ${plural(isOrdered(lt) ? rt : lt)}`, range);
        if (lt.k !== rt.k) return this.incomparable(lt, rt, range, left, right);
        return { op: 'cmp', fn: op, left, right, type: BOOL, range };
      case 'in': {
        const element = elementType(rt);
        if (!element) return this.report('DS180', `'in' needs a set, list or map on its right, not ${typeToString(rt)}`, right.range);
        if (!joinTypes(element, lt)) return this.incomparable(lt, element, range);
        return { op: 'in', element: left, collection: right, on: rt.k === 'any' ? 'set' : (rt.k as 'set' | 'list' | 'map'), type: BOOL, range };
      }
      default: return this.arithmetic(op, left, right, range);
    }
  }

  private arithmetic(op: '+' | '-' | '*' | '/' | '%', left: Checked, right: Checked, range: SourceRange): Checked {
    const l = left.type.k;
    const r = right.type.k;
    const node = (fn: Extract<Checked, { op: 'arith' }>['fn'], type: Type): Checked => ({ op: 'arith', fn, left, right, type, range });
    if (l === 'any' || r === 'any') return node(op, l === 'any' ? right.type : left.type);
    if (l === 'int' && r === 'int') return node(op, INT);
    if (l === 'time' && r === 'time' && (op === '+' || op === '-' || op === '%')) return node(op, TIME);
    if (l === 'time' && r === 'time' && op === '/') return node(op, INT);
    if (op === '*' && ((l === 'time' && r === 'int') || (l === 'int' && r === 'time'))) return node(op, TIME);
    if (op === '/' && l === 'time' && r === 'int') return node(op, TIME);
    if (op === '+' && l === 'string' && r === 'string') return node('concat', STRING);
    const joined = joinTypes(left.type, right.type);
    if (joined?.k === 'list' && op === '+') return node('concat', joined);
    if (joined?.k === 'set' && (op === '+' || op === '-')) return node(op === '+' ? 'union' : 'diff', joined);
    const fix = (l === 'time' && r === 'int') || (l === 'int' && r === 'time') ? '; give the number a unit, e.g. 3ms' : '';
    return this.report('DS180', `cannot apply '${op}' to ${typeToString(left.type)} and ${typeToString(right.type)}${fix}`, range);
  }

  private incomparable(a: Type, b: Type, range: SourceRange, left?: Checked, right?: Checked): Checked {
    const BASIC: Readonly<Record<string, string>> = { time: 'a time', int: 'a number', string: 'a string', bool: 'true/false' };
    // Collections and records: their type texts say it all.
    if (!(a.k in BASIC) || !(b.k in BASIC) || !left || !right) return this.report('DS133', `cannot compare ${typeToString(a)} with ${typeToString(b)}`, range);
    const message = `cannot compare ${BASIC[a.k]} with ${BASIC[b.k]}: ${describe(left)} is ${BASIC[a.k]} and ${describe(right)} is ${BASIC[b.k]}`;
    // A bare number against a time is a time with its unit left out.
    const bare = a.k === 'time' && b.k === 'int' && right.op === 'const' ? right : b.k === 'time' && a.k === 'int' && left.op === 'const' ? left : undefined;
    if (bare && bare.op === 'const') return this.report('DS133', `${message}; add a unit to the number: ${String(bare.value)}ms`, range, { title: `Write ${String(bare.value)}ms`, newText: `${String(bare.value)}ms`, range: bare.range });
    return this.report('DS133', `${message}; compare like with like`, range);
  }
}

/** How a message names one side of a comparison: `A.clock`, `A.vc(…)`, `5`, or `the value`. */
function describe(c: Checked): string {
  if (c.op === 'prop' && (c.target.op === 'const' || c.target.op === 'slot')) return `${c.target.op === 'const' ? String(c.target.value) : c.target.name}.${c.name}${c.arg ? '(…)' : ''}`;
  if (c.op === 'const' && typeof c.value === 'number' && c.type.k === 'int') return String(c.value);
  return 'the value';
}

/** `lists`, `strings`, `optional nodes`: a type named in the plural, for messages. */
function plural(t: Type): string {
  if (t.k === 'optional') return `optional ${plural(t.of)}`;
  if (t.k === 'record') return 'records';
  return `${t.k}s`;
}

function isNodeLike(t: Type): boolean {
  return t.k === 'node' || (t.k === 'optional' && t.of.k === 'node');
}


/** Depth of the tree, without recursion (a bad file can be deep). */
function depthOf(e: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[e, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (d > max) max = d;
    if (d > MAX_EXPRESSION_DEPTH) return d;
    for (const child of childExprs(x)) stack.push([child, d + 1]);
  }
  return max;
}

import { childrenOf as childExprs } from './ast';

/**
 * Type-checks an expression against `env`, reporting every problem to
 * `report`; undefined when there was an error. `expected` (e.g. bool for a
 * condition) is checked too.
 */
export function checkExpression(e: Expr, env: ExprEnv, report: ExprReport, expected?: { type: Type; what: string }): CheckedWithSource | undefined {
  if (depthOf(e) > MAX_EXPRESSION_DEPTH) {
    report('DS187', `this expression nests more than ${MAX_EXPRESSION_DEPTH} operators deep; split it into several invariants or use a quantifier`, e.range);
    return undefined;
  }
  const checker = new ExprChecker(env, report);
  const checked = checkInScope(checker, e, undefined, expected);
  if (!checked) return undefined;
  const cost = costOf(checked, env.nodes.length);
  if (cost > MAX_EVALUATION_COST) {
    report('DS187', `this expression may take about ${cost.toExponential(1)} steps each time it is checked (the limit is ${MAX_EVALUATION_COST.toExponential(0)}); quantify over fewer variables or smaller sets`, e.range);
    return undefined;
  }
  return { checked, source: e, slots: checker.slots };
}

/**
 * Checks one expression with a checker shared by several (protocol code:
 * one checker per protocol hands out every frame slot, and `scope` binds
 * the names in force); undefined when it has an error. `expected` is
 * checked too.
 */
export function checkInScope(checker: ExprChecker, e: Expr, scope: Binding | undefined, expected?: { type: Type; what: string }): Checked | undefined {
  if (depthOf(e) > MAX_EXPRESSION_DEPTH) {
    checker.report('DS187', `this expression nests more than ${MAX_EXPRESSION_DEPTH} operators deep; split it`, e.range);
    return undefined;
  }
  const failedBefore = checker.failed;
  checker.failed = false;
  let checked = checker.check(e, scope);
  if (expected) checked = checker.expect(checked, expected.type, expected.what);
  const failed = checker.failed;
  checker.failed = failedBefore || failed;
  return failed ? undefined : checked;
}
