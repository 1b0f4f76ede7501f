import { formatDuration } from '../units';
import type { NodeContext, ProtocolDefinition } from './protocol';
import { REGISTER_OPTIONS, REGISTER_PROPERTIES, REGISTER_STATE, RegisterReplica, type RegisterPolicy } from './common/registerReplica';

/** The value with its writer's local clock reading, ties broken by writer name. */
interface Stamped {
  readonly value: string;
  readonly ts: number;
  readonly node: string;
}
type LwwState = Stamped | null;

const newer = (a: Stamped, b: Stamped): boolean => a.ts > b.ts || (a.ts === b.ts && a.node > b.node);

const lww: RegisterPolicy<LwwState> = {
  empty: null,
  // The write carries the writer's own clock; a stored value stamped later wins even over a newer write.
  write: (state, value, ctx: NodeContext) => {
    const mine: Stamped = { value, ts: ctx.now(), node: ctx.self };
    return state && newer(state, mine) ? state : mine;
  },
  merge: (local, incoming) => (!incoming ? local : !local || newer(incoming, local) ? incoming : local),
  values: (s) => (s ? [s.value] : []),
  describe: (s) => (s ? `${s.value}@${formatDuration(s.ts)}` : '(empty)'),
};

/**
 * Last-writer-wins register replicated by gossip: every write is stamped
 * with its writer's local clock and every replica keeps the value with the
 * largest stamp. Replicas converge, but "last" is by clocks, not by what
 * happened: a writer whose clock is behind loses writes it made after
 * seeing the current value (lost updates under skew), and of two concurrent
 * writes one silently disappears. Compare version_vector_store.
 *
 * Messages: state {value, ts, node}.
 */
export const lwwRegister: ProtocolDefinition = {
  name: 'lww_register',
  summary: 'last-writer-wins register by local-clock timestamps, replicated by gossip: loses updates under clock skew',
  binding: 'nodes',
  messages: [REGISTER_STATE],
  reports: ['registers'],
  options: REGISTER_OPTIONS,
  properties: REGISTER_PROPERTIES,
  createNode: (ctx) => new RegisterReplica(ctx, lww),
};
