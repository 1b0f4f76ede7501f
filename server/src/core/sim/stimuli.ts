import type { Model, ScriptAction } from '../model';
import type { SourceRange } from '../source';
import { formatDuration } from '../units';
import type { NodeState, Timer } from './nodeState';
import type { EventKind, TraceEvent } from './trace';

/**
 * How many later firings of a periodic timer (due at `deadline`, then every
 * `period`, up to `stop`) the clock reading `local` has already passed when
 * the timer fires. Like a POSIX interval timer (timer_settime, timerfd), a
 * timer whose clock jumped past several periods (or started ahead of them)
 * fires once and stays on its period grid: the missed expirations are
 * counted (the overrun), not replayed as a burst.
 */
export function missedPeriods(deadline: number, period: number, stop: number | undefined, local: number): number {
  if (!(local >= deadline + period)) return 0;
  let missed = Math.floor((local - deadline) / period);
  if (stop !== undefined) missed = Math.min(missed, Math.max(0, Math.floor((stop - deadline) / period)));
  return missed;
}

/** What firing a scenario stimulus needs from the simulator (bound once by the engine). */
export interface StimulusHooks {
  readonly model: Model;
  readonly nodes: readonly NodeState[];
  now(): number;
  addTimer(node: number, deadline: number, persistent: boolean, what: Timer['what']): void;
  emit(kind: EventKind, node: number, range: SourceRange, extra: Partial<TraceEvent>): void;
  /** Runs a scenario action on `node` (`replyTo`: whom `reply` sends to). */
  runAction(node: number, action: ScriptAction, replyTo: number): void;
}

/**
 * A stimulus timer (`at …`, `every …`) fires: a periodic one plans its next
 * firing on its period grid first (a `skip` event counts the periods its
 * clock already passed), then its action runs, unless the node is down
 * (a `skip` event says so).
 */
export function fireStimulus(timer: Timer, stimulus: number, firing: number, hooks: StimulusHooks): void {
  const s = hooks.model.stimuli[stimulus]!;
  const node = hooks.nodes[timer.node]!;
  const missed = s.period === undefined ? 0 : missedPeriods(timer.deadline, s.period, s.stop, node.clock.exact(hooks.now()));
  if (s.period !== undefined) {
    const next = timer.deadline + (missed + 1) * s.period;
    if (s.stop === undefined || next <= s.stop) hooks.addTimer(timer.node, next, true, { kind: 'stimulus', stimulus, firing: firing + 1 + missed });
  }
  const name = hooks.model.nodes[timer.node]!.name;
  if (missed > 0) {
    const period = formatDuration(s.period!);
    hooks.emit('skip', timer.node, s.range, { detail: `${missed} more period${missed === 1 ? '' : 's'} of every ${period} already passed on ${name}'s clock: fired once, not ${missed + 1} times`, data: { missed } });
  }
  if (!node.alive) {
    hooks.emit('skip', timer.node, s.range, { detail: `${name} is down` });
    return;
  }
  hooks.runAction(timer.node, s.action, timer.node);
}
