import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { formatDiagnostic } from '../../server/src/core/diagnostics';
import { format } from '../../server/src/core/format/formatter';
import { allViolations, type RunResult } from '../../server/src/core/sim/result';
import type { Violation } from '../../server/src/core/sim/trace';
import { checkText, eventsOf, nameOf, repoPath, runText } from './support/scenario';

/**
 * The protocols of samples/protocols/ written in the protocol language
 * (issue 15, "proof that the language is enough"): the heartbeat failure
 * detector, the bully election, Lamport's mutual exclusion and gossip. Each
 * file binds its protocol with its bug switch off. Correct, every invariant
 * and expectation holds, for the file's seed and more; with the switch on,
 * the invariant the bug breaks fails, with a witness naming the nodes that
 * break it.
 */

const read = (file: string): string => fs.readFileSync(repoPath('samples', 'protocols', file), 'utf8');

/** The sample's text with its bug switch turned on in the binding (`bug_x false` → `bug_x true`). */
function withBug(text: string, bug: string): string {
  const off = `${bug} false`;
  assert.equal(text.split(off).length, 2, `the binding sets '${off}' exactly once`);
  return text.replace(off, `${bug} true`);
}

function failures(result: RunResult): Violation[] {
  return allViolations(result).filter((v) => v.code !== 'DS206');
}

function describeFailures(result: RunResult): string {
  return allViolations(result).map((v) => `${v.code} ${v.message}`).join('\n') || 'none';
}

/**
 * The violation of the invariant named `name`; when it reads protocol state,
 * the bug switch `bug` is among its causes, on the binding's line. (A
 * property that reads only built-in properties such as `sent("Rumor")` is
 * not tied to a protocol binding, so it names no option.)
 */
function violationOf(result: RunResult, name: string, bug?: string): Violation {
  const v = result.violations.find((x) => x.invariant.split(':')[0]!.trim() === name);
  assert.ok(v, `${name} should fail; failures: ${describeFailures(result)}`);
  assert.equal(v.code, 'DS201');
  if (bug === undefined) return v;
  const cause = v.causes.find((c) => c.message === `${bug} true`);
  assert.ok(cause, `the bug switch is a cause: ${v.causes.map((c) => c.message).join('; ')}`);
  const bindingLine = result.model.protocols[0]!.range.startLine;
  assert.equal(cause.range.startLine, bindingLine);
  return v;
}

const notes = (result: RunResult): string[] => eventsOf(result, 'note').map((e) => `${nameOf(result, e.node)} ${e.detail ?? ''}`);

/** Messages of one type sent in the run. */
const sentOf = (result: RunResult, type: string): number => eventsOf(result, 'send').filter((e) => e.label === type).length;

interface WrittenSample {
  readonly file: string;
  readonly bug: string;
  }

/** Seeds besides each file's own on which the correct protocols must hold too. */
const SEEDS: readonly number[] = [...Array.from({ length: 20 }, (_, i) => i + 1), 424242];

const SAMPLES: readonly WrittenSample[] = [
  { file: 'heartbeat_failure_detector.dsync', bug: 'bug_no_timeout_reset' },
  { file: 'bully_election.dsync', bug: 'bug_ignore_answer' },
  { file: 'lamport_mutex.dsync', bug: 'bug_enter_without_all_acks' },
  { file: 'gossip_dedup.dsync', bug: 'bug_no_dedup' },
  { file: 'priority_election.dsync', bug: 'bug_first_wins' },
];

describe('written protocols in samples/protocols: check, format, hold when correct', () => {
  for (const s of SAMPLES) {
    test(`${s.file}: checks without a problem and is formatted`, () => {
      const text = read(s.file);
      const checked = checkText(text);
      assert.deepEqual(checked.diagnostics.map((d) => formatDiagnostic(s.file, d)), []);
      assert.ok(checked.model);
      const formatted = format(text)?.split('\n') ?? [];
      const line = formatted.findIndex((l, i) => l !== text.split('\n')[i]);
      assert.equal(line, -1, `${s.file}:${line + 1} is not formatted as dsync fmt would: ${JSON.stringify(formatted[line])}`);
    });
    test(`${s.file}: every invariant and expectation holds for its seed and ${SEEDS.length} more`, () => {
      const text = read(s.file);
      for (const seed of [undefined, ...SEEDS]) {
        const result = runText(text, seed === undefined ? {} : { seed });
        assert.equal(result.stopReason, 'end', `seed ${seed ?? 'own'}: the run stopped early`);
        assert.deepEqual(failures(result).map((v) => v.message), [], `seed ${seed ?? 'own'}`);
        assert.ok(result.expectations.every((e) => e.outcome !== undefined), `seed ${seed ?? 'own'}: an expectation was not evaluated`);
      }
    });
  }
});

