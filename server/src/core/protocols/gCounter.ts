import type { ProtocolDefinition } from './protocol';
import { COUNTER_OPTIONS, COUNTER_PROPERTIES, COUNTER_STATE, CounterReplica } from './common/counterReplica';

/**
 * G-counter, a state-based CRDT (Shapiro et al. 2011): every node increments
 * its own entry, gossips its vector of counts, and merges by pointwise
 * maximum. Merging is commutative, associative and idempotent, so replicas
 * converge to the exact number of increments whatever the network reorders,
 * duplicates or delays, and concurrent increments are never lost.
 *
 * Messages: state {p}.
 */
export const gCounter: ProtocolDefinition = {
  name: 'g_counter',
  summary: 'grow-only counter CRDT replicated by gossip: converges, never loses an increment',
  binding: 'nodes',
  messages: [COUNTER_STATE],
  reports: ['counters'],
  options: COUNTER_OPTIONS,
  properties: COUNTER_PROPERTIES,
  createNode: (ctx) => new CounterReplica(ctx, 'count', false),
};
