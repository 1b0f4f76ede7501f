import type { RunResult } from '../core/sim/result';
import { verdict } from '../core/sim/result';
import { printable } from '../core/printable';
import { describeEvent } from '../core/sim/describe';

export { describeEvent };
import { formatClockReading, formatDuration } from '../core/units';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

export const plain: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s };
export const ansi: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  green: (s) => `\x1b[32m${s}\x1b[39m`,
  yellow: (s) => `\x1b[33m${s}\x1b[39m`,
};

/** One line per event: true time, node, its local clock, what happened, Lamport and vector clock. */
export function formatTimeline(result: RunResult, style: Style): string[] {
  return [...timelineLines(result, style)];
}

/** The timeline's lines one at a time (a long run's timeline is never built as one array or string). */
export function* timelineLines(result: RunResult, style: Style): Generator<string> {
  const names = result.model.nodes.map((n) => n.name);
  const nodeWidth = Math.max(4, ...names.map((n) => n.length));
  yield style.dim(`${'true time'.padEnd(11)}  ${'node'.padEnd(nodeWidth)}  ${'local'.padEnd(11)}  ${'event'.padEnd(44)} ${'L'.padStart(4)}  vector clock`);
  const violatingSeqs = new Set(result.violations.map((v) => v.seq));
  // Violations with no event of their own (a written property crossing its bound between events) get a line at their instant.
  const between = result.violations.filter((v) => v.seq < 0 && v.code === 'DS201' && v.witness !== undefined).sort((a, b) => a.time - b.time);
  let next = 0;
  const marker = (v: (typeof between)[number]): string => style.red(`${formatClockReading(v.time).padEnd(11)}  ${'*'.padEnd(nodeWidth)}  ${''.padEnd(11)}  ${printable(`${v.invariant.split(':')[0]} violated (between events)`)}  ◀ violation`);
  for (const e of result.events) {
    while (next < between.length && between[next]!.time < e.time) yield marker(between[next++]!);
    const what = describeEvent(e, names);
    const vc = e.vc.length ? `[${names.map((n, i) => `${n}:${e.vc[i]}`).join(' ')}]` : '';
    let line = `${formatClockReading(e.time).padEnd(11)}  ${(names[e.node] ?? '*').padEnd(nodeWidth)}  ${formatClockReading(e.local).padEnd(11)}  ${what.padEnd(44)} ${(e.vc.length ? String(e.lamport) : '').padStart(4)}  ${vc}`;
    if (e.kind === 'drop' || e.kind === 'crash') line = style.yellow(line);
    if (violatingSeqs.has(e.seq)) line = style.red(`${line}  ◀ violation`);
    yield line;
  }
  while (next < between.length) yield marker(between[next++]!);
}

/**
 * Why the run stopped before the scenario's end, when it did, in the words
 * the user needs: which flag or setting to change. Undefined for a run to the end.
 */
export type EarlyStop =
  | { readonly by: 'until' }
  | { readonly by: 'max-events'; readonly limit: number; readonly source: 'flag' | 'scenario' | 'default' }
  | { readonly by: 'memory'; readonly megabytes: number };

/** Invariants and expectations with ✓/✗/?, the causes of each failure, and a last line that never calls an undecided run a pass. */
export function formatSummary(result: RunResult, file: string, style: Style, early?: EarlyStop): string[] {
  const lines: string[] = [];
  const s = result.stats;
  lines.push(style.bold(`scenario ${result.model.name}`) + style.dim(`  seed ${result.seed}, ran to t=${formatDuration(result.endTime)}, ${s.events} events, ${s.messagesSent} messages sent, ${s.messagesDelivered} delivered, ${s.messagesDropped} dropped, ${s.messagesDuplicated} duplicated`));
  const warning = early ? earlyStopWarning(result, early) : undefined;
  if (warning) lines.push(style.yellow(warning));
  const v = verdict(result);
  for (const inv of result.model.invariants) {
    const failed = result.violations.find((x) => x.range === inv.range);
    lines.push(!failed ? style.green(`✓ ${inv.text}`) : failed.code === 'DS206' ? style.yellow(`? ${inv.text} (not decided)`) : style.red(`✗ ${inv.text}`));
  }
  result.expectations.forEach((e, i) => {
    const at = result.model.expectations[i]?.at;
    const text = printable(e.text);
    if (!e.outcome) lines.push(style.yellow(`? ${text} (not evaluated: the run stopped at t=${formatDuration(result.endTime)}, before ${at === undefined ? 'its end' : `t=${formatDuration(at)}`})`));
    else lines.push(e.outcome.passed ? style.green(`✓ ${text}`) : style.red(`✗ ${text}`));
  });
  for (const x of v.violations) {
    lines.push('');
    const line = printable(`${file}:${x.range.startLine}:${x.range.startColumn}: ${x.code} ${x.message}`);
    lines.push(x.code === 'DS206' ? style.yellow(line) : style.red(line));
    for (const c of x.causes) lines.push(`  ${style.dim('caused by')} ${printable(`${file}:${c.range.startLine}:${c.range.startColumn}: ${c.message}`)}`);
  }
  if (v.kind === 'undecided') {
    const n = v.notEvaluated.length;
    const p = v.notDecided.length;
    const parts = [...(n > 0 ? [`${n} expectation${n === 1 ? ' was' : 's were'} not evaluated`] : []), ...(p > 0 ? [`${p} invariant${p === 1 ? ' was' : 's were'} not decided`] : [])];
    lines.push(style.yellow(`not decided: ${parts.join(', ')}; nothing failed up to t=${formatDuration(result.endTime)}`));
  } else if (v.kind === 'passed') {
    lines.push(style.green(v.checks === 0 ? 'no invariants or expectations to check' : 'all invariants and expectations hold'));
  }
  return lines;
}

function earlyStopWarning(result: RunResult, early: EarlyStop): string | undefined {
  const events = result.stats.events.toLocaleString('en-US');
  switch (early.by) {
    case 'until':
      return result.stopReason === 'until' ? `note: stopped at t=${formatDuration(result.endTime)} (--until), before the scenario's end at ${formatDuration(result.model.duration)}` : undefined;
    case 'max-events': {
      if (result.stopReason !== 'max-events') return undefined;
      const stopped = `warning: DS203 stopped after ${events} events at t=${formatDuration(result.endTime)}, the event budget`;
      switch (early.source) {
        case 'flag': return `${stopped} set by --max-events ${early.limit}; raise --max-events`;
        case 'scenario': return `${stopped} set by 'max_events ${early.limit}' in the scenario header; raise it (or pass a larger --max-events)`;
        case 'default': return `${stopped} of ${early.limit.toLocaleString('en-US')} (the default); pass --max-events or set max_events in the scenario header`;
      }
      break;
    }
    case 'memory':
      return result.stopReason === 'max-events' ? `warning: DS203 stopped after ${events} events at t=${formatDuration(result.endTime)}: the trace reached its memory budget of ${early.megabytes.toLocaleString('en-US')} MB; raise --max-trace-mb, or use --until or a shorter run` : undefined;
  }
  return undefined;
}
