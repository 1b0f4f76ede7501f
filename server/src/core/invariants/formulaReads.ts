import type { Checked, CheckedWithSource } from '../expr/checked';
import { checkedChildren } from '../expr/check';
import type { EventKind } from '../sim/trace';

/** What a written property reads, and so which events can change its value. */
export interface Reads {
  readonly kinds: readonly EventKind[];
  /** It reads protocol state. */
  readonly protocols: boolean;
  /** It reads clocks (`clock`, `offset`). */
  readonly clocks: boolean;
  /** Its value can change between events (clocks, `now`). */
  readonly time: boolean;
  /** The protocol properties it reads. */
  readonly protocolNames: readonly string[];
  /**
   * It reads only protocol properties and whether nodes are up: its value
   * can change only when one of those does, so a step that changed none of
   * them needs no evaluation (most steps of a protocol change no role or term).
   */
  readonly onlyState: boolean;
}

/** Event kinds after which each built-in node property may read differently. */
const BUILTIN_KINDS: Readonly<Record<string, readonly EventKind[]>> = {
  lamport: ['send', 'receive', 'local'],
  vc: ['send', 'receive', 'local'],
  hlc: ['send', 'receive', 'local'],
  hlc_counter: ['send', 'receive', 'local'],
  sent: ['send'],
  received: ['receive'],
  alive: ['crash', 'restart'],
  crashes: ['crash'],
  clock: ['clock-jump', 'clock-drift', 'clock-adjust', 'crash', 'restart'],
  offset: ['clock-jump', 'clock-drift', 'clock-adjust', 'crash', 'restart'],
};

/**
 * Protocol state changes only when a protocol runs: a message or timer it
 * handles (the monitor hears of those through InvariantMonitor.handled, so
 * no receive or timer event is built for it), a crash or a restart.
 */
const PROTOCOL_KINDS: readonly EventKind[] = ['crash', 'restart'];

export function readsOf(exprs: readonly CheckedWithSource[]): Reads {
  const kinds = new Set<EventKind>();
  let protocols = false;
  let clocks = false;
  let time = false;
  let onlyState = true;
  const names = new Set<string>();
  const visit = (c: Checked): void => {
    if (c.op === 'prop') {
      if (c.builtin) {
        for (const k of BUILTIN_KINDS[c.name] ?? []) kinds.add(k);
        if (c.name !== 'alive' && c.name !== 'crashes') onlyState = false;
        if (c.name === 'clock' || c.name === 'offset') clocks = time = true;
      } else {
        protocols = true;
        names.add(c.name);
        for (const k of PROTOCOL_KINDS) kinds.add(k);
      }
    }
    if (c.op === 'env') onlyState = false;
    if (c.op === 'env' && c.name === 'now') time = true;
    for (const child of checkedChildren(c)) visit(child);
  };
  for (const e of exprs) visit(e.checked);
  return { kinds: [...kinds], protocols, clocks, time, protocolNames: [...names], onlyState: onlyState && !time };
}
