import type { NodeModel, ProtocolInstance, ScriptAction } from '../model';
import type { ProtocolNode, StableStorage } from '../protocols/protocol';
import { LocalClock } from './clock';
import { HLC_ZERO, type Hlc } from './hlc';

/** A pending timer. Fires when the node's clock reads `deadline`. */
export interface Timer {
  readonly id: number;
  readonly node: number;
  readonly deadline: number;
  /** Scenario stimuli survive crashes (they are the environment); protocol timers do not. */
  readonly persistent: boolean;
  readonly what:
    | { readonly kind: 'protocol'; readonly protocol: number; readonly name: string; readonly data: unknown }
    | { readonly kind: 'stimulus'; readonly stimulus: number; readonly firing: number }
    | { readonly kind: 'after'; readonly action: ScriptAction; readonly replyTo: number };
  /** The clock generation its queue entry was computed with; older entries are stale. */
  generation: number;
}

/** Everything the simulator keeps about one node. */
export class NodeState {
  alive = true;
  lamport = 0;
  readonly vc: Int32Array;
  /** Hybrid logical clock, ticked with the Lamport clock from the node's physical clock reading. */
  hlc: Hlc = HLC_ZERO;
  readonly clock: LocalClock;
  readonly timers = new Map<number, Timer>();
  /** ProtocolNode per protocol instance index (undefined when the node does not run it). */
  protocols: (ProtocolNode | undefined)[] = [];
  readonly stable: StableStorage[];
  readonly sentByLabel = new Map<string, number>();
  readonly receivedByLabel = new Map<string, number>();
  sent = 0;
  received = 0;
  crashes = 0;
  /** The last clock-changing fault or adjustment, for explaining skew violations. */
  lastClockCause: { message: string; range: import('../source').SourceRange } | undefined;

  constructor(readonly model: NodeModel, nodeCount: number, instances: readonly ProtocolInstance[]) {
    this.vc = new Int32Array(nodeCount);
    this.clock = new LocalClock(model.clock);
    this.stable = instances.map(() => {
      const store = new Map<string, unknown>();
      return {
        get: <T>(key: string) => store.get(key) as T | undefined,
        set: (key: string, value: unknown) => void store.set(key, structuredCloneSafe(value)),
      };
    });
  }

  count(map: Map<string, number>, label: string): void {
    map.set(label, (map.get(label) ?? 0) + 1);
  }
}

/** Stable storage keeps a copy, so later mutation of volatile state cannot leak into it. */
function structuredCloneSafe(value: unknown): unknown {
  return value === null || typeof value !== 'object' ? value : JSON.parse(JSON.stringify(value));
}
