import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver';
import { DocumentAnalysis } from '../../server/src/lsp/analysis';
import { answerQuery } from '../../server/src/lsp/queries';
import { DEFAULT_SETTINGS } from '../../server/src/shared/requests';
import { LEADER_ELECTION } from './support/protocols';

const TEXT = `scenario s { seed 3  run for 1s }\n${LEADER_ELECTION}`;

async function hoverAt(analysis: DocumentAnalysis, anchor: string, within = 0): Promise<string | undefined> {
  const offset = TEXT.indexOf(anchor) + within;
  assert.ok(offset >= within, anchor);
  const before = TEXT.slice(0, offset);
  const position = { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
  const h = await answerQuery(analysis, { kind: 'hover', position }, () => false);
  return (h?.contents as MarkupContent | undefined)?.value;
}

describe('hover on a written protocol state variable', () => {
  test('declaration and uses show the type, stable/var and the end-of-run value on every member', async () => {
    const analysis = new DocumentAnalysis('file:///h.dsync', 1, TEXT, DEFAULT_SETTINGS, () => false);
    const stage = await analysis.simulated();
    assert.equal(stage.kind, 'done');
    const run = stage.kind === 'done' ? stage.result : undefined;
    const onDecl = await hoverAt(analysis, 'stable term', 'stable '.length);
    assert.ok(onDecl?.startsWith('**stable term**: `int` (leader_election)'), onDecl);
    assert.match(onDecl!, /kept across a crash/);
    // One row per node, with the value the run ended with on that node.
    for (const [i, n] of ['n1', 'n2', 'n3', 'n4', 'n5'].entries()) assert.ok(onDecl!.includes(`| ${n} | ${String(run!.final[i]!.properties['term'])} |`), n);
    const onUse = await hoverAt(analysis, 'role = "candidate"');
    assert.ok(onUse?.startsWith('**var role**'), onUse);
    assert.match(onUse!, /lost on a crash/);
    assert.ok(onUse!.includes(`| n1 | "${String(run!.final[0]!.properties['role'])}" |`) || onUse!.includes(`| n1 | ${String(run!.final[0]!.properties['role'])} |`), onUse);
    const inInvariant = await hoverAt(analysis, 'a.role', 2);
    assert.ok(inInvariant?.startsWith('**var role**'), inInvariant);
  });

  test('a message field named like a state variable is not the state variable', async () => {
    const analysis = new DocumentAnalysis('file:///h.dsync', 1, TEXT, DEFAULT_SETTINGS, () => false);
    const onField = await hoverAt(analysis, 'RequestVote { term', 'RequestVote { '.length);
    assert.ok(!onField?.includes('stable term'), onField);
  });
});

describe('hover on a written protocol message type', () => {
  test('shows its fields and how many the run sent and received, counted from the trace', async () => {
    const analysis = new DocumentAnalysis('file:///h.dsync', 1, TEXT, DEFAULT_SETTINGS, () => false);
    const stage = await analysis.simulated();
    assert.equal(stage.kind, 'done');
    const run = stage.kind === 'done' ? stage.result : undefined;
    const sends = run!.events.length > 0 ? run!.events : [...Array(run!.trace!.length).keys()].map((i) => run!.trace!.event(i)!);
    const count = (kind: string): number => sends.filter((e) => e.kind === kind && e.label === 'Vote').length;
    assert.ok(count('send') > 0);
    for (const anchor of ['message Vote', 'reply Vote', 'on Vote']) {
      const text = await hoverAt(analysis, anchor, anchor.indexOf('Vote'));
      assert.ok(text?.startsWith('**message Vote** `{ term: int }` (leader_election)'), text);
      assert.ok(text!.includes(`in the run: ${count('send')} sent, ${count('receive')} received`), text);
    }
  });
});
