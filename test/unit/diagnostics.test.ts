import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CATALOG, type DiagnosticCode } from '../../server/src/core/diagnostics';
import { PROTOCOLS } from '../../server/src/core/protocols/registry';
import { MAX_FILE_BYTES, parse } from '../../server/src/core/syntax/parse';
import { checkText, repoPath } from './support/scenario';

/**
 * One fixture per file-level code (DS1xx) in test/fixtures/diagnostics/DSxxx.dsync.
 * Every line where a diagnostic must be reported ends with `// @DSxxx` (several
 * markers allowed). The set of (line, code) the checker reports must equal the
 * set of markers: the fixture proves its code and that nothing else is reported.
 * DS2xx codes happen at run time and are covered by the simulator tests.
 */
const FIXTURES = repoPath('test', 'fixtures', 'diagnostics');

/**
 * DS172 (file too large) needs a file over MAX_FILE_BYTES (8 MiB), DS174
 * (more problems not shown) over MAX_DIAGNOSTICS (200) problems; fixtures that
 * size do not belong in the repository, so their tests build the text (DS174:
 * test/unit/limits.test.ts).
 */
const GENERATED: ReadonlySet<DiagnosticCode> = new Set(['DS172', 'DS174']);

/**
 * DS141 (a protocol bound the wrong way) can only be reported when a protocol
 * of the other binding kind is registered; its fixture names that protocol in
 * a `// @needs-protocol NAME` line, and the test fails if it is not registered.
 */
const NEEDS_PROTOCOL = /^\/\/ @needs-protocol (\w+)/m;

const fileCodes = (Object.keys(CATALOG) as DiagnosticCode[]).filter((c) => c.startsWith('DS1'));

function markers(text: string): Set<string> {
  const out = new Set<string>();
  text.split('\n').forEach((line, i) => {
    const comment = line.lastIndexOf('// @DS');
    if (comment < 0) return;
    for (const m of line.slice(comment).matchAll(/@(DS\d{3})/g)) out.add(`${i + 1} ${m[1]}`);
  });
  return out;
}

function reported(text: string): Set<string> {
  return new Set(checkText(text).diagnostics.map((d) => `${d.range.startLine} ${d.code}`));
}

describe('diagnostic fixtures: one per DS1xx code', () => {
  for (const code of fileCodes) {
    if (GENERATED.has(code)) continue;
    const file = `${FIXTURES}/${code}.dsync`;
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const protocol = text && NEEDS_PROTOCOL.exec(text)?.[1];
    test(`${code} ${CATALOG[code].title}`, () => {
      assert.ok(text !== undefined, `missing fixture test/fixtures/diagnostics/${code}.dsync`);
      // A fixture that needs a protocol fails (never skips) when that protocol is not registered.
      if (protocol) assert.ok(PROTOCOLS.some((p) => p.name === protocol), `${code}.dsync needs protocol '${protocol}', which is not registered`);
      const expected = markers(text);
      assert.ok([...expected].some((m) => m.endsWith(code)), `${code}.dsync has no // @${code} marker`);
      assert.deepEqual([...reported(text)].sort(), [...expected].sort());
    });
  }

  test('every fixture is named after a catalog code', () => {
    for (const f of fs.readdirSync(FIXTURES)) {
      assert.match(f, /^DS1\d\d\.dsync$/);
      assert.ok(f.slice(0, 5) in CATALOG, `${f} names no catalog code`);
    }
  });

  test('DS172 file too large: refused before lexing, reported at 1:1', () => {
    const line = 'at 10ms A -> B "padding padding padding padding padding"\n';
    const text = `scenario big { seed 1  run for 1s }\nnodes A, B\n${line.repeat(Math.ceil(MAX_FILE_BYTES / line.length) + 1)}`;
    assert.ok(text.length > MAX_FILE_BYTES);
    const parsed = parse(text);
    assert.deepEqual(parsed.diagnostics.map((d) => [d.code, d.range.startLine, d.range.startColumn]), [['DS172', 1, 1]]);
    assert.equal(parsed.ast.statements.length, 0);
    // Just under the limit the same kind of text parses normally.
    const small = `scenario big { seed 1  run for 1s }\nnodes A, B\n${line.repeat(10)}`;
    assert.deepEqual(reported(small), new Set());
  });

  test('diagnostics carry the severity of their catalog entry', () => {
    for (const code of fileCodes) {
      const file = `${FIXTURES}/${code}.dsync`;
      if (!fs.existsSync(file)) continue;
      for (const d of checkText(fs.readFileSync(file, 'utf8')).diagnostics) assert.equal(d.severity, CATALOG[d.code].severity, d.code);
    }
  });
});
