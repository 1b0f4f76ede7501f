import type { Operation } from '../linearizability/history';
import { fail, type Position } from './located';

/**
 * The one history shape every input format (jepsenEdn.ts, jepsenLog.ts,
 * dsyncJson.ts) is read into, and the models (models.ts) check.
 *
 * A format yields events — an invocation, or a completion of the operation
 * its process (or its operation id) has outstanding — and `pairEvents` turns
 * them into operations:
 *  - `ok`: it happened, with this result;
 *  - `fail`: it did not happen: the operation is left out;
 *  - `info`, or no completion at all: it may have happened, its result is
 *    unknown: it returns at +∞ (it can be linearized anywhere after its call,
 *    which includes "after everything", i.e. not at all).
 * A read with an unknown result constrains nothing and is left out.
 */
export type OpKind = 'read' | 'write' | 'cas' | 'append';

/** A scalar value: `key` identifies it exactly (the number 5 and the string "5" differ), `text` shows it. */
export interface Value {
  readonly key: string;
  readonly text: string;
  /** Set for strings (append concatenates them). */
  readonly string?: string;
}

export const NIL: Value = { key: 'nil', text: 'nil' };

export interface OpInput {
  readonly kind: OpKind;
  /** The key (`:key` in Jepsen maps); undefined: the history's one register. */
  readonly key: string | undefined;
  /** write/append: the value written; cas: the new value. */
  readonly value?: Value;
  /** cas: the value compared against. */
  readonly expected?: Value;
}

/** What the operation returned; `unknown` when it never said. */
export type OpOutput = { readonly known: false } | { readonly known: true; readonly value?: Value; readonly casSucceeded?: boolean };

export const UNKNOWN: OpOutput = { known: false };

export interface HistoryOp extends Operation<OpInput, OpOutput> {
  /** Where the invocation is in the input, and its completion (undefined when it has none). */
  readonly callAt: Position;
  readonly returnAt: Position | undefined;
}

export interface HistoryEvent {
  readonly type: 'invoke' | 'ok' | 'fail' | 'info';
  readonly process: string;
  /** Pairs a completion with its invocation when processes may have several outstanding (dsync's opId). */
  readonly opId?: string;
  readonly kind: OpKind;
  readonly key: string | undefined;
  /** invoke: the argument (write/append value, cas [expected, new] as `expected` + `value`); ok read: the value read. */
  readonly value?: Value;
  readonly expected?: Value;
  /** ok cas: whether the compare succeeded (Porcupine's etcd logs record a failed compare as `:fail`). */
  readonly casSucceeded?: boolean;
  /** The real-time instant; events without one are ordered by position. */
  readonly time?: number;
  readonly at: Position;
}

export function pairEvents(events: readonly HistoryEvent[]): HistoryOp[] {
  interface Open {
    readonly event: HistoryEvent;
    readonly call: number;
  }
  const open = new Map<string, Open>();
  const ops: HistoryOp[] = [];
  const finish = (o: Open, output: OpOutput, ret: number, returnAt: Position | undefined): void => {
    const e = o.event;
    if (e.kind === 'read' && !output.known) return;
    const input: OpInput = { kind: e.kind, key: e.key, ...(e.value ? { value: e.value } : {}), ...(e.expected ? { expected: e.expected } : {}) };
    ops.push({ id: ops.length, client: e.process, input, output, call: o.call, ret, callAt: e.at, returnAt });
  };
  events.forEach((e, index) => {
    const time = e.time ?? index;
    const pairing = e.opId ?? e.process;
    const pending = open.get(pairing);
    if (e.type === 'invoke') {
      if (pending) fail(e.at, `process ${e.process} invokes an operation while its ${pending.event.kind} from line ${pending.event.at.line} is still outstanding`);
      open.set(pairing, { event: e, call: time });
      return;
    }
    if (!pending) fail(e.at, `a completion (:${e.type}) for process ${e.process}, which has no operation outstanding`);
    if (pending.event.kind !== e.kind) fail(e.at, `process ${e.process} completes a ${e.kind}, but the operation it invoked on line ${pending.event.at.line} is a ${pending.event.kind}`);
    open.delete(pairing);
    if (e.type === 'fail') return;
    if (e.type === 'info') return finish(pending, UNKNOWN, Infinity, e.at);
    const output: OpOutput = { known: true, ...(e.kind === 'read' ? { value: e.value ?? NIL } : {}), ...(e.kind === 'cas' ? { casSucceeded: e.casSucceeded ?? true } : {}) };
    finish(pending, output, time, e.at);
  });
  for (const o of open.values()) finish(o, UNKNOWN, Infinity, undefined);
  ops.sort((a, b) => a.call - b.call || a.id - b.id);
  return ops.map((op, id) => ({ ...op, id }));
}

/** How an operation reads in reports: `write 3`, `read → 2`, `cas 1→2 ok`, with its key: `append "k" ← "x"`. */
export function describeOp(op: HistoryOp): string {
  const i = op.input;
  const key = i.key !== undefined ? ` ${JSON.stringify(i.key)}` : '';
  const out = op.output;
  switch (i.kind) {
    case 'read': return `read${key} → ${out.known ? out.value!.text : '?'}`;
    case 'write': return `write${key}${key ? ' ←' : ''} ${i.value!.text}${out.known ? '' : ' (outcome unknown)'}`;
    case 'append': return `append${key}${key ? ' ←' : ''} ${i.value!.text}${out.known ? '' : ' (outcome unknown)'}`;
    case 'cas': return `cas${key} ${i.expected!.text}→${i.value!.text} ${out.known ? (out.casSucceeded ? 'ok' : 'failed') : '(outcome unknown)'}`;
  }
}
