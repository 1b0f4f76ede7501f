import { checkOptions, type OptionContext, type OptionValueOut } from '../check/options';
import { diagnostic } from '../diagnostics';
import type { Binding } from '../expr/check';
import { FUNCTIONS, type Checked, type UserFunction } from '../expr/checked';
import { assignable, typeToString, type Type } from '../expr/types';
import type { Value } from '../expr/values';
import type { SourceRange } from '../source';
import type * as A from '../syntax/ast';
import { membersType, ProtocolScope, type DeclaredOption } from './environment';
import { choiceKind, OPTION_KINDS, optionSpec } from './optionKinds';
import { NODE } from '../expr/types';
import { coerce } from './coerce';

export interface MessageDecl {
  readonly name: string;
  /** The label on the wire (the trace, `n1.sent("Vote")`, scenario rules): the name, or the kv convention's. */
  readonly wire: string;
  readonly fields: readonly { readonly name: string; readonly type: Type; readonly range?: SourceRange }[];
  readonly type: Type;
  /** Absent for the implicit messages of `serves kv`. */
  readonly range?: SourceRange;
  /** The payload as the other side of a convention expects it (kv: `opId` for `op_id`, …); absent: the record itself. */
  readonly toWire?: (payload: { readonly [field: string]: Value }) => unknown;
  /** The record handlers see, from a payload of a convention; absent: the payload is the record. */
  readonly fromWire?: (payload: unknown) => Value;
}

export interface StateDecl {
  readonly name: string;
  readonly durability: 'stable' | 'var';
  readonly type: Type;
  /** The type as written, for the property's type text (hover, expressions over the scenario). */
  readonly typeText: string;
  readonly slot: number;
  readonly initial: Checked;
  readonly range: SourceRange;
  readonly nameRange: SourceRange;
}

export interface ConstDecl {
  readonly name: string;
  readonly slot: number;
  readonly value: Checked;
  readonly range: SourceRange;
}

/** What a protocol declares, checked: everything handlers may name, bound in `scope`. */
export interface Declarations {
  readonly options: readonly DeclaredOption[];
  readonly consts: readonly ConstDecl[];
  readonly messages: ReadonlyMap<string, MessageDecl>;
  readonly state: readonly StateDecl[];
  readonly selfSlot: number;
  readonly membersSlot: number;
  /** Every declared value name, state last. */
  readonly scope: Binding | undefined;
  /** Whether every declaration checked (no errors). */
  readonly ok: boolean;
}

/**
 * Checks the members of a protocol other than handlers, in an order that
 * keeps everything acyclic: options, then consts (each may read options and
 * earlier consts), fns (parameters, options, consts and earlier fns), then
 * messages and state (initial values read options, consts and fns).
 */
