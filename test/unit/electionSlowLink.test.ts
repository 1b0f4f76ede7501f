import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { formatDiagnostic } from '../../server/src/core/diagnostics';
import { allViolations } from '../../server/src/core/sim/result';
import { checkText, eventsOf, nameOf, repoPath, runText } from './support/scenario';

/**
 * samples/protocols/election_slow_link.dsync, the sample the extension test
 * in real VS Code edits (test/e2e/suite/protocol.e2e.ts): as shipped, one
 * leader per term at every seed; with the vote-once check deleted from the
 * RequestVote guard, two leaders of term 2 at the file's seed, by the
 * mechanism its comment describes. The e2e test relies on this witness.
 */

const FILE = 'election_slow_link.dsync';
const VOTE_ONCE = ' and voted_for in { none, p }';
const text = fs.readFileSync(repoPath('samples', 'protocols', FILE), 'utf8');

describe('samples/protocols/election_slow_link.dsync', () => {
  test('checks without a problem and holds at its seed and 30 more', () => {
    assert.deepEqual(checkText(text).diagnostics.map((d) => formatDiagnostic(FILE, d)), []);
    for (const seed of [undefined, ...Array.from({ length: 30 }, (_, i) => i + 1)]) {
      const result = runText(text, seed === undefined ? {} : { seed });
      assert.equal(result.stopReason, 'end');
      assert.deepEqual(allViolations(result).map((v) => v.message), [], `seed ${seed ?? 'own'}`);
    }
  });

  test('without the vote-once check, n1 and n2 both lead term 2 before their requests cross the slow link', () => {
    assert.equal(text.split(VOTE_ONCE).length, 2, 'the guard holds the check once');
    const buggy = text.replace(VOTE_ONCE, '');
    const warnings = checkText(buggy).diagnostics.map((d) => `${d.code} ${d.message}`);
    assert.ok(warnings.some((w) => w.startsWith("DS194 stable 'voted_for' is never read")), warnings.join('\n'));
    const result = runText(buggy);
    const v = result.violations.find((x) => x.invariant.startsWith('one_leader_per_term'));
    assert.ok(v, 'one_leader_per_term fails');
    assert.equal(v.code, 'DS201');
    assert.equal(v.time, 176_649_042);
    assert.deepEqual(v.witness!.bindings, { a: 'n1', b: 'n2' });
    // The mechanism: both started term 2 within a few ms, each got a majority
    // before the other's RequestVote (40ms over the slow link) arrived.
    const started = eventsOf(result, 'send').filter((e) => e.label === 'RequestVote' && e.time < v.time && e.detail?.includes('term=2'));
    const starters = new Set(started.map((e) => nameOf(result, e.node)));
    assert.deepEqual([...starters].sort(), ['n1', 'n2']);
    const crossed = eventsOf(result, 'receive').filter((e) => e.label === 'RequestVote' && e.time <= v.time && ['n1', 'n2'].includes(nameOf(result, e.node)) && e.peer !== undefined && ['n1', 'n2'].includes(nameOf(result, e.peer)) && e.detail?.includes('term=2'));
    assert.deepEqual(crossed, [], 'neither heard the other before both led');
    const leaders = eventsOf(result, 'note').filter((e) => e.detail === 'leader of term 2' && e.time <= v.time).map((e) => nameOf(result, e.node));
    assert.deepEqual(leaders, ['n2', 'n1']);
  });
});
