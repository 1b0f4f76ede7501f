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
        set: (key: string, value: unknown) => void store.set(key, cloneData(value)),
        keep: (key: string, value: unknown) => void store.set(key, value),
      };
    });
  }

  count(map: Map<string, number>, label: string): void {
    map.set(label, (map.get(label) ?? 0) + 1);
  }
}

/**
 * Stable storage keeps a copy, so later mutation of volatile state cannot
 * leak into it. The copy is what a JSON round trip would give (what a disk
 * would hold): plain objects and arrays are copied by hand, which is many
 * times faster than JSON.parse(JSON.stringify(…)) on the small records
 * protocols persist; anything else (a Map, a Date, a class instance) takes
 * the JSON round trip itself, so the result is the same either way.
 */
export function cloneData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return isPlain(value) ? clonePlain(value) : JSON.parse(JSON.stringify(value));
}

function isPlain(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** JSON's rules for values inside a plain object or array: what JSON.stringify writes, JSON.parse gives back. */
function clonePlain(value: object): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = jsonValue(value[i]);
      out[i] = v === undefined ? null : v; // JSON writes an unrepresentable array element as null
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = jsonValue((value as Record<string, unknown>)[key]);
    if (v === undefined) continue; // and leaves such a property out
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}

function jsonValue(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : null; // -0 is written as 0
    case 'object':
      return v === null ? null : isPlain(v) ? clonePlain(v) : JSON.parse(JSON.stringify(v));
    case 'bigint':
      return JSON.stringify(v); // throws, as the JSON round trip does
    default:
      return undefined; // undefined, functions, symbols
  }
}