export function checkDeclarations(decl: A.ProtocolDecl, ps: ProtocolScope, optionCtx: OptionContext, extraMessages: readonly MessageDecl[]): Declarations {
  const errorsBefore = countErrors(ps);
  const at = (name: string): A.Name => ({ text: name, range: decl.name.range });
  let scope = ps.bind(at('self'), { kind: 'self', type: NODE }, undefined);
  const selfSlot = scope.slot;
  scope = ps.bind(at('members'), { kind: 'members', type: membersType }, scope);
  const membersSlot = scope.slot;

  const options: DeclaredOption[] = [];
  for (const m of decl.members) {
    if (m.kind !== 'option' || !ps.declare(m.name, 'option')) continue;
    const option = checkOptionMember(m, ps, optionCtx, scope);
    if (!option) continue;
    scope = option.binding;
    options.push(option.option);
  }

  const consts: ConstDecl[] = [];
  for (const m of decl.members) {
    if (m.kind !== 'const' || !ps.declare(m.name, 'const')) continue;
    const declared = m.type ? ps.type(m.type) : undefined;
    const value = ps.check(m.value, scope, 'pure');
    if (!value || (m.type && !declared)) continue;
    const type = declared ?? value.type;
    if (!assignable(type, value.type)) {
      ps.push(diagnostic('DS180', `const '${m.name.text}' is declared ${typeToString(type)} but its value is ${typeToString(value.type)}`, m.value.range));
      continue;
    }
    scope = ps.bind(m.name, { kind: 'const', type, range: m.name.range }, scope);
    consts.push({ name: m.name.text, slot: scope.slot, value: coerce(value, type), range: m.range });
  }

  checkFunctions(decl.members.filter((m): m is A.FnMember => m.kind === 'fn'), ps, scope);

  const messages = new Map<string, MessageDecl>(extraMessages.map((x) => [x.name, x]));
  for (const m of decl.members) {
    if (m.kind !== 'message' || !ps.declare(m.name, 'message')) continue;
    const fields: { name: string; type: Type; range: SourceRange }[] = [];
    for (const f of m.fields) {
      if (fields.some((x) => x.name === f.name.text)) {
        ps.push(diagnostic('DS112', `message ${m.name.text} has two fields named '${f.name.text}'`, f.name.range));
        continue;
      }
      const type = ps.type(f.type);
      if (type) fields.push({ name: f.name.text, type, range: f.range });
    }
    messages.set(m.name.text, { name: m.name.text, wire: m.name.text, fields, type: { k: 'record', fields: fields.map((f) => [f.name, f.type] as const) }, range: m.range });
  }

  const state: StateDecl[] = [];
  const pending: { m: A.StateMember; type: Type }[] = [];
  const initialScope = scope;
  for (const m of decl.members) {
    if (m.kind !== 'state' || !ps.declare(m.name, m.durability)) continue;
    const type = ps.type(m.type);
    if (!type) continue;
    scope = ps.bind(m.name, { kind: 'state', type, range: m.name.range }, scope);
    const choices = choicesOf(m.type.text);
    if (choices) ps.choices.set(scope.slot, choices);
    pending.push({ m, type });
    state.push({ name: m.name.text, durability: m.durability, type, typeText: m.type.text, slot: scope.slot, initial: undefined as unknown as Checked, range: m.range, nameRange: m.name.range });
  }
  // Initial values see options, consts and fns, never other state (no order among them to get wrong).
  pending.forEach(({ m, type }, i) => {
    const initial = ps.check(m.initial, initialScope, 'pure');
    if (!initial) return;
    if (!assignable(type, initial.type)) {
      ps.push(diagnostic('DS180', `${m.durability} '${m.name.text}' is ${typeToString(type)}, but its initial value is ${typeToString(initial.type)}`, m.initial.range));
      return;
    }
    (state[i] as { initial: Checked }).initial = coerce(initial, type);
    ps.checkChoice(state[i]!.slot, initial);
  });
  return { options, consts, messages, state, selfSlot, membersSlot, scope, ok: countErrors(ps) === errorsBefore };
}

function countErrors(ps: ProtocolScope): number {
  return ps.errorCount;
}

