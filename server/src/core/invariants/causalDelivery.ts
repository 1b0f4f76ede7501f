import type { SourceRange } from '../source';
import { formatDuration } from '../units';
import type { InvariantDefinition } from './invariant';

interface SentInfo {
  readonly vc: Int32Array;
  readonly label: string;
  readonly range: SourceRange;
  readonly time: number;
  readonly from: number;
}

/**
 * causal_delivery: no node receives a message before another message to it
 * that causally precedes it (send(m₁) → send(m₂) but m₂ arrives first).
 *
 * Uses the vector-clock characterisation: send(m₁) → send(m₂) iff
 * VC(m₁)[s₁] ≤ VC(m₂)[s₁], s₁ the sender of m₁. So at each receiver we keep,
 * per process s, the largest VC(m)[s] over messages already delivered; a new
 * message from s whose own entry is not above it was overtaken. Duplicate
 * copies of a message are ignored (the first copy counts).
 */
export const causalDelivery: InvariantDefinition = {
  name: 'causal_delivery',
  summary: 'every node receives messages in an order consistent with causality',
  example: 'invariant causal_delivery',
  form: {},
  create(_params, world) {
    const n = world.model.nodes.length;
    const inFlight = new Map<number, SentInfo>();
    const maxSeen = new Int32Array(n * n);
    const maxBy: (SentInfo | undefined)[] = new Array(n * n);
    const name = (i: number): string => world.model.nodes[i]!.name;
    return {
      kinds: ['send', 'receive'],
      // Only sends' clocks are kept, and those are their messages' own copies (InvariantMonitor.keepsEventClocks).
      onEvent(e) {
        if (e.kind === 'send') {
          inFlight.set(e.msg!, { vc: e.vc, label: e.label!, range: e.range, time: e.time, from: e.node });
          return undefined;
        }
        if (e.kind !== 'receive') return undefined;
        const m = inFlight.get(e.msg!);
        if (!m) return undefined; // a duplicate copy of something already delivered
        inFlight.delete(e.msg!);
        const p = e.node;
        const s = m.from;
        const row = p * n;
        if (maxSeen[row + s]! >= m.vc[s]!) {
          const later = maxBy[row + s]!;
          return {
            message: `${name(p)} received "${m.label}" from ${name(s)} (sent at ${formatDuration(m.time)}) after "${later.label}" from ${name(later.from)} (sent at ${formatDuration(later.time)}), which causally follows it`,
            time: e.time,
            seq: e.seq,
            causes: [
              { message: `"${m.label}" ${name(s)} -> ${name(p)} was overtaken`, range: m.range },
              { message: `"${later.label}" ${name(later.from)} -> ${name(p)} arrived first`, range: later.range },
            ],
          };
        }
        for (let k = 0; k < n; k++) {
          if (m.vc[k]! > maxSeen[row + k]!) {
            maxSeen[row + k] = m.vc[k]!;
            maxBy[row + k] = m;
          }
        }
        return undefined;
      },
    };
  },
};
