import type { LogEvent, ParsedLog } from './read';

/**
 * Vector-clock consistency of a log, the rules ShiViz builds its diagram on
 * plus causal delivery:
 * - `own-entry-missing`: an event's clock has no entry for its own host;
 * - `clock-skips` / `clock-backwards`: a host's own entry must be 1 on its
 *   first event and grow by exactly 1 from one event to its next; no entry
 *   of a host's clock may go down from one of its events to the next;
 * - `unknown-host` / `no-such-event`: an entry must name a host of the log
 *   and one of that host's events (an entry of n means "knows n events");
 * - `receive-not-dominating`: an entry that rises above the host's previous
 *   event's says the event received a message sent at that other host's
 *   event with that number (sends and receives are paired by clock, as ShiViz
 *   does); the receive's clock must then be at least the send's in every
 *   entry, or the message arrived before something it causally depends on.
 * Each problem points at the event's clock in the log; a problem that
 * concerns two events names the other one too.
 */
export type LogRule = 'own-entry-missing' | 'clock-skips' | 'clock-backwards' | 'unknown-host' | 'no-such-event' | 'receive-not-dominating';

export interface LogDiagnostic {
  readonly rule: LogRule;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  /** The event index in the log. */
  readonly event: number;
  /** The other event involved (the send of a receive, a host's previous event). */
  readonly related?: { readonly event: number; readonly line: number; readonly column: number; readonly message: string };
}

/** A message inferred from the clocks: `to` learned of `from` (the send) through it. */
export interface LogMessage {
  readonly from: number;
  readonly to: number;
}

export interface LogCheck {
  readonly diagnostics: readonly LogDiagnostic[];
  readonly messages: readonly LogMessage[];
}

const entry = (e: LogEvent, host: string): number => e.clock.get(host) ?? 0;
const showClock = (e: LogEvent): string => `{${[...e.clock].filter(([, n]) => n > 0).map(([h, n]) => `${JSON.stringify(h)}: ${n}`).join(', ')}}`;

export function checkLog(log: ParsedLog): LogCheck {
  const diagnostics: LogDiagnostic[] = [];
  const messages: LogMessage[] = [];
  const hosts = new Set(log.hosts);
  // Each host's events by their own entry (the first with a number wins; repeats are reported below).
  const byOwn = new Map<string, Map<number, LogEvent>>();
  const eventsOf = new Map<string, number>();
  for (const e of log.events) {
    eventsOf.set(e.host, (eventsOf.get(e.host) ?? 0) + 1);
    const own = e.clock.get(e.host);
    if (own === undefined) continue;
    let events = byOwn.get(e.host);
    if (!events) byOwn.set(e.host, (events = new Map()));
    if (!events.has(own)) events.set(own, e);
  }
  const report = (e: LogEvent, rule: LogRule, message: string, related?: LogEvent, relatedMessage?: string): void => {
    diagnostics.push({
      rule, message, line: e.clockLine, column: e.clockColumn, event: e.index,
      ...(related ? { related: { event: related.index, line: related.line, column: related.column, message: relatedMessage ?? '' } } : {}),
    });
  };
  const previous = new Map<string, LogEvent>();
  for (const e of log.events) {
    const before = previous.get(e.host);
    previous.set(e.host, e);
    const own = e.clock.get(e.host);
    if (own === undefined) {
      report(e, 'own-entry-missing', `${e.host}'s clock has no entry for ${e.host} itself: each event's clock counts its own host's events`);
    } else {
      const last = before ? entry(before, e.host) : 0;
      if (own > last + 1) report(e, 'clock-skips', before ? `${e.host}'s own entry skips from ${last} to ${own}: it must grow by exactly 1 from one event to the next` : `${e.host}'s first event has its own entry at ${own}: it must start at 1`, before, `${e.host}'s previous event`);
      else if (own <= last) report(e, 'clock-backwards', `${e.host}'s own entry ${own === last ? 'stays at' : `goes back from ${last} to`} ${own}: it must grow by exactly 1 from one event to the next`, before, `${e.host}'s previous event`);
    }
    if (before) {
      for (const [host, had] of before.clock) {
        if (host !== e.host && entry(e, host) < had) report(e, 'clock-backwards', `${e.host}'s entry for ${host} goes back from ${had} to ${entry(e, host)}: a host never forgets what it knew`, before, `${e.host}'s previous event`);
      }
    }
    const learned: LogEvent[] = [];
    for (const [host, count] of e.clock) {
      if (host === e.host || count === 0) continue;
      if (!hosts.has(host)) {
        report(e, 'unknown-host', `the clock has an entry for ${JSON.stringify(host)}, which logs no event`);
        continue;
      }
      const known = eventsOf.get(host) ?? 0;
      if (count > known) {
        report(e, 'no-such-event', `the clock says ${e.host} knows ${count} events of ${host}, but ${host} logs ${known}`);
        continue;
      }
      if (count <= (before ? entry(before, host) : 0)) continue;
      // Learned something new of `host`: from host's event number `count`, directly or through another host.
      const send = byOwn.get(host)?.get(count);
      if (send) learned.push(send);
    }
    // As ShiViz does: a send another learned send already knows of came through it, not in a message of its own.
    const direct = learned.filter((s) => !learned.some((t) => t !== s && entry(t, s.host) >= entry(s, s.host)));
    for (const send of direct) {
      messages.push({ from: send.index, to: e.index });
      const behind = [...send.clock].filter(([h, n]) => entry(e, h) < n);
      if (behind.length > 0) {
        const [h, n] = behind[0]!;
        report(e, 'receive-not-dominating', `this receive's clock ${showClock(e)} does not dominate its send's ${showClock(send)}: its entry for ${h} is ${entry(e, h)}, the send's ${n}`, send, `the send (${send.host}'s event ${entry(send, send.host)})`);
      }
    }
  }
  return { diagnostics, messages };
}
