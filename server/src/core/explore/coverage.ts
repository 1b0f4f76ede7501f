import type { InvariantDefinition, WorldView } from '../invariants/invariant';
import type { InvariantInstance, Model } from '../model';
import type { EventKind, TraceEvent } from '../sim/trace';
import { MS } from '../units';
import { StateSet } from './stateSet';

/**
 * Coverage of an exploration: how many distinct states the runs reached and
 * what the protocols did, so a user can judge how much was explored.
 *
 * A state is hashed at sampled points: after every crash, restart,
 * partition and heal, every role change a protocol notes (`{ role }`), and
 * every 8th other protocol note. It covers every node's protocol state
 * (`ProtocolNode.fingerprint`, else `inspect()`), its alive flag and its
 * clock's offset from true time rounded to 1ms. Messages in flight and
 * timers are left out on purpose: they make almost every state distinct and
 * hide what matters. Sampling keeps the observer cheap; it is
 * deterministic, so the count is the same for the same runs.
 */
export type Counters = Record<string, number>;

/** What one run adds to the coverage. */
export interface RunCoverage {
  /** Hashes this observer had not seen in any earlier run it observed. */
  readonly newStates: number[];
  readonly counters: Counters;
}

const ENVIRONMENT_KINDS = new Set<EventKind>(['crash', 'restart', 'partition', 'heal']);
/** What the observer counts or samples at; it is never called for the other events. */
const OBSERVED_KINDS: readonly EventKind[] = [...ENVIRONMENT_KINDS, 'drop', 'note'];
/** One protocol note in this many (other than role changes) is a sampling point. */
const NOTE_SAMPLING = 8;

/** Role names in protocol notes (`{ role: 'leader' }`) and the counter each transition adds to. */
const ROLE_COUNTERS: Readonly<Record<string, string>> = { candidate: 'elections', leader: 'leaders', follower: 'step_downs' };

/**
 * Watches runs through a monitor that never reports: `instrument(model)`
 * returns the model with the observer appended to its invariants, so the
 * simulator needs no hook and the real invariants keep their indices.
 */
export class CoverageObserver {
  private readonly seen = new StateSet();
  private fresh: number[] = [];
  private counters: Counters = {};
  private leadersThisRun = new Set<string>();
  private notes = 0;

  instrument(model: Model): Model {
    const definition: InvariantDefinition = {
      name: 'explore_coverage',
      summary: 'exploration coverage observer (never fails)',
      example: '',
      form: {},
      create: (_params, world) => ({ kinds: OBSERVED_KINDS, onEvent: (event) => void this.observe(event, world) }),
    };
    const params = { args: [], nodeArgs: [], within: undefined, comparator: undefined, bound: undefined, range: model.source.range };
    const observer: InvariantInstance = { definition, params, range: model.source.range, text: definition.name };
    return { ...model, invariants: [...model.invariants, observer] };
  }

  /** Call after each run: what it added since the previous call. */
  takeRun(): RunCoverage {
    const run = { newStates: this.fresh, counters: this.counters };
    this.fresh = [];
    this.counters = {};
    this.leadersThisRun = new Set();
    this.notes = 0;
    return run;
  }

  private count(key: string, by = 1): void {
    this.counters[key] = (this.counters[key] ?? 0) + by;
  }

  private observe(event: TraceEvent, world: WorldView): void {
    let sample = ENVIRONMENT_KINDS.has(event.kind);
    switch (event.kind) {
      case 'drop':
        this.count('messages_dropped');
        break;
      case 'crash':
        this.count('crashes');
        break;
      case 'partition':
        this.count('partitions');
        break;
      case 'note': {
        const role = event.data?.['role'];
        sample = role !== undefined || ++this.notes % NOTE_SAMPLING === 0;
        const counter = typeof role === 'string' ? ROLE_COUNTERS[role] : undefined;
        if (counter && event.protocol) {
          this.count(`${event.protocol}.${counter}`);
          if (role === 'leader' && !this.leadersThisRun.has(`${event.protocol}:${event.node}`)) {
            this.leadersThisRun.add(`${event.protocol}:${event.node}`);
            this.count(`${event.protocol}.distinct_leaders`);
          }
        }
        break;
      }
      default:
        break;
    }
    if (!sample) return;
    const h = stateHash(world);
    if (this.seen.add(h)) this.fresh.push(h);
  }
}

/** A 53-bit hash of the state of every node (see CoverageObserver): two multiplicative lanes. */
export function stateHash(world: WorldView): number {
  hashA = 0x811c9dc5;
  hashB = 0x01000193 ^ 0x5bd1e995;
  const t = world.now();
  const n = world.model.nodes.length;
  for (let node = 0; node < n; node++) {
    mix(0x7fff0000 + node);
    if (!world.isAlive(node)) continue;
    mix(Math.round((world.clock(node).read(t) - t) / MS) | 0);
    world.fingerprint(node, mix);
  }
  return (hashA >>> 0) * 0x200000 + ((hashB >>> 0) & 0x1fffff);
}

// The running hash lives at module level so `mix` is one function, not a closure per call (it is hot).
let hashA = 0;
let hashB = 0;
function mix(x: number): void {
  hashA = Math.imul(hashA ^ x, 0x01000193);
  hashB = Math.imul(hashB ^ x, 0x5bd1e995);
  hashB ^= hashB >>> 15;
}

/** Adds `from` into `into`. */
export function addCounters(into: Counters, from: Readonly<Counters>): void {
  for (const key in from) into[key] = (into[key] ?? 0) + from[key]!;
}
