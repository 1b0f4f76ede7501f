import type { NodeContext, ProtocolDefinition } from './protocol';
import { REGISTER_OPTIONS, REGISTER_PROPERTIES, REGISTER_STATE, RegisterReplica, type RegisterPolicy } from './common/registerReplica';

type VersionVector = Readonly<Record<string, number>>;

interface Sibling {
  readonly value: string;
  readonly vv: VersionVector;
}

/** a ≤ b entrywise. */
function dominatedBy(a: VersionVector, b: VersionVector): boolean {
  return Object.entries(a).every(([node, n]) => n <= (b[node] ?? 0));
}

function join(vs: readonly VersionVector[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of vs) for (const [node, n] of Object.entries(v)) out[node] = Math.max(out[node] ?? 0, n);
  return out;
}

const sameVersion = (a: VersionVector, b: VersionVector): boolean => dominatedBy(a, b) && dominatedBy(b, a);

const vv: RegisterPolicy<readonly Sibling[]> = {
  empty: [],
  // A write has seen every sibling it replaces: its vector is their join, plus one in the writer's entry.
  write: (siblings, value, ctx: NodeContext) => {
    const seen = join(siblings.map((s) => s.vv));
    return [{ value, vv: { ...seen, [ctx.self]: (seen[ctx.self] ?? 0) + 1 } }];
  },
  // Keep every version not strictly dominated by another: concurrent writes survive as siblings.
  merge: (local, incoming) => {
    const all = [...local, ...incoming.filter((i) => !local.some((l) => sameVersion(l.vv, i.vv)))];
    return all.filter((s) => !all.some((o) => o !== s && dominatedBy(s.vv, o.vv) && !sameVersion(s.vv, o.vv))).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  },
  values: (s) => s.map((x) => x.value),
  describe: (s) => (s.length === 0 ? '(empty)' : s.map((x) => `${x.value} [${Object.keys(x.vv).sort().map((k) => `${k}:${x.vv[k]}`).join(' ')}]`).join(', ')),
};

/**
 * A register replicated by gossip whose versions carry version vectors
 * (Dynamo-style). A write supersedes exactly the versions its writer had
 * seen; a merge keeps every version no other version dominates, so
 * concurrent writes are both kept as siblings (a read returns all of them
 * for the application to reconcile) and no update is lost, whatever the
 * clocks say. Compare lww_register.
 *
 * Messages: state [{value, vv}].
 */
export const versionVectorStore: ProtocolDefinition = {
  name: 'version_vector_store',
  summary: 'register with version vectors replicated by gossip: keeps concurrent writes as siblings',
  binding: 'nodes',
  messages: [REGISTER_STATE],
  reports: ['registers'],
  options: REGISTER_OPTIONS,
  properties: REGISTER_PROPERTIES,
  createNode: (ctx) => new RegisterReplica(ctx, vv),
};
