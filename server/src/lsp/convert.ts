import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver';
import type { Diagnostic } from '../core/diagnostics';
import type { SourceRange } from '../core/source';
import type { Violation } from '../core/sim/trace';

/** Core ranges are 1-based with exclusive ends; LSP's are 0-based. */
export function toLspRange(r: SourceRange): Range {
  return { start: { line: r.startLine - 1, character: r.startColumn - 1 }, end: { line: r.endLine - 1, character: r.endColumn - 1 } };
}

export function toLspDiagnostic(d: Diagnostic, uri: string): LspDiagnostic {
  return {
    range: toLspRange(d.range),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: d.code,
    source: 'dsync',
    message: d.message,
    ...(d.code === 'DS161' || d.code === 'DS150' ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    ...(d.related ? { relatedInformation: d.related.map((r) => ({ location: { uri, range: toLspRange(r.range) }, message: r.message })) } : {}),
    ...(d.fix ? { data: { fix: { title: d.fix.title, range: toLspRange(d.fix.range), newText: d.fix.newText } } satisfies QuickFixData } : {}),
  };
}

/** What a diagnostic with a fix carries in its `data`, read back by the code action handler (features/codeActions.ts). */
export interface QuickFixData {
  readonly fix: { readonly title: string; readonly range: Range; readonly newText: string };
}

/** An invariant or expect violation on its statement, pointing at what caused it. */
export function violationDiagnostic(v: Violation, uri: string): LspDiagnostic {
  return {
    range: toLspRange(v.range),
    // A written property not decided by the end of the run (DS206) is a warning, not a failure.
    severity: v.code === 'DS206' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error,
    code: v.code,
    source: 'dsync',
    message: v.message,
    relatedInformation: v.causes.map((c) => ({ location: { uri, range: toLspRange(c.range) }, message: c.message })),
  };
}

/** The 0-based LSP position as a core offset into `text`. */
export function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(offset + character, text.length);
}