function checkOptionMember(m: A.OptionMember, ps: ProtocolScope, optionCtx: OptionContext, scope: Binding): { option: DeclaredOption; binding: Binding } | undefined {
  const words = m.optionKind.map((w) => w.text).join(' ');
  const choices = m.choices?.map((c) => c.value);
  const kind = choices ? choiceKind(choices) : OPTION_KINDS.find((k) => k.words === words);
  if (!kind) {
    const range = m.optionKind.length > 0 ? { ...m.optionKind[0]!.range, endOffset: m.optionKind[m.optionKind.length - 1]!.range.endOffset, endLine: m.optionKind[m.optionKind.length - 1]!.range.endLine, endColumn: m.optionKind[m.optionKind.length - 1]!.range.endColumn } : m.name.range;
    ps.push(diagnostic('DS199', `unknown option kind '${words}'; an option is one of: ${OPTION_KINDS.map((k) => k.words).join(', ')}, or a choice such as "fast" | "safe"`, range));
    return undefined;
  }
  let defaultValue: Value | undefined;
  const spec = optionSpec(m.name.text, kind, `${kind.words} option of this protocol`, !m.defaultValue, choices);
  if (m.defaultValue) {
    // A choice's default may be written quoted, as in its declaration.
    const values = m.defaultValue.map((v) => (choices && v.value.kind === 'string' ? { ...v, value: { kind: 'name' as const, name: v.value.value, range: v.value.range } } : v));
    const before = ps.errorCount;
    const parsed = checkOptions([{ key: m.name, values, range: m.range }], [spec], `option '${m.name.text}'`, optionCtx, m.range);
    if (ps.errorCount > before) return undefined;
    const out = parsed.values.get(m.name.text) as OptionValueOut | undefined;
    if (out === undefined) return undefined;
    defaultValue = kind.toValue(out);
  }
  const doc = `${kind.words} option${m.defaultValue ? `, default ${m.defaultValue.map((v) => (v.assigned ? `${sourceTextOf(v.value)} = ${sourceTextOf(v.assigned)}` : sourceTextOf(v.value))).join(', ')}` : ' (required)'}`;
  const binding = ps.bind(m.name, { kind: 'option', type: kind.type, range: m.name.range }, scope);
  return { option: { spec: { ...spec, doc }, slot: binding.slot, toValue: kind.toValue, defaultValue }, binding };
}

function sourceTextOf(v: A.Value): string {
  switch (v.kind) {
    case 'duration':
    case 'ppm':
    case 'percent':
    case 'number': return v.text;
    case 'string': return JSON.stringify(v.value);
    case 'bool': return String(v.value);
    case 'name': return v.args ? `${v.name}(${v.args.map(sourceTextOf).join(', ')})` : v.name;
    case 'range': return `${sourceTextOf(v.low)}..${sourceTextOf(v.high)}`;
  }
}

/**
 * `fn NAME(p: T, …): R = e`, in order: each body sees its parameters,
 * options, consts and the fns declared before it (a call of a later one is
 * DS197), so no fn can call itself, directly or through others.
 */
function checkFunctions(fns: readonly A.FnMember[], ps: ProtocolScope, scope: Binding | undefined): void {
  fns.forEach((m, i) => {
    if (m.name.text in FUNCTIONS) {
      ps.push(diagnostic('DS195', `'${m.name.text}' is a built-in function; give this fn another name`, m.name.range));
      return;
    }
    if (!ps.declare(m.name, 'fn')) return;
    const result = ps.type(m.result);
    let inner = scope;
    const params: { name: string; type: Type; slot: number }[] = [];
    for (const p of m.params) {
      const type = ps.type(p.type);
      if (!type) continue;
      if (params.some((x) => x.name === p.name.text)) {
        ps.push(diagnostic('DS112', `fn '${m.name.text}' has two parameters named '${p.name.text}'`, p.name.range));
        continue;
      }
      inner = ps.bind(p.name, { kind: 'param', type, range: p.name.range }, inner);
      params.push({ name: p.name.text, type, slot: inner.slot });
    }
    if (!result || params.length !== m.params.length) return;
    const later = new Set(fns.slice(i + 1).map((f) => f.name.text));
    const body = ps.check(m.body, inner, { ...ps.env, protocolCode: { functions: ps.functions, random: false, laterFunctions: later.add(m.name.text) } });
    if (!body) return;
    if (!assignable(result, body.type)) {
      ps.push(diagnostic('DS180', `fn '${m.name.text}' returns ${typeToString(result)}, but its body is ${typeToString(body.type)}`, m.body.range));
      return;
    }
    const doc = `${m.name.text}(${params.map((p) => `${p.name}: ${typeToString(p.type)}`).join(', ')}): ${typeToString(result)}`;
    const fn: UserFunction = { name: m.name.text, params, result, doc, body: coerce(body, result) };
    ps.functions.set(fn.name, fn);
  });
}

/** `"follower" | "candidate"`: the strings a choice type allows (undefined for other types). */
function choicesOf(typeText: string): string[] | undefined {
  if (!/^\s*"[^"]*"(\s*\|\s*"[^"]*")*\s*$/.test(typeText)) return undefined;
  return [...typeText.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
}
