import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeChanges, EXTRA_SEEDS, hashesOf, MANIFEST, readManifest, sampleFiles } from './support/traceHashes';
import { repoPath } from './support/scenario';

/**
 * Determinism in CI: every sample's trace, for its own seed and two fixed
 * ones, must hash to what test/fixtures/trace-hashes.json records. A trace
 * may change only on purpose, through `npm run update-fixtures` (which
 * rewrites the manifest and prints what changed, for review).
 */
const ROOT = repoPath();
const FIX = 'run `npm run update-fixtures` if the change is intended, and review its summary';

describe('trace manifest', () => {
  const manifest = readManifest(ROOT);

  test('the manifest exists and lists exactly the samples', () => {
    assert.ok(manifest, `${MANIFEST} is missing; ${FIX}`);
    const missing = sampleFiles(ROOT).filter((f) => !(f in manifest));
    const stale = Object.keys(manifest).filter((f) => !fs.existsSync(path.join(ROOT, 'samples', f)));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, `samples and ${MANIFEST} disagree; ${FIX}`);
  });

  for (const file of sampleFiles(ROOT)) {
    test(`${file}: traces for seeds own, ${EXTRA_SEEDS.join(', ')} match the manifest`, (t) => {
      if (!manifest || !(file in manifest)) return assert.fail(`${file} is not in ${MANIFEST}; ${FIX}`);
      const text = fs.readFileSync(path.join(ROOT, 'samples', file), 'utf8');
      const first = hashesOf(text);
      // Twice in one process: equal hashes mean no hidden state leaks between runs.
      assert.deepEqual(hashesOf(text), first, `${file}: two runs with the same seed differ`);
      const changes = describeChanges({ [file]: manifest[file]! }, { [file]: first });
      assert.deepEqual(changes, [], `${file}: the trace changed (${changes.join('; ')}); ${FIX}`);
      t.diagnostic(`${Object.keys(first).length} traces`);
    });
  }
});
