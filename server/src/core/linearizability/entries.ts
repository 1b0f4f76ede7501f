import type { Operation } from './history';

/**
 * The search's view of a history (search.ts): a doubly linked list, in time
 * order, of the calls and returns of the operations not yet linearized.
 * Linearizing an operation lifts its call and return out of the list;
 * backtracking puts them back, so the list always holds exactly the
 * operations still to place.
 */
export interface Entry<I, O> {
  readonly isCall: boolean;
  readonly time: number;
  readonly index: number;
  readonly op: Operation<I, O>;
  /** For a call of an operation that returned: its return entry. */
  match: Entry<I, O> | undefined;
  prev: Entry<I, O> | undefined;
  next: Entry<I, O> | undefined;
}

/**
 * A doubly linked list behind a sentinel head, of the operations `included`
 * (indexed by their position in `ops`): their calls and, for those that
 * returned, their returns, by time, calls first at equal times.
 */
export function buildEntries<I, O>(ops: readonly Operation<I, O>[], included: (op: Operation<I, O>) => boolean): Entry<I, O> {
  const entries: Entry<I, O>[] = [];
  ops.forEach((op, index) => {
    if (!(op.call <= op.ret)) throw new Error(`operation ${op.id} returns before it is called`);
    if (!included(op)) return;
    const call: Entry<I, O> = { isCall: true, time: op.call, index, op, match: undefined, prev: undefined, next: undefined };
    entries.push(call);
    if (op.ret === Infinity) return;
    const ret: Entry<I, O> = { isCall: false, time: op.ret, index, op, match: undefined, prev: undefined, next: undefined };
    call.match = ret;
    entries.push(ret);
  });
  entries.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.index - b.index : a.isCall ? -1 : 1));
  const head: Entry<I, O> = { isCall: false, time: -Infinity, index: -1, op: undefined as never, match: undefined, prev: undefined, next: undefined };
  let last = head;
  for (const e of entries) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

/** Takes a call and its return (if any) out of the list (the call is never the sentinel, so prev exists). */
export function lift<I, O>(call: Entry<I, O>): void {
  call.prev!.next = call.next;
  if (call.next) call.next.prev = call.prev;
  const ret = call.match;
  if (!ret) return;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Puts them back, in the reverse order of `lift`. */
export function unlift<I, O>(call: Entry<I, O>): void {
  const ret = call.match;
  if (ret) {
    ret.prev!.next = ret;
    if (ret.next) ret.next.prev = ret;
  }
  call.prev!.next = call;
  if (call.next) call.next.prev = call;
}