describe('written protocols in samples/protocols: the bug switches', () => {
  test('priority election: announcements wait a draw from the latency option; all follow the highest node number; first-wins breaks it', () => {
    const text = read('priority_election.dsync');
    for (const seed of [undefined, ...SEEDS]) {
      const result = runText(text, seed === undefined ? {} : { seed });
      const announced = eventsOf(result, 'timer').map((e) => e.time);
      assert.equal(announced.length, 4, `seed ${seed ?? 'own'}: one announcement per node`);
      // think = 5ms..40ms, both ends included, on clocks without drift or offset.
      for (const t of announced) assert.ok(t >= 5_000_000 && t <= 40_000_000, `seed ${seed ?? 'own'}: announced at ${t} ns`);
      // prio n2 = 4 is the highest of the node numbers option.
      for (const node of result.final) assert.equal(node.properties['leader'], 'n2', `seed ${seed ?? 'own'}: ${node.name}`);
    }
    const v = violationOf(runText(withBug(text, 'bug_first_wins')), 'all_follow_the_highest', 'bug_first_wins');
    assert.match(v.message, /did not hold by t=100ms; at t=100ms: a = n\d \(leader n[134]\)/);
  });

  test('heartbeat: without resetting the timeout, live peers are suspected after 1s (eventual accuracy fails)', () => {
    const text = read('heartbeat_failure_detector.dsync');
    const correct = runText(text);
    // The drift fools n1 about n2 once; the adapted timeout keeps it from happening again.
    const n1Suspects = notes(correct).filter((n) => n.startsWith('n1 suspect n2'));
    assert.equal(n1Suspects.length, 1, notes(correct).join('\n'));
    // The timeout runs on n1's clock, 4% fast: 107ms of it have passed since n2's
    // last heartbeat arrived, but less than 107ms of true time.
    const suspicion = eventsOf(correct, 'note').find((e) => nameOf(correct, e.node) === 'n1' && e.detail?.startsWith('suspect n2'))!;
    const lastHeard = eventsOf(correct, 'receive').filter((e) => nameOf(correct, e.node) === 'n1' && e.peer !== undefined && nameOf(correct, e.peer) === 'n2' && e.seq < suspicion.seq).at(-1)!;
    assert.ok(suspicion.local - lastHeard.local >= 107_000_000, `local: ${suspicion.local - lastHeard.local}`);
    assert.ok(suspicion.time - lastHeard.time < 104_000_000, `true: ${suspicion.time - lastHeard.time}`);
    const buggy = runText(withBug(text, 'bug_no_timeout_reset'));
    const v = violationOf(buggy, 'eventual_accuracy', 'bug_no_timeout_reset');
    assert.ok(v.time >= 1_000_000_000, `after 1s, not at ${v.time}`);
    const { a, b } = v.witness!.bindings as { a: string; b: string };
    assert.notEqual(a, b);
    assert.ok(['n1', 'n2', 'n3', 'n4'].includes(a) && ['n1', 'n2', 'n3', 'n4'].includes(b));
    assert.ok(((v.witness!.nodes[a]!['suspected'] as string[]) ?? []).includes(b), JSON.stringify(v.witness));
    // Completeness still holds: the bug makes the detector less accurate, not less complete.
    assert.ok(!buggy.violations.some((x) => x.invariant.startsWith('completeness')));
  });

  test('bully: ignoring Answers elects several coordinators at once', () => {
    const buggy = runText(withBug(read('bully_election.dsync'), 'bug_ignore_answer'));
    const v = violationOf(buggy, 'one_coordinator', 'bug_ignore_answer');
    const { a, b } = v.witness!.bindings as { a: string; b: string };
    assert.notEqual(a, b);
    assert.equal(v.witness!.nodes[a]!['coordinator'], a);
    assert.equal(v.witness!.nodes[b]!['coordinator'], b);
    // Both had a higher node up that answered them: neither may coordinate.
    assert.ok(a !== 'n5' || b !== 'n5');
  });

  test('Lamport: entering without every acknowledgment puts two nodes in the critical section', () => {
    const text = read('lamport_mutex.dsync');
    const correct = runText(text);
    const entries = notes(correct).filter((n) => n.includes('enters the critical section'));
    assert.ok(entries.length >= 12, `every node enters several times: ${entries.length}`);
    const buggy = runText(withBug(text, 'bug_enter_without_all_acks'));
    const v = violationOf(buggy, 'at_most_one_in_cs', 'bug_enter_without_all_acks');
    const { a, b } = v.witness!.bindings as { a: string; b: string };
    assert.notEqual(a, b);
    assert.equal(v.witness!.nodes[a]!['in_cs'], true);
    assert.equal(v.witness!.nodes[b]!['in_cs'], true);
  });

  test('gossip: without de-duplication the pushes grow without bound', () => {
    const text = read('gossip_dedup.dsync');
    const correct = runText(text);
    const pushes = sentOf(correct, 'Rumor');
    assert.ok(pushes > 0 && pushes <= 99, `pushes with de-duplication: ${pushes}`);
    const buggy = runText(withBug(text, 'bug_no_dedup'));
    const v = violationOf(buggy, 'bounded_pushes');
    const { n } = v.witness!.bindings as { n: string };
    assert.ok(/^n\d+$/.test(n), JSON.stringify(v.witness));
    assert.ok(Number(v.witness!.nodes[n]!['sent("Rumor")']) > 9, JSON.stringify(v.witness));
    // The blow-up: the run ends at its event budget with far more pushes than the bound.
    assert.equal(buggy.stopReason, 'max-events');
    assert.ok(sentOf(buggy, 'Rumor') > 100 * pushes, `pushes without de-duplication: ${sentOf(buggy, 'Rumor')}`);
  });
});
