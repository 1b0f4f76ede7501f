import type { RunResult } from '../core/sim/result';
import { allViolations } from '../core/sim/result';
import type { TraceEvent } from '../core/sim/trace';
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
  const names = result.model.nodes.map((n) => n.name);
  const nodeWidth = Math.max(4, ...names.map((n) => n.length));
  const lines = [style.dim(`${'true time'.padEnd(11)}  ${'node'.padEnd(nodeWidth)}  ${'local'.padEnd(11)}  ${'event'.padEnd(44)} ${'L'.padStart(4)}  vector clock`)];
  const violatingSeqs = new Set(result.violations.map((v) => v.seq));
  for (const e of result.events) {
    const what = describeEvent(e, names);
    const vc = e.vc.length ? `[${names.map((n, i) => `${n}:${e.vc[i]}`).join(' ')}]` : '';
    let line = `${formatClockReading(e.time).padEnd(11)}  ${(names[e.node] ?? '*').padEnd(nodeWidth)}  ${formatClockReading(e.local).padEnd(11)}  ${what.padEnd(44)} ${(e.vc.length ? String(e.lamport) : '').padStart(4)}  ${vc}`;
    if (e.kind === 'drop' || e.kind === 'crash') line = style.yellow(line);
    if (violatingSeqs.has(e.seq)) line = style.red(`${line}  ◀ violation`);
    lines.push(line);
  }
  return lines;
}

export function describeEvent(e: TraceEvent, names: readonly string[]): string {
  const peer = e.peer !== undefined ? names[e.peer] : '?';
  const label = e.label !== undefined ? `"${e.label}"` : '';
  const id = e.msg !== undefined ? ` #${e.msg}` : '';
  const detail = e.detail ? ` (${e.detail})` : '';
  switch (e.kind) {
    case 'send': return `send ${label} -> ${peer}${id}${detail}`;
    case 'receive': return `recv ${label} <- ${peer}${id}${detail}`;
    case 'local': return `local ${label}`;
    case 'drop': return `DROP ${label}${id} ${e.reason ?? ''}`;
    case 'duplicate': return `duplicated ${label}${id}`;
    case 'crash': return 'CRASH';
    case 'restart': return 'RESTART';
    case 'skip': return `skipped: ${e.detail ?? ''}`;
    case 'partition': return `partition ${e.detail ?? ''}`;
    case 'heal': return `heal${detail}`;
    case 'link-down': return `link down ${e.detail ?? ''}`;
    case 'link-up': return `link up ${e.detail ?? ''}`;
    case 'link-delay': return `link slow ${e.detail ?? ''}`;
    case 'clock-jump': return `clock ${e.detail ?? ''}`;
    case 'clock-drift': return `clock ${e.detail ?? ''}`;
    case 'clock-adjust': return `clock ${e.detail ?? ''}`;
    case 'timer': return `timer ${e.label ?? ''}${e.protocol ? ` [${e.protocol}]` : ''}`;
    case 'note': return `${e.protocol ? `[${e.protocol}] ` : ''}${e.detail ?? ''}`;
  }
}

/** Invariants and expectations with ✓/✗, and the causes of each failure. */
export function formatSummary(result: RunResult, file: string, style: Style): string[] {
  const lines: string[] = [];
  const s = result.stats;
  lines.push(style.bold(`scenario ${result.model.name}`) + style.dim(`  seed ${result.seed}, ran to t=${formatDuration(result.endTime)}, ${s.events} events, ${s.messagesSent} messages sent, ${s.messagesDelivered} delivered, ${s.messagesDropped} dropped, ${s.messagesDuplicated} duplicated`));
  if (result.stopReason === 'max-events') lines.push(style.yellow(`warning: stopped after ${s.events} events (the event budget); raise 'max_events' in the scenario header`));
  const violations = allViolations(result);
  for (const inv of result.model.invariants) {
    const v = result.violations.find((x) => x.range === inv.range);
    lines.push(v ? style.red(`✗ ${inv.text}`) : style.green(`✓ ${inv.text}`));
  }
  for (const e of result.expectations) {
    if (!e.outcome) lines.push(style.yellow(`? ${e.text} (not evaluated: the run stopped early)`));
    else lines.push(e.outcome.passed ? style.green(`✓ ${e.text}`) : style.red(`✗ ${e.text}`));
  }
  for (const v of violations) {
    lines.push('');
    lines.push(style.red(`${file}:${v.range.startLine}:${v.range.startColumn}: ${v.code} ${v.message}`));
    for (const c of v.causes) lines.push(`  ${style.dim('caused by')} ${file}:${c.range.startLine}:${c.range.startColumn}: ${c.message}`);
  }
  if (violations.length === 0) lines.push(style.green(`${result.model.invariants.length + result.expectations.length === 0 ? 'no invariants or expectations to check' : 'all invariants and expectations hold'}`));
  return lines;
}
