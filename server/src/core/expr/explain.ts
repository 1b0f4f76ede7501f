import type { Checked, CheckedWithSource } from './checked';
import { checkedChildren } from './check';
import type { ExprReader } from './reader';
import { evaluate, type Scope } from './reference';
import type { Type } from './types';
import { elementsOf } from './operations';
import { formatValue, type Value } from './values';

/**
 * Why an expression has the value it has: the quantifier bindings that
 * decide it and the property values it read under them. Used when a
 * property is violated (rare), so it re-evaluates with the reference
 * evaluator instead of instrumenting the compiled closures.
 */
export interface Witness {
  /** Quantified variables in binding order: `a = n2`. */
  readonly bindings: readonly { readonly name: string; readonly value: Value; readonly type: Type }[];
  /** Per node, the properties the expression read of it: `n2: { role: leader, term: 4 }`. */
  readonly nodes: readonly { readonly node: string; readonly properties: readonly { readonly name: string; readonly value: Value; readonly type: Type }[] }[];
}

export function explain(c: CheckedWithSource, reader: ExprReader, want: boolean): Witness {
  const bindings: { name: string; value: Value; type: Type; slot: number }[] = [];
  let scope: Scope | undefined;
  // Descend to the part that made the value differ from `want`, binding quantified variables on the way.
  const descend = (x: Checked, target: boolean): void => {
    switch (x.op) {
      case 'not': return descend(x.operand, !target);
      case 'logic': {
        // `target` is the value the expression failed to have; descend into the operands that decided it.
        const left = safe(() => evaluate(x.left, reader, scope)) === true;
        if (x.fn === 'and') {
          if (target) return descend(left ? x.right : x.left, true);
          descend(x.left, false);
          return descend(x.right, false);
        }
        if (x.fn === 'or') {
          if (!target) return descend(left ? x.left : x.right, false);
          descend(x.left, true);
          return descend(x.right, true);
        }
        if (target) {
          descend(x.left, false);
          return descend(x.right, true);
        }
        return left ? descend(x.right, false) : descend(x.left, true);
      }
      case 'quantifier': {
        // forall wanted true (one binding falsifies it) or exists wanted false (one binding satisfies it).
        if ((x.fn === 'forall') !== target) return;
        const items = safe(() => elementsOf(evaluate(x.over, reader, scope), x.over.type));
        if (!Array.isArray(items)) return;
        const search = (depth: number, s: Scope | undefined): Scope | undefined => {
          if (depth === x.slots.length) return safe(() => evaluate(x.body, reader, s)) === (x.fn === 'exists') ? s : undefined;
          for (const item of items as readonly Value[]) {
            const found = search(depth + 1, { slot: x.slots[depth]!, value: item, outer: s });
            if (found) return found;
          }
          return undefined;
        };
        const found = search(0, scope);
        if (!found) return;
        const added: { name: string; value: Value; type: Type; slot: number }[] = [];
        for (let s: Scope | undefined = found; s && s !== scope; s = s.outer) added.unshift({ name: x.names[x.slots.indexOf(s.slot)]!, value: s.value, type: elementType(x.over.type), slot: s.slot });
        bindings.push(...added);
        scope = found;
        return descend(x.body, target);
      }
      default:
        return;
    }
  };
  descend(c.checked, want);
  // Every property the expression reads whose node is known under these bindings;
  // inside min/max over a set, those of the element that is the min or max.
  const byNode = new Map<string, Map<string, { name: string; value: Value; type: Type }>>();
  const boundSlots = new Set(bindings.map((b) => b.slot));
  const visit = (x: Checked, s: Scope | undefined, slots: ReadonlySet<number>): void => {
    if (x.op === 'prop' && (x.target.op === 'const' || (x.target.op === 'slot' && slots.has(x.target.slot)))) {
      const node = safe(() => evaluate(x.target, reader, s));
      const value = safe(() => evaluate(x, reader, s));
      if (typeof node === 'string' && value !== FAILED) {
        const arg = x.arg ? safe(() => evaluate(x.arg!, reader, s)) : undefined;
        const label = x.arg ? `${x.name}(${x.arg.type.k === 'string' ? JSON.stringify(arg) : String(arg)})` : x.name;
        let props = byNode.get(node);
        if (!props) byNode.set(node, (props = new Map()));
        props.set(label, { name: label, value: value as Value, type: x.type });
      }
    }
    if (x.op === 'aggregate' && (x.fn === 'min' || x.fn === 'max') && x.map) {
      const items = safe(() => elementsOf(evaluate(x.over, reader, s), x.over.type));
      let best: { item: Value; v: number } | undefined;
      for (const item of Array.isArray(items) ? (items as readonly Value[]) : []) {
        const v = safe(() => evaluate(x.map!, reader, { slot: x.slot, value: item, outer: s }));
        if (typeof v === 'number' && (!best || (x.fn === 'min' ? v < best.v : v > best.v))) best = { item, v };
      }
      visit(x.over, s, slots);
      if (best) visit(x.map, { slot: x.slot, value: best.item, outer: s }, new Set([...slots, x.slot]));
      return;
    }
    for (const child of checkedChildren(x)) visit(child, s, slots);
  };
  visit(c.checked, scope, boundSlots);
  return {
    bindings: bindings.map(({ name, value, type }) => ({ name, value, type })),
    nodes: [...byNode].map(([node, props]) => ({ node, properties: [...props.values()] })),
  };
}

const FAILED = Symbol('failed');

function safe<T>(f: () => T): T | typeof FAILED {
  try {
    return f();
  } catch {
    return FAILED;
  }
}

function elementType(t: Type): Type {
  return t.k === 'set' || t.k === 'list' ? t.of : t.k === 'map' ? t.key : t;
}

/** `a = n2 (role leader, term 4), b = n3 (role leader, term 4)`; nodes named directly follow as `n1 (term 3)`. */
export function witnessText(w: Witness): string {
  const props = (node: string): string => {
    const p = w.nodes.find((n) => n.node === node)?.properties ?? [];
    return p.length ? ` (${p.map((x) => `${x.name} ${formatValue(x.value, x.type)}`).join(', ')})` : '';
  };
  const bound = new Set<string>();
  const parts = w.bindings.map((b) => {
    if (typeof b.value === 'string' && b.type.k === 'node') bound.add(b.value);
    return `${b.name} = ${formatValue(b.value, b.type)}${b.type.k === 'node' && typeof b.value === 'string' ? props(b.value) : ''}`;
  });
  for (const n of w.nodes) if (!bound.has(n.node)) parts.push(`${n.node}${props(n.node)}`);
  return parts.join(', ');
}

/** The witness as plain JSON for `--json`: bindings by name, property values by node. */
export function witnessJson(w: Witness): { bindings: Record<string, Value>; nodes: Record<string, Record<string, Value>> } {
  return {
    bindings: Object.fromEntries(w.bindings.map((b) => [b.name, b.value])),
    nodes: Object.fromEntries(w.nodes.map((n) => [n.node, Object.fromEntries(n.properties.map((p) => [p.name, p.value]))])),
  };
}
