import { printable, quoted } from '../printable';
import type { TraceEvent } from './trace';

/**
 * One event as one line of text (`send "hello" -> B #0`, `CRASH`): the CLI's
 * timeline and the exports (ShiViz, ITF, Mermaid) say the same thing. User
 * text (labels, details) is escaped, so an event is always one line.
 */
export function describeEvent(e: TraceEvent, names: readonly string[]): string {
  const peer = e.peer !== undefined ? names[e.peer] : '?';
  // A label is user text: quoted with `"`, `\\` and control characters escaped, so one event stays one line.
  const label = e.label !== undefined ? quoted(e.label) : '';
  const id = e.msg !== undefined ? ` #${e.msg}` : '';
  const detail = e.detail ? ` (${printable(e.detail)})` : '';
  return printable(describeKind(e, peer, label, id, detail));
}

function describeKind(e: TraceEvent, peer: string | undefined, label: string, id: string, detail: string): string {
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
    case 'timer': return `timer ${e.label !== undefined ? printable(e.label) : ''}${e.protocol ? ` [${e.protocol}]` : ''}`;
    case 'note': return `${e.protocol ? `[${e.protocol}] ` : ''}${e.detail ?? ''}`;
  }
}

