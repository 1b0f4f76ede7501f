import { diagnostic } from '../diagnostics';
import type { ProtocolDefinition } from './protocol';
import { OptionValues } from './common/optionValues';
import { QueueBroker } from './queueBroker';
import { QueueConsumer, QueueProducer } from './queueClients';

/**
 * A replicated message queue with at-least-once delivery: producers,
 * primary–backup brokers (see queueBroker.ts) and consumers that
 * acknowledge what they processed (see queueClients.ts). Nothing is lost
 * across consumer crashes, because an unacknowledged message is handed out
 * again after `visibility`, nor across a broker crash, because a producer
 * hears "enqueued" only once a backup has the message; the price is
 * duplicates, which consumers must tolerate.
 *
 * Roles by option: `brokers` (the first is the initial primary),
 * `producers`, and every other bound node a consumer.
 *
 * Messages: enqueue {id}, enqueued {id}, pull, deliver {id}, empty, ack {id},
 * redirect {primary}, sync / synced {view, enqueued, acked}.
 */
export const replicatedQueue: ProtocolDefinition = {
  name: 'replicated_queue',
  summary: 'primary–backup message queue with acknowledgements and redelivery: at-least-once, duplicates but no loss',
  binding: 'nodes',
  messages: ['enqueue', 'enqueued', 'pull', 'deliver', 'empty', 'ack', 'redirect', 'sync', 'synced'],
  reports: ['queue'],
  options: [
    { key: 'brokers', type: 'nodes', required: true, doc: 'the queue replicas; the first starts as primary', example: 'Q1, Q2' },
    { key: 'producers', type: 'nodes', required: true, doc: 'nodes that send messages; every other bound node consumes', example: 'P' },
    { key: 'messages', type: 'integer', min: 0, max: 100_000, doc: 'messages each producer sends (default 10)', example: '10' },
    { key: 'every', type: 'duration-range', doc: 'time between two messages of a producer (default 30ms)', example: '30ms' },
    { key: 'process', type: 'duration-range', doc: 'time a consumer takes to process a message (default 40ms)', example: '40ms' },
    { key: 'visibility', type: 'duration', min: 1, doc: 'a message handed out and not acknowledged within this goes back in the queue (default 200ms)', example: '200ms' },
    { key: 'timeout', type: 'duration', min: 1, doc: 'how long producers and consumers wait for a broker before retrying or trying the next (default 100ms)', example: '100ms' },
    { key: 'failover', type: 'duration', min: 1, doc: 'how long backups wait for the primary before the next takes over (default 300ms)', example: '300ms' },
  ],
  properties: [
    { name: 'queued', type: 'int', doc: 'broker: messages in the queue not yet acknowledged' },
    { name: 'queue', type: 'list<string>', doc: 'broker: the ids of the messages not yet acknowledged, oldest first (`P-3`)' },
    { name: 'acked', type: 'int', doc: 'broker: messages acknowledged by consumers' },
    { name: 'delivered', type: 'int', doc: 'broker: times it handed a message out' },
    { name: 'redelivered', type: 'int', doc: 'broker: times it handed out a message it had handed out before' },
    { name: 'primary', type: 'bool', doc: 'broker: whether it is the primary' },
    { name: 'produced', type: 'int', doc: 'producer: messages the queue acknowledged' },
    { name: 'consumed', type: 'int', doc: 'consumer: messages it processed (duplicates included)' },
    { name: 'processing', type: 'string', doc: 'consumer: the message it is processing, or ""' },
  ],
  validate(binding, report) {
    const o = new OptionValues(binding.options);
    const where = (key: string) => binding.ast.options.find((s) => s.key.text === key)?.range ?? binding.ast.range;
    const brokers = o.nodes('brokers');
    const producers = o.nodes('producers');
    for (const [key, list] of [['brokers', brokers], ['producers', producers]] as const) {
      for (const n of list) if (!binding.nodes.includes(n)) report(diagnostic('DS141', `'${n}' in ${key} does not run replicated_queue; add it to the nodes it is bound to`, where(key)));
    }
    const both = brokers.find((b) => producers.includes(b));
    if (both) report(diagnostic('DS141', `'${both}' cannot be both a broker and a producer`, where('producers')));
    if (binding.nodes.every((n) => brokers.includes(n) || producers.includes(n))) report(diagnostic('DS141', 'replicated_queue needs at least one consumer: bind a node that is neither broker nor producer', binding.ast.range));
  },
  createNode(ctx) {
    const o = new OptionValues(ctx.options);
    const brokers = o.nodes('brokers');
    const timeout = o.number('timeout', 100_000_000);
    if (brokers.includes(ctx.self)) return new QueueBroker(ctx, { brokers, visibility: o.number('visibility', 200_000_000), failover: o.number('failover', 300_000_000) });
    if (o.nodes('producers').includes(ctx.self)) return new QueueProducer(ctx, brokers, { count: o.number('messages', 10), every: o.range('every', { low: 30_000_000, high: 30_000_000 }) }, timeout);
    return new QueueConsumer(ctx, brokers, o.range('process', { low: 40_000_000, high: 40_000_000 }), timeout);
  },
};
