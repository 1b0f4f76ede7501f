import type { OptionSpec, OptionValueOut } from '../check/options';
import type { Diagnostic } from '../diagnostics';
import type { ProtocolBinding } from '../syntax/ast';

/**
 * The contract every protocol implements (one protocol per file). A protocol
 * is bound to nodes in the scenario (`nodes n1..n5 run raft { … }` or
 * `sync ntp { … }`); the simulator creates one `ProtocolNode` per bound node
 * and drives it with messages and timers. A node sees only its own clock
 * (`ctx.now()`), never true time, and loses everything but `ctx.stable` when
 * it crashes.
 */
export interface ProtocolDefinition {
  readonly name: string;
  readonly summary: string;
  /** `nodes … run NAME { }` binds nodes directly; `sync NAME { }` names its nodes in options. */
  readonly binding: 'nodes' | 'sync';
  readonly options: readonly OptionSpec[];
  /** Properties `inspect()` reports, usable in `expect n1.NAME …` and shown on hover. */
  readonly properties: readonly PropertySpec[];
  /**
   * The client convention it answers: 'kv' for replicated key-value stores
   * (protocols/kv.ts), so `client c1 { … }` statements can talk to it.
   */
  readonly serves?: 'kv';
  /**
   * Every message type its nodes send (the `type` of `ctx.send`). Scenario
   * rules observe protocol messages by type (`on n1 receive "AppendEntries"`)
   * and `n1.sent("AppendEntries")` counts them; with this list the checker
   * also knows which rules can fire (DS161). Without it, any type is assumed
   * possible. test/unit/protocolMessages.test.ts checks the list against runs.
   */
  readonly messages?: readonly string[];
  /** What its notes report for the invariants (see STATE_REPORTS); absent: nothing they read. */
  readonly reports?: readonly StateReport[];
  /** Extra checks beyond the option schema, e.g. "needs at least 3 nodes". */
  validate?(binding: BoundProtocol, report: (d: Diagnostic) => void): void;
  /** Which nodes run it, for `sync` bindings whose nodes come from options. */
  members?(options: ReadonlyMap<string, OptionValueOut>, allNodes: readonly string[]): readonly string[];
  createNode(ctx: NodeContext): ProtocolNode;
}

/**
 * The kinds of protocol state the built-in invariants read from protocol
 * notes (see replicationNotes.ts, coordinationNotes.ts). A protocol lists
 * what it reports (ProtocolDefinition.reports), an invariant what it
 * watches (InvariantDefinition.watches); an invariant none of whose kinds a
 * bound protocol reports could only hold vacuously (DS139).
 */
export const STATE_REPORTS = {
  'leader-terms': 'leaders elected by term',
  'replicated-log': 'replicated logs',
  'applied-commands': 'commands applied to a replicated state machine',
  paxos: 'Paxos proposals and chosen values',
  'kv-clients': 'client operations on a key-value store',
  transactions: 'transaction votes and decisions',
  snapshots: 'snapshots',
  locks: 'lock grants and fenced writes',
  counters: 'counter increments',
  registers: 'register writes',
  queue: 'queued and consumed messages',
} as const;

export type StateReport = keyof typeof STATE_REPORTS;

export interface PropertySpec {
  readonly name: string;
  /**
   * The property's type in the expression language's type syntax (parsed by
   * `parseTypeText`, core/expr/types.ts): `int`, `time` (integer ns), `bool`,
   * `string`, `node`, an optional `T?` (none is null), `list<T>`, `set<T>`,
   * `map<K, V>` or a record `{ term: int, command: string }`. The values
   * `inspect()` returns have that type (see PropertyValue).
   */
  readonly type: string;
  readonly doc: string;
  /**
   * Old names still accepted, each with a DS138 warning and a quick fix to
   * `name` (see resolveProperty in registry.ts). Names are snake_case;
   * the camelCase names of earlier versions live on here.
   */
  readonly deprecatedAliases?: readonly string[];
}

export interface BoundProtocol {
  readonly ast: ProtocolBinding;
  readonly nodes: readonly string[];
  readonly options: ReadonlyMap<string, OptionValueOut>;
}

/**
 * A property's value at run time: int and time → an integer number, bool →
 * boolean, string and node → string, none (an absent optional) → null,
 * list and set → a readonly array (a set sorted and without repeats, so
 * equal sets are equal arrays), map and record → a plain object (a map's
 * keys in sorted order). Compared with `valuesEqual` (protocols/values.ts),
 * shown with `formatValue`.
 */
export type PropertyValue = number | string | boolean | null | readonly PropertyValue[] | { readonly [key: string]: PropertyValue };

/** A scalar in a note's structured data (TraceEvent.data). */
export type NoteValue = number | string | boolean;

