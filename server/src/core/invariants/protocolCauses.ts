import type { EventKind, TraceEvent } from '../sim/trace';
import type { Value } from '../syntax/ast';
import { formatDuration } from '../units';
import type { Cause, WorldView } from './invariant';

/**
 * What the protocol invariants need to explain a violation: which protocol
 * instance an event belongs to, the options of that instance, and the faults
 * that happened so far.
 */

/** Index of the protocol instance whose binding produced `e` (notes, sends and receives carry its range), else −1. */
export function instanceOf(world: WorldView, e: TraceEvent): number {
  return world.model.protocols.findIndex((p) => p.range === e.range);
}

/** The binding statement itself: `three_phase_commit on C, P1, P2, P3`. */
export function bindingCause(world: WorldView, instance: number): Cause {
  const p = world.model.protocols[instance]!;
  return { message: `${p.definition.name} on ${p.nodes.map((i) => world.model.nodes[i]!.name).join(', ')}`, range: p.range };
}

/** The options of the instance that are set and matter to the violation, as written. */
export function optionCauses(world: WorldView, instance: number, keys: readonly string[], why: Readonly<Record<string, string>> = {}): Cause[] {
  const p = world.model.protocols[instance]!;
  const out: Cause[] = [];
  for (const key of keys) {
    const setting = p.options.ranges.get(key);
    if (!setting) continue;
    const text = setting.values.map((v) => valueText(v.value) + (v.assigned ? ` = ${valueText(v.assigned)}` : '')).join(', ');
    out.push({ message: `${key} ${text}${why[key] ? `: ${why[key]}` : ''}`, range: setting.range });
  }
  return out;
}

function valueText(v: Value): string {
  switch (v.kind) {
    case 'name': return v.name;
    case 'string': return JSON.stringify(v.value);
    case 'bool': return String(v.value);
    case 'range': return `${valueText(v.low)}..${valueText(v.high)}`;
    default: return v.text;
  }
}

/** The events FaultHistory remembers: a monitor that feeds it and reads only notes listens to `[...FAULT_EVENT_KINDS, 'note']`. */
export const FAULT_EVENT_KINDS: readonly EventKind[] = ['crash', 'restart', 'partition', 'heal', 'link-down', 'link-delay', 'clock-jump', 'clock-drift'];
const FAULT_KINDS: ReadonlySet<EventKind> = new Set(FAULT_EVENT_KINDS);
/** What a monitor that reads protocol notes and explains with FaultHistory listens to. */
export const NOTES_AND_FAULTS: readonly EventKind[] = [...FAULT_EVENT_KINDS, 'note'];

/**
 * Remembers the faults as they happen (feed it every event), so a monitor
 * can name the ones that led to a violation: those that touched the nodes
 * involved, plus every partition (which touches everyone).
 */
export class FaultHistory {
  /** `groups`: for a partition, and for the heal that ends it, each node's side (−1: not listed). */
  private readonly faults: { readonly e: TraceEvent; readonly groups?: Int32Array }[] = [];
  private partition: Int32Array | undefined;

  constructor(private readonly world: WorldView) {}

  observe(e: TraceEvent): void {
    if (!FAULT_KINDS.has(e.kind)) return;
    let groups: Int32Array | undefined;
    if (e.kind === 'partition') {
      const fault = this.world.model.faults.find((f) => f.range === e.range);
      groups = new Int32Array(this.world.model.nodes.length).fill(-1);
      if (fault?.kind === 'partition') fault.groups.forEach((members, i) => members.forEach((m) => (groups![m] = i)));
      this.partition = groups;
    } else if (e.kind === 'heal') {
      groups = this.partition;
      this.partition = undefined;
    }
    this.faults.push(groups ? { e, groups } : { e });
  }

  /** `crash n2 at 1.2s`: how a cause names the fault (made only when a violation is reported). */
  private describe(e: TraceEvent): string {
    const name = (i: number | undefined): string => (i === undefined ? '?' : (this.world.model.nodes[i]?.name ?? '?'));
    let what: string;
    switch (e.kind) {
      case 'crash': what = `crash ${name(e.node)}`; break;
      case 'restart': what = `restart ${name(e.node)}`; break;
      case 'partition': what = `partition ${e.detail ?? ''}`; break;
      case 'heal': what = 'heal'; break;
      case 'clock-jump':
      case 'clock-drift': what = `clock ${name(e.node)} ${e.detail ?? ''}`; break;
      default: what = `${e.kind === 'link-down' ? 'drop' : 'delay'} ${e.detail ?? ''}`;
    }
    return `${what.trim()} at ${formatDuration(e.time)}`;
  }

  /** The latest `limit` faults touching `nodes` (all nodes when omitted), plus every partition, oldest first. */
  causes(nodes?: readonly number[], limit = 3): Cause[] {
    return this.pick((f) => !nodes || f.e.node < 0 || this.involves(f.e, nodes), limit);
  }

  /**
   * The latest `limit` faults that matter to a group of nodes (a protocol
   * instance's members): those on or between them, and partitions (with
   * their heals) that separate two of them.
   */
  causesAmong(members: readonly number[], limit = 3): Cause[] {
    return this.pick((f) => (f.groups ? members.some((a) => members.some((b) => f.groups![a] !== f.groups![b])) : this.involves(f.e, members)), limit);
  }

  private involves(e: TraceEvent, nodes: readonly number[]): boolean {
    return nodes.includes(e.node) || (e.peer !== undefined && nodes.includes(e.peer));
  }

  private pick(touches: (f: (typeof this.faults)[number]) => boolean, limit: number): Cause[] {
    const seen = new Set<string>();
    const described = this.faults.filter(touches).reverse().map((f) => ({ message: this.describe(f.e), range: f.e.range }));
    return described.filter((c) => !seen.has(c.message) && seen.add(c.message)).slice(0, limit).reverse();
  }
}

/** Node indices of an instance's members. */
export function memberNodes(world: WorldView, instance: number): readonly number[] {
  return world.model.protocols[instance]!.nodes;
}

/** Node names of an instance's members. */
export function memberNames(world: WorldView, instance: number): string[] {
  return world.model.protocols[instance]!.nodes.map((i) => world.model.nodes[i]!.name);
}

export function nodeName(world: WorldView, node: number): string {
  return world.model.nodes[node]?.name ?? '?';
}
