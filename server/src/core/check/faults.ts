import { diagnostic } from '../diagnostics';
import type { FaultModel } from '../model';
import type * as A from '../syntax/ast';
import { formatDuration } from '../units';
import type { CheckContext } from './context';

const MAX_DRIFT_PPM = 100_000;

/** Checks one `faults { … }` statement and converts it; undefined if broken. */
export function checkFault(f: A.Fault, ctx: CheckContext): FaultModel | undefined {
  const time = ctx.time(f.time, 'this fault time');
  // Literals with every key written out, in the order `range, time, kind, …`, not a spread of a shared
  // base: a spread into a literal that then grows costs a shape change per fault, and a 1 MB file has thousands.
  const range = f.range;
  const window = 'window' in f && f.window ? ctx.span(f.window, "'for' window") : undefined;
  if ('window' in f && f.window && window === undefined) return undefined;
  const until = window === undefined || time === undefined ? undefined : time + window;
  switch (f.kind) {
    case 'partition': {
      const seen = new Map<number, A.NodeRef>();
      const groups: number[][] = [];
      for (const group of f.groups) {
        const members = ctx.nodes.resolveRefs(group);
        if (!members) return undefined;
        for (const [i, m] of members.entries()) {
          const ref = group[Math.min(i, group.length - 1)]!;
          const previous = seen.get(m);
          if (previous) {
            ctx.diagnostics.push(diagnostic('DS152', `node '${ctx.nodes.nodes[m]!.name}' is in two partition groups; each node belongs to one side`, ref.range, [
              { message: 'also listed here', range: previous.range },
            ]));
            return undefined;
          }
          seen.set(m, ref);
        }
        groups.push(members);
      }
      return time === undefined ? undefined : { range, time, kind: 'partition', groups, until };
    }
    case 'heal':
      return time === undefined ? undefined : { range, time, kind: 'heal' };
    case 'crash':
    case 'restart': {
      const node = ctx.node(f.node);
      return time === undefined || node === undefined ? undefined : { range, time, kind: f.kind, node };
    }
    case 'clock-jump': {
      const node = ctx.node(f.node);
      if (f.amount.kind !== 'duration') {
        ctx.diagnostics.push(diagnostic(f.amount.kind === 'number' ? 'DS120' : 'DS121', `a clock jump takes a signed time such as +40ms or -5ms`, f.amount.range));
        return undefined;
      }
      return time === undefined || node === undefined ? undefined : { range, time, kind: 'clock-jump', node, amount: f.amount.ns };
    }
    case 'clock-drift': {
      const node = ctx.node(f.node);
      if (f.amount.kind !== 'ppm') {
        ctx.diagnostics.push(diagnostic(f.amount.kind === 'number' ? 'DS120' : 'DS121', `a drift change takes a rate such as +200ppm`, f.amount.range));
        return undefined;
      }
      if (Math.abs(f.amount.ppm) > MAX_DRIFT_PPM) {
        ctx.diagnostics.push(diagnostic('DS129', `drift must be between -${MAX_DRIFT_PPM}ppm and +${MAX_DRIFT_PPM}ppm`, f.amount.range));
        return undefined;
      }
      return time === undefined || node === undefined ? undefined : { range, time, kind: 'clock-drift', node, ppm: f.amount.ppm };
    }
    case 'drop':
    case 'delay': {
      const links = linkPairs(f.link, ctx);
      if (f.kind === 'drop') return time === undefined || !links ? undefined : { range, time, kind: 'drop', links, until };
      const extra = ctx.span(f.extra, "'by' delay");
      return time === undefined || !links || extra === undefined ? undefined : { range, time, kind: 'delay', links, extra, until };
    }
  }
}

function linkPairs(link: A.LinkRef, ctx: CheckContext): [number, number][] | undefined {
  const from = ctx.node(link.from);
  const to = ctx.node(link.to);
  if (from === undefined || to === undefined) return undefined;
  if (from === to) {
    ctx.diagnostics.push(diagnostic('DS151', `a link needs two different nodes, not '${link.from.text}' twice`, link.range));
    return undefined;
  }
  return link.bidirectional ? [[from, to], [to, from]] : [[from, to]];
}

/**
 * DS150: faults that change nothing when they happen (crash of a node that is
 * already down, restart of a running node, heal with no partition). Walks
 * the faults in the order given, which must be time order (stable: equal
 * times as written), as the simulator will apply them.
 */
export function checkFaultEffects(faultsInTimeOrder: readonly FaultModel[], ctx: CheckContext): void {
  const down = new Set<number>();
  let partitionedUntil: number | undefined = undefined;
  const name = (i: number): string => ctx.nodes.nodes[i]!.name;
  // Formatted only for a report: most faults change something.
  const at = (f: FaultModel): string => formatDuration(f.time);
  for (const f of faultsInTimeOrder) {
    if (partitionedUntil !== undefined && f.time >= partitionedUntil) partitionedUntil = undefined;
    switch (f.kind) {
      case 'crash':
        if (down.has(f.node)) ctx.diagnostics.push(diagnostic('DS150', `'${name(f.node)}' is already down at ${at(f)}; this crash does nothing`, f.range));
        down.add(f.node);
        break;
      case 'restart':
        if (!down.has(f.node)) ctx.diagnostics.push(diagnostic('DS150', `'${name(f.node)}' is running at ${at(f)}; restart only follows a crash`, f.range));
        down.delete(f.node);
        break;
      case 'partition':
        partitionedUntil = f.until ?? Infinity;
        break;
      case 'heal':
        if (partitionedUntil === undefined) ctx.diagnostics.push(diagnostic('DS150', `no partition is in force at ${at(f)}; this heal does nothing`, f.range));
        partitionedUntil = undefined;
        break;
      default:
        break;
    }
  }
}
