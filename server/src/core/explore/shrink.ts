import type { Model } from '../model';
import { Simulation } from '../sim/engine';
import type { Violation } from '../sim/trace';
import type * as A from '../syntax/ast';
import { MS } from '../units';
import { exactDuration, materialize } from './materialize';
import { modelFor } from './runner';
import { applyEdits, deletion, type TextEdit } from './textEdits';

/**
 * Shrinks a failing run to a smaller scenario that still fails the same
 * invariant, by editing the source text: the result is literally a `.dsync`
 * file that replays with `dsync run`.
 *
 * 1. The failing seed is written into the header and `faults random`
 *    blocks are replaced by the faults they drew for it (materialize.ts).
 * 2. `run for` is cut to just after the violation.
 * 3. Greedy delta debugging over statements that can go (faults, `at` and
 *    `every` stimuli, client operations, rules, expectations, the other
 *    invariants, loss/duplication settings, link and clock overrides):
 *    chunks of half the list, then quarters, … down to single ones; a
 *    candidate is kept when it still checks and still fails the invariant.
 * 4. Latency ranges `a..b` are narrowed to `a..mid`, then to `a`.
 *
 * Each candidate is one simulation, and their number is bounded
 * (`maxAttempts`). The generator yields after every attempt, so a caller
 * can run it in slices and stop early; `shrink` runs it to the end.
 */
export interface ShrinkOptions {
  /** Simulations tried at most (default 400). */
  readonly maxAttempts?: number;
}

export interface ShrinkResult {
  readonly text: string;
  /** Candidates simulated. */
  readonly attempts: number;
  /** Candidates kept. */
  readonly kept: number;
  /** The violation the shrunk text shows when run. */
  readonly violation: Violation;
}

