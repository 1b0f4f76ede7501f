import { printable } from './printable';
import type { SourceRange } from './source';

export type Severity = 'error' | 'warning' | 'info';

/**
 * The catalog of every diagnostic DSync reports. Codes are stable: once
 * published a code keeps its meaning, and each has a fixture named after it in
 * test/fixtures/diagnostics/. Add new codes at the end of their hundred.
 */
export const CATALOG = {
  // 1xx: the file itself (syntax, names, values)
  DS101: { severity: 'error', title: 'unexpected character' },
  DS102: { severity: 'error', title: 'syntax error' },
  DS103: { severity: 'error', title: 'unterminated string or comment' },
  DS104: { severity: 'error', title: 'nested too deeply' },
  DS105: { severity: 'error', title: 'unknown or detached unit' },
  DS106: { severity: 'error', title: 'block never closed' },
  DS107: { severity: 'error', title: 'note interpolation is not an expression' },
  DS110: { severity: 'error', title: 'unknown node' },
  DS111: { severity: 'error', title: 'duplicate node' },
  DS112: { severity: 'error', title: 'duplicate declaration' },
  DS113: { severity: 'error', title: 'invalid node range' },
  DS114: { severity: 'error', title: 'reserved word used as a name' },
  DS120: { severity: 'error', title: 'missing unit' },
  DS121: { severity: 'error', title: 'wrong kind of value' },
  DS122: { severity: 'error', title: 'negative time' },
  DS123: { severity: 'error', title: 'time after the end of the run' },
  DS124: { severity: 'error', title: 'percentage out of range' },
  DS125: { severity: 'error', title: 'empty or inverted range' },
  DS126: { severity: 'error', title: 'unknown option' },
  DS127: { severity: 'error', title: 'missing option' },
  DS128: { severity: 'error', title: 'duplicate option' },
  DS129: { severity: 'error', title: 'value out of bounds' },
  DS130: { severity: 'error', title: 'unknown invariant' },
  DS131: { severity: 'error', title: 'invalid invariant form' },
  DS132: { severity: 'error', title: 'unknown property' },
  DS133: { severity: 'error', title: 'incomparable values' },
  DS138: { severity: 'warning', title: 'deprecated property name' },
  DS139: { severity: 'warning', title: 'invariant has nothing to watch' },
  DS140: { severity: 'error', title: 'unknown protocol' },
  DS141: { severity: 'error', title: 'invalid protocol binding' },
  DS150: { severity: 'warning', title: 'fault has no effect' },
  DS151: { severity: 'error', title: 'link from a node to itself' },
  DS152: { severity: 'error', title: 'node in two partition groups' },
  DS160: { severity: 'error', title: 'rule sends from another node' },
  DS161: { severity: 'warning', title: 'rule can never fire' },
  DS162: { severity: 'error', title: 'invalid client operation' },
  DS170: { severity: 'error', title: 'missing scenario header' },
  DS171: { severity: 'error', title: 'no nodes declared' },
  DS172: { severity: 'error', title: 'file too large' },
  DS173: { severity: 'error', title: 'too many nodes' },
  DS174: { severity: 'info', title: 'more problems not shown' },
  // properties and expressions (expr/)
  DS180: { severity: 'error', title: 'wrong type in an expression' },
  DS181: { severity: 'error', title: 'unknown name in an expression' },
  DS182: { severity: 'error', title: 'property of a protocol the set does not run' },
  DS183: { severity: 'error', title: 'unknown function' },
  DS184: { severity: 'error', title: 'wrong number of arguments' },
  DS185: { severity: 'error', title: 'condition is not true/false' },
  DS186: { severity: 'warning', title: 'quantifier over an empty set' },
  DS187: { severity: 'error', title: 'expression too deep or too costly' },
  // written protocols (protocolLang/)
  DS175: { severity: 'error', title: 'unknown client convention' },
  DS176: { severity: 'warning', title: 'store never answers its clients' },
  DS188: { severity: 'error', title: 'unknown message type' },
  DS189: { severity: 'error', title: 'wrong message fields' },
  DS190: { severity: 'error', title: 'assignment to a read-only name' },
  DS191: { severity: 'error', title: 'reply outside a message handler' },
  DS192: { severity: 'warning', title: 'timer never set' },
  DS193: { severity: 'warning', title: 'message never sent' },
  DS194: { severity: 'warning', title: 'state never read' },
  DS195: { severity: 'error', title: 'name already taken' },
  DS196: { severity: 'error', title: 'unknown type' },
  DS197: { severity: 'error', title: 'fn calls itself or a later fn' },
  DS198: { severity: 'error', title: 'random outside a handler' },
  DS199: { severity: 'error', title: 'invalid option declaration' },
  // 2xx: what happened when the scenario ran
  DS201: { severity: 'error', title: 'invariant violated' },
  DS202: { severity: 'error', title: 'expectation failed' },
  DS203: { severity: 'warning', title: 'simulation budget exhausted' },
  DS204: { severity: 'error', title: 'simulation failed' },
  DS205: { severity: 'error', title: 'property could not be evaluated' },
  DS206: { severity: 'warning', title: 'property not decided by the end of the run' },
  DS207: { severity: 'error', title: 'protocol run-time error' },
  DS208: { severity: 'error', title: 'handler step budget exceeded' },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type DiagnosticCode = keyof typeof CATALOG;

export interface RelatedInformation {
  readonly message: string;
  readonly range: SourceRange;
}

/** An edit that fixes a diagnostic, offered as a quick fix in the editor. */
export interface Fix {
  readonly title: string;
  readonly range: SourceRange;
  readonly newText: string;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range: SourceRange;
  readonly related?: readonly RelatedInformation[];
  readonly fix?: Fix;
}

export function withFix(d: Diagnostic, fix: Fix): Diagnostic {
  return { ...d, fix };
}

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  range: SourceRange,
  related?: readonly RelatedInformation[],
): Diagnostic {
  const base = { code, severity: CATALOG[code].severity as Severity, message, range };
  return related && related.length > 0 ? { ...base, related } : base;
}

