import { describeEvent } from '../sim/describe';
import type { RunResult } from '../sim/result';
import type { Violation } from '../sim/trace';
import { RunWalk, type WalkStep } from './walk';

/** Most arrows and notes a diagram shows by default: past a few hundred a sequence diagram stops being readable. */
export const MERMAID_DEFAULT_LIMIT = 200;

/**
 * The run as a Mermaid sequence diagram (renders in GitHub Markdown and many
 * docs tools): a participant per node; a delivered message is an arrow drawn
 * when it arrives (`A->>B`), a lost one a crossed arrow (`A-xB`) when it is
 * dropped, a message still in flight at the end an open arrow (`A-)B`);
 * local events, protocol notes, crashes, restarts, clock steps and
 * violations are notes over their node, network faults notes over all
 * nodes. Sends (drawn with their arrival), duplicates and timers are not
 * drawn. At most `limit` arrows and notes (default 200); when the run has
 * more, a last note says how many events were left out.
 *
 * Mermaid's lexer is case-insensitive and takes keywords before names (a
 * node called `end`, `Note` or `optimizer` would read as a keyword), so
 * such a node is a participant with a plain id and its name as the alias.
 * Text is written with Mermaid's entity codes (`#35;`) for the characters
 * its grammar gives a meaning (`#`, `;`, `%`, `<`, `>`, `&`).
 */
export function* mermaidLines(result: RunResult, options: { readonly limit?: number } = {}): Generator<string> {
  const limit = options.limit ?? MERMAID_DEFAULT_LIMIT;
  const walk = new RunWalk(result);
  const ids = participantIds(walk.names);
  const all = ids.length === 0 ? '' : ids.length === 1 ? ids[0]! : `${ids[0]},${ids[ids.length - 1]}`;
  yield 'sequenceDiagram';
  yield `  title ${mermaidText(`${result.model.name}, seed ${result.seed}`)}`;
  for (let i = 0; i < ids.length; i++) yield ids[i] === walk.names[i] ? `  participant ${ids[i]}` : `  participant ${ids[i]} as ${mermaidText(walk.names[i]!)}`;
  let items = 0;
  const open = new Map<number, WalkStep['event']>();
  let cutAt: number | undefined;
  for (const step of walk.steps()) {
    const lines = stepLines(step, walk.names, ids, all, open);
    if (items + lines.length > limit) {
      cutAt = step.index;
      break;
    }
    items += lines.length;
    yield* lines;
  }
  if (cutAt !== undefined) {
    const left = walk.total - cutAt;
    if (all) yield `  Note over ${all}: ${mermaidText(`… ${left.toLocaleString('en-US')} more event${left === 1 ? '' : 's'} not shown (at most ${limit} arrows and notes; --limit N shows more)`)}`;
    return;
  }
  for (const send of open.values()) yield `  ${ids[send.node]}-)${ids[send.peer!]}: ${messageText(send.label, 'in flight at the end')}`;
  for (const v of walk.unplaced) if (all) yield `  Note over ${all}: ${violationText(v)}`;
}

function stepLines(step: WalkStep, names: readonly string[], ids: readonly string[], all: string, open: Map<number, WalkStep['event']>): string[] {
  const e = step.event;
  const lines: string[] = [];
  const over = (node: number, text: string): void => {
    lines.push(`  Note over ${ids[node] ?? all}: ${mermaidText(text)}`);
  };
  switch (e.kind) {
    case 'send':
      open.set(e.msg!, e);
      break;
    case 'receive':
    case 'drop': {
      const s = step.send;
      if (!s) break;
      open.delete(e.msg!);
      const arrow = e.kind === 'receive' ? '->>' : '-x';
      const why = e.kind === 'drop' ? `lost: ${e.reason ?? 'dropped'}` : e.detail;
      lines.push(`  ${ids[s.node]}${arrow}${ids[s.peer!]}: ${messageText(s.label, why)}`);
      break;
    }
    case 'duplicate':
    case 'timer':
      break;
    case 'partition':
    case 'heal':
      if (all) lines.push(`  Note over ${all}: ${mermaidText(describeEvent(e, names))}`);
      break;
    case 'link-down':
    case 'link-up':
    case 'link-delay':
      lines.push(`  Note over ${ids[e.node]}${e.peer !== undefined && e.peer !== e.node ? `,${ids[e.peer]}` : ''}: ${mermaidText(describeEvent(e, names))}`);
      break;
    default:
      over(e.node, describeEvent(e, names));
  }
  for (const v of step.violations) lines.push(`  Note over ${ids[e.node] ?? all}: ${violationText(v)}`);
  return lines;
}

function messageText(label: string | undefined, why: string | undefined): string {
  const text = `${label ?? ''}${why ? ` (${why})` : ''}`.trim();
  return mermaidText(text === '' ? '(no label)' : text);
}

/** Violation notes stay short: the code, what failed and the start of the message. */
const VIOLATION_CHARS = 160;

function violationText(v: Violation): string {
  const text = `✗ ${v.code} ${v.invariant}: ${v.message}`;
  return mermaidText(text.length > VIOLATION_CHARS ? `${text.slice(0, VIOLATION_CHARS - 1)}…` : text);
}

/** Words Mermaid's sequence-diagram lexer reads as keywords (case-insensitively, also at the start of a longer name). */
const KEYWORD_PREFIXES = [
  'box', 'par', 'actor', 'create', 'destroy', 'loop', 'rect', 'opt', 'alt', 'else', 'and', 'critical', 'break', 'end',
  'link', 'properties', 'details', 'over', 'note', 'activate', 'deactivate', 'title', 'acctitle', 'accdescr',
  'sequencediagram', 'autonumber', 'off',
];

const PLAIN_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** Each node's participant id: its name where Mermaid reads it as a name, otherwise `p<index>` (made unique), aliased to the name. */
export function participantIds(names: readonly string[]): string[] {
  const taken = new Set(names);
  return names.map((name, i) => {
    const lower = name.toLowerCase();
    if (PLAIN_NAME.test(name) && !KEYWORD_PREFIXES.some((k) => lower.startsWith(k))) return name;
    let id = `p${i}`;
    while (taken.has(id)) id += '_';
    taken.add(id);
    return id;
  });
}

/** Text after `:` (or an alias): never empty, on one line, with Mermaid's entity codes for the characters its grammar reserves. */
export function mermaidText(text: string): string {
  const one = text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
  return (one === '' ? '(empty)' : one).replace(/[#;%<>&]/g, (c) => `#${c.charCodeAt(0)};`);
}
