import type { ProtocolDefinition } from './protocol';
import { COUNTER_OPTIONS, COUNTER_PROPERTIES, COUNTER_STATE, CounterReplica } from './common/counterReplica';

/**
 * PN-counter, a state-based CRDT: two G-counters, P for increments and N for
 * decrements, each merged by pointwise maximum; the value is P − N. Like the
 * G-counter it converges to exactly (increments − decrements) without
 * coordination.
 *
 * Messages: state {p, n}.
 */
export const pnCounter: ProtocolDefinition = {
  name: 'pn_counter',
  summary: 'increment/decrement counter CRDT (two G-counters) replicated by gossip',
  binding: 'nodes',
  messages: [COUNTER_STATE],
  reports: ['counters'],
  options: [...COUNTER_OPTIONS, { key: 'decrements', type: 'integer', min: 0, max: 100_000, doc: 'decrements each node performs, mixed at random among its increments (default 0)', example: '5' }],
  properties: COUNTER_PROPERTIES,
  createNode: (ctx) => new CounterReplica(ctx, 'count', true),
};
