import type { Model } from '../model';
import type { SourceRange } from '../source';
import type * as A from '../syntax/ast';
import { MS } from '../units';
import { exactDuration } from './materialize';
import type { TextEdit } from './textEdits';

/**
 * What the shrinker (shrink.ts) may take out of or narrow in a scenario,
 * read off its checked source. Every function here is pure and returns
 * source ranges or text edits of the text the model was checked from.
 */

/** Statements deleted together in one candidate. */
export interface Unit {
  readonly ranges: readonly SourceRange[];
  /** The faults of the unit (a crash with its restart, a partition with its heal): what shrinking wants fewest of. */
  readonly faults: readonly A.Fault[];
}

/**
 * The deletable statements of a scenario, faults first, then stimuli and
 * client operations, then the rest (rules, expectations, the other
 * invariants, loss/duplicate settings, link and clock overrides); never the
 * failing invariant or expectation (`invariant` is the text of either).
 *
 * A crash and the restart that ends it are one unit, and so are a partition
 * without `for` and the heal that ends it: deleting only one half leaves a
 * node down for the rest of the run (or a heal of nothing), which changes
 * much more than one fault, and reads like a different scenario.
 */
export function deletableUnits(model: Model, invariant: string): Unit[] {
  const faults = faultUnits(model.source.statements);
  const ops: Unit[] = [];
  const rest: Unit[] = [];
  const one = (range: SourceRange): Unit => ({ ranges: [range], faults: [] });
  let keptInvariant = false;
  for (const s of model.source.statements) {
    switch (s.kind) {
      case 'client':
        for (const item of s.items) ops.push(one(item.range));
        break;
      case 'at':
      case 'every':
        ops.push(one(s.range));
        break;
      case 'expect': {
        const e = model.expectations.find((x) => x.range.startOffset === s.range.startOffset);
        if (e?.text === invariant && !keptInvariant) keptInvariant = true;
        else rest.push(one(s.range));
        break;
      }
      case 'on':
      case 'link':
      case 'clock':
        rest.push(one(s.range));
        break;
      case 'invariant': {
        const inv = model.invariants.find((i) => i.range.startOffset === s.range.startOffset);
        if (inv?.text === invariant && !keptInvariant) keptInvariant = true;
        else rest.push(one(s.range));
        break;
      }
      case 'network':
        for (const o of s.options) if (o.key.text === 'loss' || o.key.text === 'duplicate') rest.push(one(o.range));
        break;
      default:
        break;
    }
  }
  return [...faults, ...ops, ...rest];
}

/** Fault units in order of time (file order at equal times), each pair at the place of its first fault. */
function faultUnits(statements: readonly A.Statement[]): Unit[] {
  const all: A.Fault[] = [];
  for (const s of statements) if (s.kind === 'faults') all.push(...s.faults);
  const timed = all.map((f, order) => ({ f, order, time: f.time.kind === 'duration' ? f.time.ns : 0 })).sort((a, b) => a.time - b.time || a.order - b.order);
  const partner = new Map<A.Fault, A.Fault>();
  const openCrash = new Map<string, A.Fault>();
  let openPartition: A.Fault | undefined;
  for (const { f } of timed) {
    if (f.kind === 'crash' && !openCrash.has(f.node.text)) openCrash.set(f.node.text, f);
    else if (f.kind === 'restart') {
      const crash = openCrash.get(f.node.text);
      if (crash) partner.set(crash, f).set(f, crash);
      openCrash.delete(f.node.text);
    } else if (f.kind === 'partition') openPartition = f.window ? undefined : f;
    else if (f.kind === 'heal') {
      if (openPartition) partner.set(openPartition, f).set(f, openPartition);
      openPartition = undefined;
    }
  }
  const done = new Set<A.Fault>();
  const units: Unit[] = [];
  for (const { f } of timed) {
    if (done.has(f)) continue;
    const other = partner.get(f);
    done.add(f);
    if (other) done.add(other);
    const faults = other ? [f, other] : [f];
    units.push({ ranges: faults.map((x) => x.range), faults });
  }
  return units;
}

/**
 * For each fault unit at a time T > 0: the unit moved to T/2 (whole
 * milliseconds), its faults keeping their distances (a crash keeps its
 * downtime). Earlier faults mean a shorter run, and a fault early in a run
 * meets what every run has, such as the first election.
 */
