import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { check } from '../../server/src/core/check/checker';
import { parseInPositionOrder } from '../../server/src/core/syntax/incremental';
import { toLspDiagnostic } from '../../server/src/lsp/convert';
import { interimDiagnostics } from '../../server/src/lsp/interim';

/**
 * The interim diagnostics of a big document (lsp/interim.ts): when an edit
 * breaks the syntax, its syntax errors are shown before the checker runs,
 * with what was shown on the other lines moved along with the edit.
 */
const uri = 'file:///t.dsync';
const lines = ['scenario s { seed 1  run for 1s }', 'nodes A, B', 'on A receive "never" { send B "x" }'];
for (let i = 0; i < 30; i++) lines.push(`at ${i}ms A -> B "m${i}"`);
lines.push('on B receive "never2" { send A "y" }', '');
const before = lines.join('\n');
const shown = { text: before, diagnostics: check(parseInPositionOrder(before), before).diagnostics.map((d) => toLspDiagnostic(d, uri)) };

describe('interim diagnostics of a big document', () => {
  test('a syntax error on an edited line shows at once; the other lines keep theirs, moved with the edit', () => {
    // Two DS161 warnings (rules that never fire), on lines 2 and 33 (0-based).
    assert.deepEqual(shown.diagnostics.map((d) => [d.code, d.range.start.line]), [['DS161', 2], ['DS161', 33]]);
    const after = before.replace('at 10ms A -> B "m10"', 'at 10ms A -> B\nat 10ms A -> B "m10" x ->');
    const interim = interimDiagnostics(shown, after, parseInPositionOrder(after), uri)!;
    const complete = check(parseInPositionOrder(after), after).diagnostics.map((d) => toLspDiagnostic(d, uri));
    // The same as the checker's, without waiting for it.
    assert.deepEqual([...interim].sort((a, b) => a.range.start.line - b.range.start.line), complete);
    assert.ok(interim.some((d) => d.code === 'DS102' && d.range.start.line === 13));
    assert.ok(interim.some((d) => d.code === 'DS161' && d.range.start.line === 34), 'the warning after the edit moved down a line');
  });

  test('an edit that leaves the syntax whole has no interim diagnostics', () => {
    const after = before.replace('"m10"', '"m11"');
    assert.equal(interimDiagnostics(shown, after, parseInPositionOrder(after), uri), undefined);
  });
});
