import type { ExprReader } from '../expr/reader';
import { valuesEqual, type Value } from '../expr/values';
import type { ScenarioModel } from '../scenarioModel';
import type { WorldView } from './invariant';
import type { LocalClock } from '../sim/clock';
import { trueTimeClock } from './readingGap';
import { TRUE_TIME_CLOCK } from './linearForm';

const NODE_INDEX = new WeakMap<ScenarioModel, ReadonlyMap<string, number>>();

/** Node name → index, built once per model (exploration makes a reader per schedule). */
function nodeIndexOf(model: ScenarioModel): ReadonlyMap<string, number> {
  let index = NODE_INDEX.get(model);
  if (!index) NODE_INDEX.set(model, (index = new Map(model.nodes.map((n) => [n.name, n.index]))));
  return index;
}

/**
 * Reads node and protocol state of a running simulation for expressions
 * (expr/reader.ts). Protocol properties are read one by one
 * (WorldView.property) and kept per node until `touch(node)` says its state
 * may have changed; a node that is down keeps the properties it had when it
 * went down (its `alive` is false). `at` reads clocks at another instant
 * of the pieces they were on at the last `snapshotClocks` (to find where a
 * clock expression crosses its bound between events): the readings the
 * nodes would see then, floored to each clock's resolution.
 */
export class WorldReader implements ExprReader {
  private readonly index: ReadonlyMap<string, number>;
  /** Per node, the protocol properties read so far, and whether they are current. */
  private readonly cache: Map<string, Value | undefined>[];
  private readonly fresh: boolean[];
  private readonly touched: number[] = [];
  /** Whether each node was up at the last refresh (going down or coming back is a change). */
  private readonly wasAlive: boolean[];
  /** True time the clocks are read at; undefined: now. */
  at: number | undefined;
  /** Each clock's piece at the last snapshot (a frozen copy): between changes a clock is linear in true time. */
  private pieces: LocalClock[] | undefined;
  private readonly trueTime = trueTimeClock();

  /** `watched`: the protocol properties a monitor reads (refreshed after each step that touched a node). */
  constructor(private readonly world: WorldView, private readonly watched: readonly string[] = []) {
    this.index = nodeIndexOf(world.model);
    this.cache = world.model.nodes.map(() => new Map());
    this.fresh = world.model.nodes.map(() => false);
    this.wasAlive = world.model.nodes.map(() => true);
    for (let i = 0; i < this.fresh.length; i++) this.touched.push(i);
  }

  /** The node's state may have changed in this step. */
  touch(node: number): void {
    if (!this.fresh[node]) return;
    this.fresh[node] = false;
    this.touched.push(node);
  }

  /**
   * Reads the watched properties of every node touched since the last call;
   * whether any of them (or a node's being up) changed.
   */
  refreshTouched(): boolean {
    let changed = false;
    for (const node of this.touched) {
      const alive = this.world.isAlive(node);
      if (alive !== this.wasAlive[node]) changed = true;
      this.wasAlive[node] = alive;
      if (!alive) {
        // Down: it keeps the state it had when it went down.
        this.fresh[node] = true;
        continue;
      }
      const cache = this.cache[node]!;
      for (const name of this.watched) {
        const v = this.world.property(node, name) as Value | undefined;
        if (!changed && (!cache.has(name) || !valuesEqual(cache.get(name) ?? null, v ?? null) || (cache.get(name) === undefined) !== (v === undefined))) changed = true;
        cache.set(name, v);
      }
      this.fresh[node] = true;
    }
    this.touched.length = 0;
    return changed;
  }

  /** Remembers every clock's current piece, for reading clocks at later instants with `at`. */
  snapshotClocks(): void {
    this.pieces = this.world.model.nodes.map((_n, i) => this.world.clock(i).copy());
  }

  /** A clock's piece at the last snapshot; TRUE_TIME_CLOCK is true time. */
  readonly piece = (clock: number): LocalClock => (clock === TRUE_TIME_CLOCK ? this.trueTime : (this.pieces?.[clock] ?? this.world.clock(clock)));

  /** The node's reading at `at` on its piece at the last snapshot, else its reading now. */
  private clockAt(node: number): number {
    const t = this.time();
    return (this.at === undefined ? this.world.clock(node) : this.piece(node)).read(t);
  }

  nodeIndex(name: string): number {
    return this.index.get(name) ?? -1;
  }

  property(node: number, name: string): Value | undefined {
    const cache = this.cache[node]!;
    if ((this.fresh[node] || !this.world.isAlive(node)) && cache.has(name)) return cache.get(name);
    if (!this.world.isAlive(node)) return undefined;
    const v = this.world.property(node, name) as Value | undefined;
    cache.set(name, v);
    return v;
  }

  private time(): number {
    return this.at ?? this.world.now();
  }

  builtin(node: number, name: string, arg: number | string | undefined): Value {
    const w = this.world;
    switch (name) {
      case 'lamport': return w.lamport(node);
      case 'vc': return w.vc(node)[arg as number] ?? 0;
      case 'clock': return this.clockAt(node);
      case 'hlc': return w.counters(node).hlc.l;
      case 'hlc_counter': return w.counters(node).hlc.c;
      // What the node reads minus true time (floored to the clock's resolution, as `clock`).
      case 'offset': return this.clockAt(node) - this.time();
      case 'alive': return w.isAlive(node);
      case 'sent': return arg === undefined ? w.counters(node).sent : (w.counters(node).sentByLabel.get(arg as string) ?? 0);
      case 'received': return arg === undefined ? w.counters(node).received : (w.counters(node).receivedByLabel.get(arg as string) ?? 0);
      case 'crashes': return w.counters(node).crashes;
      default: throw new Error(`unknown node property ${name}`);
    }
  }

  variable(name: string): Value {
    if (name === 'now') return this.time();
    throw new Error(`unknown variable ${name}`);
  }
}