/**
 * The most diagnostics one file reports (CLI and editor alike): past it one
 * DS174 says how many more there are. Thousands of squiggles help nobody, and
 * an unbounded list (999,000 duplicates from 32 KB of text) costs seconds to
 * build, sort, send and draw.
 */
export const MAX_DIAGNOSTICS = 200;

/**
 * How many diagnostics a check pass collects before it only counts them:
 * enough that the MAX_DIAGNOSTICS first by position are nearly always among
 * them, small enough that collecting never costs memory or time.
 */
export const MAX_COLLECTED = 10 * MAX_DIAGNOSTICS;

/**
 * A diagnostics list that stores the first `limit` pushed and only counts the
 * rest (`dropped`, `droppedErrors`), so a pathological file cannot make a
 * check pass build millions of objects.
 */
export class DiagnosticList extends Array<Diagnostic> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  dropped = 0;
  droppedErrors = 0;

  constructor(private readonly limit: number = MAX_COLLECTED) {
    super();
  }

  override push(...items: Diagnostic[]): number {
    for (const d of items) {
      if (this.length < this.limit) super.push(d);
      else {
        this.dropped++;
        if (d.severity === 'error') this.droppedErrors++;
      }
    }
    return this.length;
  }
}

/**
 * Sorts by position and keeps the first MAX_DIAGNOSTICS, adding one DS174
 * (at the first diagnostic left out) that counts the rest. `alsoDropped`
 * counts diagnostics a DiagnosticList never stored.
 */
export function capDiagnostics(all: readonly Diagnostic[], alsoDropped = 0): Diagnostic[] {
  const sorted = [...all].sort((a, b) => a.range.startOffset - b.range.startOffset);
  const hidden = sorted.length - MAX_DIAGNOSTICS + alsoDropped;
  if (hidden <= 0) return sorted;
  const kept = sorted.slice(0, MAX_DIAGNOSTICS);
  const at = sorted[MAX_DIAGNOSTICS]?.range ?? sorted[sorted.length - 1]!.range;
  kept.push(diagnostic('DS174', `${hidden.toLocaleString('en-US')} more problem${hidden === 1 ? '' : 's'} not shown: a file reports at most ${MAX_DIAGNOSTICS}. Fix the ones above and the rest appear`, at));
  return kept;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:col: DSxxx message`, the format every CLI error uses. */
/** `file:line:col: DSxxx [warning: ]message`, one terminal-safe line (control characters escaped: `printable`). */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const level = d.severity === 'error' ? '' : `${d.severity}: `;
  return printable(`${file}:${d.range.startLine}:${d.range.startColumn}: ${d.code} ${level}${d.message}`);
}
