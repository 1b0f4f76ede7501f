import { diagnostic, type Diagnostic } from '../diagnostics';
import type * as A from '../syntax/ast';
import { SECOND } from '../units';

/**
 * The longest time a scenario may write anywhere (a period, a delay, a
 * jitter, a jump): one year, like `run for`. Larger values (`1e400ms` is
 * Infinity, `99999999999999999999s` is past 2^53 ns) would make the
 * simulator's integer-nanosecond arithmetic inexact or unbounded.
 */
export const MAX_WRITTEN_NS = 366 * 24 * 3600 * SECOND;

/** Reports DS129 for every written duration beyond MAX_WRITTEN_NS, wherever it appears in the file. */
export function reportHugeDurations(statements: readonly A.Statement[], diagnostics: Diagnostic[]): void {
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    const node = value as { kind?: unknown; ns?: unknown; text?: unknown; range?: A.Located['range'] };
    if (node.kind === 'duration' && typeof node.ns === 'number' && node.range) {
      if (!(Math.abs(node.ns) <= MAX_WRITTEN_NS)) {
        const text = String(node.text);
        diagnostics.push(diagnostic('DS129', `${text.length > 24 ? `${text.slice(0, 24)}…` : text} is too long: times are limited to one year`, node.range));
      }
      return;
    }
    // The header's `run for` has its own, more specific DS129.
    const skip = node.kind === 'scenario' ? 'duration' : undefined;
    for (const [key, v] of Object.entries(value)) if (key !== 'range' && key !== skip) visit(v);
  };
  visit(statements);
}
