import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { formatDiagnostic } from '../../server/src/core/diagnostics';
import { format } from '../../server/src/core/format/formatter';
import { allViolations } from '../../server/src/core/sim/result';
import { checkText, repoPath, runText } from './support/scenario';

/**
 * The "Writing a protocol" chapter of docs/language.md cannot rot: every
 * ```dsync snippet in it checks with no diagnostic at all, is formatted as
 * `dsync fmt` writes it, and behaves as the chapter says. What it says is
 * written above each snippet as `<!-- doc-check: [seed N] holds | violates NAME -->`,
 * the claim the prose around it makes (a step that passes, the bug a step
 * introduces on purpose).
 */
const CHAPTER = '## Writing a protocol';

interface Snippet {
  readonly line: number;
  readonly text: string;
  readonly seed: number | undefined;
  readonly violates: string | undefined;
}

function snippets(): Snippet[] {
  const doc = fs.readFileSync(repoPath('docs', 'language.md'), 'utf8');
  const start = doc.indexOf(`\n${CHAPTER}\n`);
  assert.ok(start >= 0, `docs/language.md has a '${CHAPTER}' chapter`);
  const end = doc.indexOf('\n## ', start + CHAPTER.length + 2);
  const chapter = doc.slice(start, end < 0 ? undefined : end);
  const firstLine = doc.slice(0, start).split('\n').length + 1;
  const out: Snippet[] = [];
  for (const m of chapter.matchAll(/<!-- doc-check: (?:seed (\d+) )?(holds|violates (\w+)) -->\n```dsync\n([\s\S]*?)```/g)) {
    out.push({
      line: firstLine + chapter.slice(0, m.index).split('\n').length,
      text: m[4]!,
      seed: m[1] === undefined ? undefined : Number(m[1]),
      violates: m[3],
    });
  }
  // Every dsync snippet carries its claim: one without would go unchecked.
  assert.equal(out.length, [...chapter.matchAll(/```dsync\n/g)].length, 'every ```dsync snippet of the chapter has a doc-check comment');
  return out;
}

describe('docs: Writing a protocol', () => {
  const all = snippets();

  test('the chapter grows one protocol in several complete steps', () => {
    assert.ok(all.length >= 5, `${all.length} snippets`);
    assert.ok(all.every((s) => /^protocol \w+ \{/m.test(s.text)), 'each step is a whole file with its protocol');
  });

  for (const s of all) {
    test(`snippet at docs/language.md:${s.line} checks clean, is formatted, and ${s.violates ? `violates ${s.violates}` : 'holds'}${s.seed !== undefined ? ` with seed ${s.seed}` : ''}`, () => {
      const checked = checkText(s.text);
      assert.deepEqual(checked.diagnostics.map((d) => formatDiagnostic('snippet', d)), []);
      assert.equal(format(s.text), s.text, 'formatted as dsync fmt writes it');
      const run = runText(s.text, s.seed === undefined ? {} : { seed: s.seed });
      const failed = allViolations(run).filter((v) => v.code !== 'DS206');
      if (s.violates === undefined) {
        assert.deepEqual(failed.map((v) => v.message), []);
      } else {
        assert.ok(failed.length > 0, `expected ${s.violates} to fail`);
        assert.deepEqual([...new Set(failed.map((v) => v.invariant.split(':')[0]))], [s.violates]);
      }
    });
  }
});
