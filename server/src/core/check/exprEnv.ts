import type { ExprEnv, NodePropertyView, ProtocolView } from '../expr/env';
import { parseTypeText, TIME, type Type } from '../expr/types';
import type { ProtocolInstance } from '../model';
import { NODE_PROPERTIES } from '../nodeProperties';
import type { PropertySpec, ProtocolDefinition } from '../protocols/protocol';
import { childrenOf, type Expr } from '../expr/ast';
import { PROTOCOLS } from '../protocols/registry';

const typeCache = new Map<string, Type>();

/** A property's declared type (type text, see expr/types.ts; legacy 'number' is int). */
export function propertyType(spec: Pick<PropertySpec, 'type'>): Type {
  let t = typeCache.get(spec.type);
  if (!t) typeCache.set(spec.type, (t = parseTypeText(spec.type)));
  return t;
}

const NODE_PROPERTY_VIEWS: readonly NodePropertyView[] = NODE_PROPERTIES.map((p) => ({ name: p.name, type: propertyType(p), doc: p.doc, ...(p.arg ? { arg: p.arg } : {}) }));

/**
 * What properties (`invariant NAME: …`, `expect …`) may name in this
 * scenario: its nodes, every registered protocol as the set of the nodes
 * bound to it (empty when none is), and `now` (true time).
 */
export function propertyEnv(nodeNames: readonly string[], instances: readonly ProtocolInstance[], written: readonly ProtocolDefinition[] = []): ExprEnv {
  // Protocols written in the file, registered ones, and the definitions only instances have (a `client`'s workload).
  const definitions = [...written, ...PROTOCOLS, ...instances.map((p) => p.definition).filter((d) => !PROTOCOLS.includes(d))];
  const seen = new Set<string>();
  const protocols: ProtocolView[] = definitions.filter((d) => !seen.has(d.name) && seen.add(d.name)).map((definition) => {
    const members = [...new Set(instances.filter((p) => p.definition.name === definition.name).flatMap((p) => p.nodes))].sort((a, b) => a - b);
    return { name: definition.name, members, properties: definition.properties.map((p) => ({ name: p.name, type: propertyType(p), doc: p.doc, ...(p.deprecatedAliases ? { deprecatedAliases: p.deprecatedAliases } : {}) })) };
  });
  return {
    nodes: nodeNames,
    protocols,
    nodeProperties: NODE_PROPERTY_VIEWS,
    variables: new Map([['now', { type: TIME, doc: 'the true (simulated) time' }]]),
  };
}

/** The names the expressions read as `X.name` (any node property): what a scenario may read of a protocol's state. */
export function protocolPropertiesRead(exprs: readonly Expr[]): Set<string> {
  const names = new Set<string>();
  // Without recursion: operator chains can be deep in a bad file.
  const stack = [...exprs];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'field') names.add(x.name.text);
    stack.push(...childrenOf(x));
  }
  return names;
}
