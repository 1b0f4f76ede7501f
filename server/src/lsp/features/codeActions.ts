import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import type { QuickFixData } from '../convert';

/**
 * Quick fixes: a diagnostic whose core form has a `fix` (e.g. DS138, a
 * deprecated property name) carries it in its LSP `data`; the editor hands
 * the diagnostics back with the request and each becomes one edit. Nothing
 * is recomputed, so the fix is exactly what the published diagnostic said.
 */
export function quickFixes(params: CodeActionParams): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    const fix = (d.data as Partial<QuickFixData> | undefined)?.fix;
    if (!fix || typeof fix.title !== 'string' || typeof fix.newText !== 'string' || !fix.range) continue;
    out.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [params.textDocument.uri]: [{ range: fix.range, newText: fix.newText }] } },
    });
  }
  return out;
}