export interface ProtocolNode {
  /** Called at the start of the run and after every restart (volatile state is fresh). */
  start(): void;
  onMessage(from: string, type: string, payload: unknown): void;
  onTimer(name: string, data: unknown): void;
  /** The node's state for hover, `expect` and the trace; keys from `properties`. */
  inspect(): Readonly<Record<string, PropertyValue>>;
  /**
   * One property, the same as `inspect()[name]`, without building the whole
   * record: written properties read a few of them after every step of an
   * exploration. Absent: `inspect()` is called.
   */
  read?(name: string): PropertyValue | undefined;
  /**
   * Feeds numbers that identify the node's state to `mix`, for the count of
   * distinct states an exploration reports. Called often during
   * exploration, so it should not build strings or objects. Absent: the
   * values of `inspect()` are hashed instead (same purpose, slower).
   */
  fingerprint?(mix: Mix): void;
}

/** Takes one number (its low 32 bits) into a running hash. */
export type Mix = (x: number) => void;

export interface SendOptions {
  /** A short human summary of the payload for the trace, e.g. `term=3 index=7` (see TraceText). */
  readonly summary?: TraceText;
  /** Where in the file the send is written (written protocols); absent: the protocol's binding. */
  readonly range?: import('../source').SourceRange;
}

/**
 * Text for the trace, or a function that makes it. A function is called
 * only when the run records its trace: exploration runs thousands of
 * schedules without one and never builds the text, which on busy protocols
 * costs more than the protocol itself. The function runs at once (during
 * the same call), so it sees the state of that moment.
 */
export type TraceText = string | (() => string);

export interface NodeContext {
  readonly self: string;
  /** Every node bound to this protocol instance, in declaration order (self included). */
  readonly members: readonly string[];
  /** A node's position among the scenario's declared nodes (0 for the first); undefined for a name that is no node. */
  nodeIndex(name: string): number | undefined;
  readonly options: ReadonlyMap<string, OptionValueOut>;
  /** This node's local clock reading in nanoseconds. */
  now(): number;
  send(to: string, type: string, payload?: unknown, options?: SendOptions): void;
  /** Fires when the node's own clock has advanced by `localDelay`; lost on crash. Returns an id. */
  setTimer(name: string, localDelay: number, data?: unknown): number;
  cancelTimer(id: number): void;
  /** Survives crashes (a node's disk). */
  readonly stable: StableStorage;
  /** Uniform in [0, 1), from this node's own seeded stream. */
  random(): number;
  /**
   * Records a protocol-level event in the trace (became leader, committed 3,
   * …). `data` is structured and read by invariants and charts, e.g.
   * `{ role: 'leader', term: 3 }` or `{ estimatedOffset: -1200 }`. Invariants
   * read `data`, never `detail`, which a run that does not record leaves
   * out when it is a function (see TraceText). `range`: where in the file
   * the note is written (written protocols); absent: the binding.
   */
  note(detail: TraceText, data?: Readonly<Record<string, NoteValue>>, range?: import('../source').SourceRange): void;
  /** True time, for oracles only (a GPS-like reference clock); ordinary nodes must not use it. */
  readonly oracle: { trueTime(): number };
  /** Adjusts this node's clock: for clock synchronisation protocols. */
  readonly clock: ClockControl;
  /** This node's logical clocks, read-only (the simulator keeps them; written protocols read them). */
  readonly logicalClocks: LogicalClocks;
  /**
   * Stops the run with a run-time error of the protocol (DS207, or DS208 for
   * a handler past its step budget) on `range`, naming this node and the
   * time: written protocols report their run-time errors this way instead of
   * throwing.
   */
  fail(code: 'DS207' | 'DS208', message: string, range: import('../source').SourceRange | undefined): void;
  /**
   * Counts and values the editor shows that the trace does not hold
   * (sim/tallies.ts): present only when the run records its trace, so a
   * protocol checks for it and exploration pays nothing.
   */
  readonly tally?: TallySink;
}

/** What a protocol node reports its tallies through (NodeContext.tally, kept by sim/tallies.ts). */
export interface TallySink {
  count(key: string): void;
  /** Keeps `value` as this node's latest value of `key`. */
  value(key: string, value: PropertyValue): void;
}

export interface LogicalClocks {
  lamport(): number;
  /** The vector clock by node name (every node of the scenario). */
  vc(): { readonly [node: string]: number };
  /** The hybrid logical clock: `l` a clock reading in ns, `c` the counter. */
  hlc(): { readonly l: number; readonly c: number };
}

export interface StableStorage {
  get<T>(key: string): T | undefined;
  /** Stores a copy (what a JSON round trip gives), so later mutation of the value changes nothing stored. */
  set(key: string, value: unknown): void;
  /**
   * Stores the value itself, without a copy: for immutable JSON data only
   * (no object or array in it is ever changed afterwards; no NaN or
   * infinity, and a -0 is as good as the 0 a copy would hold: it compares
   * and prints the same). Written protocols' values are such data
   * (protocolLang/runtime.ts), and copying a long log on every append
   * would cost time quadratic in its length. Absent: `set` is used.
   */
  keep?(key: string, value: unknown): void;
}

export interface ClockControl {
  /** Steps the clock by `delta` ns at once (may go backwards). */
  step(delta: number, why: string): void;
  /** Adds `ppm` to the clock's rate until changed again (slewing). */
  slew(ppm: number, why: string): void;
}