export function shrink(text: string, seed: number, invariant: string, options: ShrinkOptions = {}): ShrinkResult {
  const steps = shrinkSteps(text, seed, invariant, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export function* shrinkSteps(text: string, seed: number, invariant: string, options: ShrinkOptions = {}): Generator<number, ShrinkResult> {
  const maxAttempts = options.maxAttempts ?? 400;
  const model = modelFor(text);
  if (typeof model === 'string') throw new Error(`cannot shrink a scenario with errors: ${model}`);
  let attempts = 0;
  let kept = 0;
  // Materializing never changes a run; should it ever, shrink from the file as written with the seed set.
  const start = replay(materialize(text, model, seed), invariant) ?? replay(withSeed(text, model, seed), invariant);
  if (!start) throw new Error(`seed ${seed} does not fail '${invariant}'`);
  let current: Replay = start;

  const attempt = (candidate: string): boolean => {
    attempts++;
    const result = replay(candidate, invariant);
    if (!result) return false;
    current = result;
    kept++;
    return true;
  };

  // Cut the run just after the violation.
  const header = current.model.source.statements.find((s): s is A.ScenarioDecl => s.kind === 'scenario');
  const cut = Math.ceil((current.violation.time + 1) / MS) * MS;
  if (header?.duration && cut < current.model.duration) {
    // Statements timed after the cut could not have mattered, and would now be after the end (DS123).
    const late = timedAfter(current.model, cut).map((r) => deletion(current.text, r.startOffset, r.endOffset));
    attempt(applyEdits(current.text, [{ start: header.duration.range.startOffset, end: header.duration.range.endOffset, text: exactDuration(cut) }, ...late]));
    yield attempts;
  }

  // Delta debugging over deletable statements.
  let chunk = Math.max(1, Math.ceil(deletable(current.model, invariant).length / 2));
  while (attempts < maxAttempts) {
    const items = deletable(current.model, invariant);
    if (items.length === 0) break;
    chunk = Math.min(chunk, items.length);
    let removed = false;
    for (let start = 0; start < items.length && attempts < maxAttempts; start += chunk) {
      const group = items.slice(start, start + chunk);
      const ok = attempt(applyEdits(current.text, group.map((r) => deletion(current.text, r.startOffset, r.endOffset))));
      yield attempts;
      if (ok) {
        removed = true;
        break;
      }
    }
    if (removed) continue;
    if (chunk === 1) break;
    chunk = Math.ceil(chunk / 2);
  }

  // Narrower latencies.
  for (let narrowed = true; narrowed && attempts < maxAttempts; ) {
    narrowed = false;
    for (const edit of latencyNarrowings(current.text, current.model)) {
      if (attempts >= maxAttempts) break;
      const ok = attempt(applyEdits(current.text, [edit]));
      yield attempts;
      if (ok) {
        narrowed = true;
        break;
      }
    }
  }

  // Blocks left empty.
  const empty = current.model.source.statements.filter((s) => s.kind === 'faults' && s.faults.length === 0 && !s.random);
  if (empty.length > 0 && attempts < maxAttempts) {
    attempt(applyEdits(current.text, empty.map((s) => deletion(current.text, s.range.startOffset, s.range.endOffset))));
    yield attempts;
  }
  return { text: withHeaderComment(current, seed, invariant), attempts, kept, violation: current.violation };
}

/** The shrunk text with the original's leading comments (which describe the original) replaced by one line saying what it is. */
function withHeaderComment(result: Replay, seed: number, invariant: string): string {
  const first = result.model.source.statements[0];
  const body = first ? result.text.slice(first.range.startOffset) : result.text;
  return `// Shrunk by 'dsync explore' from seed ${seed}: still fails ${invariant}. Replay: dsync run THIS_FILE\n${body}`;
}

interface Replay {
  readonly text: string;
  readonly model: Model;
  readonly violation: Violation;
}

/** Runs `text` with its own seed; the replay when it checks and fails `invariant`. */
function replay(text: string, invariant: string): Replay | undefined {
  const model = modelFor(text);
  if (typeof model === 'string') return undefined;
  const sim = new Simulation(model, { record: false }).run();
  const violation = sim.violations.find((v) => v.invariant === invariant);
  return violation ? { text, model, violation } : undefined;
}

function withSeed(text: string, model: Model, seed: number): string {
  return materialize(text, { ...model, randomFaults: undefined }, seed);
}

/** Source ranges of the statements shrinking may delete, most wanted first; never the failing invariant. */
function deletable(model: Model, invariant: string): A.Located['range'][] {
  const faults: A.Located['range'][] = [];
  const ops: A.Located['range'][] = [];
  const rest: A.Located['range'][] = [];
  let keptInvariant = false;
  for (const s of model.source.statements) {
    switch (s.kind) {
      case 'faults':
        for (const f of s.faults) faults.push(f.range);
        break;
      case 'client':
        for (const item of s.items) ops.push(item.range);
        break;
      case 'at':
      case 'every':
        ops.push(s.range);
        break;
      case 'on':
      case 'expect':
      case 'link':
      case 'clock':
        rest.push(s.range);
        break;
      case 'invariant': {
        const inv = model.invariants.find((i) => i.range.startOffset === s.range.startOffset);
        if (inv?.text === invariant && !keptInvariant) keptInvariant = true;
        else rest.push(s.range);
        break;
      }
      case 'network':
        for (const o of s.options) if (o.key.text === 'loss' || o.key.text === 'duplicate') rest.push(o.range);
        break;
      default:
        break;
    }
  }
  return [...faults, ...ops, ...rest];
}

/** Faults, stimuli and client operations with a time (or start, or stop) after `cut`. */
function timedAfter(model: Model, cut: number): A.Located['range'][] {
  const late = (...values: (A.Value | undefined)[]): boolean => values.some((v) => v?.kind === 'duration' && v.ns > cut);
  const out: A.Located['range'][] = [];
  for (const s of model.source.statements) {
    if (s.kind === 'faults') for (const f of s.faults) if (late(f.time)) out.push(f.range);
    if (s.kind === 'at' && late(s.time)) out.push(s.range);
    if (s.kind === 'every' && late(s.start, s.stop)) out.push(s.range);
    if (s.kind === 'client') for (const item of s.items) if (item.kind === 'at' ? late(item.time) : late(item.start, item.stop)) out.push(item.range);
  }
  return out;
}

/** For each latency range `a..b` in the network and link blocks: `a..mid`, else `a`. */
function latencyNarrowings(text: string, model: Model): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const s of model.source.statements) {
    if (s.kind !== 'network' && s.kind !== 'link') continue;
    for (const o of s.options) {
      const v = o.key.text === 'latency' ? o.values[0]?.value : undefined;
      if (v?.kind !== 'range' || v.low.kind !== 'duration' || v.high.kind !== 'duration') continue;
      const low = v.low.ns;
      const mid = low + Math.floor((v.high.ns - low) / 2 / 1000) * 1000;
      const lowText = text.slice(v.low.range.startOffset, v.low.range.endOffset);
      if (mid > low) edits.push({ start: v.range.startOffset, end: v.range.endOffset, text: `${lowText}..${exactDuration(mid)}` });
      edits.push({ start: v.range.startOffset, end: v.range.endOffset, text: lowText });
    }
  }
  return edits;
}
