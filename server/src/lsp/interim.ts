import type { Diagnostic as LspDiagnostic, Range } from 'vscode-languageserver';
import { MAX_DIAGNOSTICS } from '../core/diagnostics';
import { changedSpan, lineBreaks } from '../core/syntax/incremental';
import { SYNTAX_ERROR_CODES, type ParseResult } from '../core/syntax/parse';
import { toLspDiagnostic, type QuickFixData } from './convert';

/**
 * The diagnostics shown at once when an edit of a big document breaks its
 * syntax, before the checker (which takes a hundred milliseconds or more on
 * a 20,000-line file) has run: the new syntax errors on the lines the edit
 * changed, and what was shown before on every other line, moved with the
 * edit, so nothing elsewhere disappears for a moment. The complete
 * diagnostics of the version replace them as soon as they are ready.
 */

/** What the client was last sent for a document: the text those diagnostics belong to. */
export interface Shown {
  readonly text: string;
  readonly diagnostics: readonly LspDiagnostic[];
}

/** The interim diagnostics for `text`, or undefined when its parse has no syntax error (then the complete ones come as before). */
export function interimDiagnostics(shown: Shown, text: string, parsed: ParseResult, uri: string): LspDiagnostic[] | undefined {
  if (!parsed.diagnostics.some((d) => SYNTAX_ERROR_CODES.has(d.code))) return undefined;
  const change = changedSpan(shown.text, text);
  // 0-based lines: the first the edit touched, and its last before and after.
  const firstLine = lineBreaks(text, 0, change.from);
  const lastOldLine = firstLine + lineBreaks(shown.text, change.from, change.oldEnd);
  const lastNewLine = firstLine + lineBreaks(text, change.from, change.oldEnd + change.delta);
  const moved = (r: Range): Range | undefined => {
    if (r.end.line < firstLine) return r;
    if (r.start.line <= lastOldLine) return undefined;
    const lines = lastNewLine - lastOldLine;
    return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
  };
  const out: LspDiagnostic[] = [];
  for (const d of shown.diagnostics) {
    const range = moved(d.range);
    if (!range) continue;
    const related = d.relatedInformation?.flatMap((r) => {
      const at = r.location.uri === uri ? moved(r.location.range) : r.location.range;
      return at ? [{ ...r, location: { ...r.location, range: at } }] : [];
    });
    const fix = (d.data as QuickFixData | undefined)?.fix;
    const fixRange = fix && moved(fix.range);
    out.push({ ...d, range, ...(related ? { relatedInformation: related } : {}), ...(fix ? (fixRange ? { data: { fix: { ...fix, range: fixRange } } } : { data: undefined }) : {}) });
  }
  for (const d of parsed.diagnostics) {
    if (d.range.startLine - 1 >= firstLine && d.range.startLine - 1 <= lastNewLine) out.push(toLspDiagnostic(d, uri));
  }
  return out.slice(0, MAX_DIAGNOSTICS);
}