export function earlierFaults(model: Model): TextEdit[][] {
  const moves: TextEdit[][] = [];
  for (const unit of faultUnits(model.source.statements)) {
    const times = unit.faults.map((f) => (f.time.kind === 'duration' ? f.time : undefined));
    const first = times[0];
    if (!first || first.ns === 0 || times.some((t) => t === undefined)) continue;
    const by = first.ns - Math.floor(first.ns / 2 / MS) * MS;
    moves.push(times.map((t) => ({ start: t!.range.startOffset, end: t!.range.endOffset, text: exactDuration(t!.ns - by) })));
  }
  return moves;
}

/** Faults, stimuli and client operations with a time (or start, or stop) after `cut`. */
export function timedAfter(model: Model, cut: number): SourceRange[] {
  const late = (...values: (A.Value | undefined)[]): boolean => values.some((v) => v?.kind === 'duration' && v.ns > cut);
  const out: SourceRange[] = [];
  for (const s of model.source.statements) {
    if (s.kind === 'faults') for (const f of s.faults) if (late(f.time)) out.push(f.range);
    if (s.kind === 'at' && late(s.time)) out.push(s.range);
    if (s.kind === 'every' && late(s.start, s.stop)) out.push(s.range);
    if (s.kind === 'client') for (const item of s.items) if (item.kind === 'at' ? late(item.time) : late(item.start, item.stop)) out.push(item.range);
  }
  return out;
}

/**
 * For each fault window (`partition … for T`, `drop … for T`, `delay … for
 * T`) longer than 1ms: the window halved, in whole milliseconds.
 */
export function windowShortenings(model: Model): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const s of model.source.statements) {
    if (s.kind !== 'faults') continue;
    for (const f of s.faults) {
      const w = f.kind === 'partition' || f.kind === 'drop' || f.kind === 'delay' ? f.window : undefined;
      if (w?.kind !== 'duration' || w.ns <= MS) continue;
      edits.push({ start: w.range.startOffset, end: w.range.endOffset, text: exactDuration(Math.max(MS, Math.floor(w.ns / 2 / MS) * MS)) });
    }
  }
  return edits;
}

/**
 * Each faults block whose faults are out of time order (moving faults
 * earlier does that) with its faults sorted by time, when they are
 * separated alike (one per line, or all `;` on one line) so nothing between
 * them is lost. The sort is stable and faults at equal times keep their
 * file order, so the run does not change.
 */
export function sortedFaults(text: string, model: Model): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const s of model.source.statements) {
    if (s.kind !== 'faults' || s.faults.length < 2) continue;
    const time = (f: A.Fault): number => (f.time.kind === 'duration' ? f.time.ns : 0);
    const sorted = [...s.faults].sort((a, b) => time(a) - time(b));
    if (sorted.every((f, i) => f === s.faults[i])) continue;
    const separators = s.faults.slice(1).map((f, i) => text.slice(s.faults[i]!.range.endOffset, f.range.startOffset));
    if (separators.some((sep) => sep !== separators[0])) continue;
    const start = s.faults[0]!.range.startOffset;
    const end = s.faults[s.faults.length - 1]!.range.endOffset;
    edits.push({ start, end, text: sorted.map((f) => text.slice(f.range.startOffset, f.range.endOffset)).join(separators[0]) });
  }
  return edits;
}

/** For each latency range `a..b` in the network and link blocks: `a..mid`, else `a`. */
export function latencyNarrowings(text: string, model: Model): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const s of model.source.statements) {
    if (s.kind !== 'network' && s.kind !== 'link') continue;
    for (const o of s.options) {
      const v = o.key.text === 'latency' ? o.values[0]?.value : undefined;
      if (v?.kind !== 'range' || v.low.kind !== 'duration' || v.high.kind !== 'duration') continue;
      const low = v.low.ns;
      const half = (v.high.ns - low) / 2;
      // Whole milliseconds when the range allows, so the result reads `5ms..17ms`, not `5ms..17500us`.
      const mid = low + (half >= MS ? Math.floor(half / MS) * MS : Math.floor(half / 1000) * 1000);
      const lowText = text.slice(v.low.range.startOffset, v.low.range.endOffset);
      if (mid > low) edits.push({ start: v.range.startOffset, end: v.range.endOffset, text: `${lowText}..${exactDuration(mid)}` });
      edits.push({ start: v.range.startOffset, end: v.range.endOffset, text: lowText });
    }
  }
  return edits;
}
