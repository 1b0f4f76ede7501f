import type { FaultModel, Model } from '../model';
import type { SourceRange } from '../source';
import { formatDuration, formatPpm } from '../units';
import type { Network } from './network';
import type { NodeState } from './nodeState';
import type { EventKind, TraceEvent } from './trace';

/** Environment events (partition, heal) happen on no node: node −1. */
export const ENVIRONMENT = -1;

/** What applying a fault needs from the simulator (bound once by the engine). */
export interface FaultHooks {
  readonly model: Model;
  readonly nodes: readonly NodeState[];
  readonly network: Network;
  now(): number;
  emit(kind: EventKind, node: number, range: SourceRange, extra?: Partial<TraceEvent>): void;
  /** After a clock change: every pending timer of the node planned again by its new clock. */
  replanTimers(node: number): void;
  /** After a restart: fresh protocol instances, started. */
  startProtocols(node: number): void;
  /** Ends a partition, drop or delay window at `time` (see endFaultWindow). */
  scheduleWindowEnd(time: number, fault: FaultModel, partitionId: number): void;
}

/**
 * A fault takes effect at its time: a crash loses volatile state and
 * protocol timers (scenario stimuli stay: they are the environment); a
 * restart starts the protocols afresh; a partition, heal, drop or delay
 * changes the network; a clock jump or drift change re-plans the node's
 * timers by its changed clock. Each is recorded as an event.
 */
export function applyFault(f: FaultModel, h: FaultHooks): void {
  const name = (i: number): string => h.model.nodes[i]!.name;
  switch (f.kind) {
    case 'crash': {
      const state = h.nodes[f.node]!;
      if (!state.alive) return;
      state.alive = false;
      state.crashes++;
      for (const [id, timer] of state.timers) if (!timer.persistent) state.timers.delete(id);
      state.protocols = [];
      h.emit('crash', f.node, f.range);
      return;
    }
    case 'restart': {
      const state = h.nodes[f.node]!;
      if (state.alive) return;
      state.alive = true;
      h.emit('restart', f.node, f.range);
      h.startProtocols(f.node);
      return;
    }
    case 'partition': {
      const id = h.network.partition(f.groups);
      const text = f.groups.map((g) => `{${g.map(name).join(', ')}}`).join(' | ');
      h.emit('partition', ENVIRONMENT, f.range, { detail: text });
      if (f.until !== undefined) h.scheduleWindowEnd(f.until, f, id);
      return;
    }
    case 'heal':
      if (h.network.heal()) h.emit('heal', ENVIRONMENT, f.range);
      return;
    case 'clock-jump':
    case 'clock-drift': {
      const state = h.nodes[f.node]!;
      const detail = f.kind === 'clock-jump' ? `jump ${formatDuration(f.amount, true)}` : `drift ${formatPpm(f.ppm)}`;
      if (f.kind === 'clock-jump') state.clock.jump(h.now(), f.amount);
      else state.clock.setDrift(h.now(), f.ppm);
      state.lastClockCause = { message: `clock ${name(f.node)} ${detail}`, range: f.range };
      const ratePpm = state.clock.totalRatePpm;
      h.emit(f.kind, f.node, f.range, { detail, data: f.kind === 'clock-jump' ? { step: f.amount, ratePpm } : { ratePpm } });
      h.replanTimers(f.node);
      return;
    }
    case 'drop':
    case 'delay': {
      h.network.window(f, 1);
      const [a, b] = f.links[0]!;
      const arrow = f.links.length > 1 ? '<->' : '->';
      const detail = `${name(a)} ${arrow} ${name(b)}${f.kind === 'delay' ? ` +${formatDuration(f.extra)}` : ''}`;
      h.emit(f.kind === 'drop' ? 'link-down' : 'link-delay', a, f.range, { detail, peer: b });
      if (f.until !== undefined) h.scheduleWindowEnd(f.until, f, 0);
      return;
    }
  }
}

/** The end of a timed window (`for 200ms`): a partition heals (only the one that set it), a link comes back. */
export function endFaultWindow(f: FaultModel, partitionId: number, h: FaultHooks): void {
  if (f.kind === 'partition') {
    if (h.network.heal(partitionId)) h.emit('heal', ENVIRONMENT, f.range, { detail: 'partition window over' });
  } else if (f.kind === 'drop' || f.kind === 'delay') {
    h.network.window(f, -1);
    const [a, b] = f.links[0]!;
    const link = `${h.model.nodes[a]!.name} ${f.links.length > 1 ? '<->' : '->'} ${h.model.nodes[b]!.name}`;
    h.emit('link-up', a, f.range, { peer: b, detail: f.kind === 'drop' ? link : `${link} (extra delay over)` });
  }
}
