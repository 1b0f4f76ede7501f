import type { FaultModel, Model } from '../model';
import type * as A from '../syntax/ast';
import { planRandomFaults } from '../sim/randomFaults';
import { applyEdits, deletion, type TextEdit } from './textEdits';

/**
 * The scenario for one seed as a file that replays it without `--seed`:
 * the header's seed set to `seed`, and every `faults random { … }` block
 * replaced by the faults it drew for that seed, written out at the end of
 * the file (so written faults keep coming first at equal times, as in the
 * simulator). The result runs exactly as `dsync run FILE --seed S`.
 */
export function materialize(text: string, model: Model, seed: number): string {
  const edits: TextEdit[] = [];
  const header = model.source.statements.find((s): s is A.ScenarioDecl => s.kind === 'scenario');
  if (header) edits.push(setSeed(text, header, seed));
  const planned = planRandomFaults(model, seed);
  const randomBlocks = model.source.statements.filter((s): s is A.FaultsBlock => s.kind === 'faults' && s.random !== undefined);
  for (const block of randomBlocks) edits.push(deletion(text, block.range.startOffset, block.range.endOffset));
  let out = applyEdits(text, edits).replace(/\n{3,}/g, '\n\n');
  if (planned.length > 0) {
    const names = model.nodes.map((n) => n.name);
    const lines = planned.map((f) => `  ${faultText(f, names)}`);
    out = `${out.replace(/\s*$/, '\n')}\n${drawnNote(seed)}\nfaults {\n${lines.join('\n')}\n}\n`;
  }
  return out;
}

/** The comment over the faults a seed drew. */
export function drawnNote(seed: number): string {
  return `// drawn by 'faults random' for seed ${seed}`;
}

/** The edit that makes the header say `seed S` (replacing the seed it has, or adding one). */
export function setSeed(text: string, header: A.ScenarioDecl, seed: number): TextEdit {
  const option = header.options.find((o) => o.key.text === 'seed');
  if (option) return { start: option.range.startOffset, end: option.range.endOffset, text: `seed ${seed}` };
  const brace = text.indexOf('{', header.name.range.endOffset);
  return { start: brace + 1, end: brace + 1, text: `\n  seed ${seed}` };
}

/** A time as the language writes it, exactly (no rounding). */
export function exactDuration(ns: number): string {
  if (ns % 1_000_000 === 0) return `${ns / 1_000_000}ms`;
  if (ns % 1_000 === 0) return `${ns / 1_000}us`;
  return `${ns}ns`;
}

/** One fault as a statement of a `faults { … }` block. */
export function faultText(f: FaultModel, names: readonly string[]): string {
  const at = `at ${exactDuration(f.time)}`;
  const window = (until: number | undefined): string => (until === undefined ? '' : ` for ${exactDuration(until - f.time)}`);
  const link = (links: readonly (readonly [number, number])[]): string => `${names[links[0]![0]]} ${links.length > 1 ? '<->' : '->'} ${names[links[0]![1]]}`;
  switch (f.kind) {
    case 'crash':
    case 'restart':
      return `${at} ${f.kind} ${names[f.node]}`;
    case 'partition':
      return `${at} partition ${f.groups.map((g) => `{${g.map((i) => names[i]).join(', ')}}`).join(' | ')}${window(f.until)}`;
    case 'heal':
      return `${at} heal`;
    case 'clock-jump':
      return `${at} clock ${names[f.node]} jump ${f.amount >= 0 ? '+' : '-'}${exactDuration(Math.abs(f.amount))}`;
    case 'clock-drift':
      return `${at} clock ${names[f.node]} drift ${f.ppm >= 0 ? '+' : ''}${f.ppm}ppm`;
    case 'drop':
      return `${at} drop ${link(f.links)}${window(f.until)}`;
    case 'delay':
      return `${at} delay ${link(f.links)} by ${exactDuration(f.extra)}${window(f.until)}`;
  }
}
