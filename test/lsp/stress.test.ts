import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource, type Diagnostic, type Hover } from 'vscode-languageserver-protocol';
import { generateScenario } from '../../bench/support/scenarios';
import { ServerProcess } from './serverProcess';
import { mulberry32 } from '../../bench/support/scenarios';

/**
 * A short, fixed-seed stress run of the real server process: 10 documents,
 * 2,000 random edits with hovers, completions, outlines and semantic tokens
 * in between (some cancelled), and one multi-megabyte paste. The server
 * never exits, answers every request, the final diagnostics of every
 * document equal those of a fresh open of its final text, and a hover on
 * another document is answered within HOVER_BOUND_MS while the pasted
 * document is analysed.
 */
const root = process.env['DSYNC_ROOT'] ?? process.cwd();
const SEED = 0x5eed13;
const EDITS = 2000;
const DOCUMENTS = 10;
/** A correctness bound with a wide margin (the analysis of the paste takes seconds), not a benchmark. */
const HOVER_BOUND_MS = 1000;
// Runs end by their event budget, never by computing time: a wall-clock budget would make two opens of one text differ on a busy machine.
const SETTINGS = { seed: null, simulation: { maxEvents: 20_000, maxMilliseconds: 600_000, maxTraceMegabytes: 64 } };

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Diagnostics with the document's uri taken out, to compare two documents' results. */
function normalised(diagnostics: Diagnostic[], uri: string): string {
  return JSON.stringify(diagnostics).split(JSON.stringify(uri).slice(1, -1)).join('<uri>');
}

const INSERTS = [' ', 'n', '1', 'ms', '\n', '"', '{', '}', '->', 'at 5ms A -> B "x"\n', 'nodes Q\n', '// note\n', 'invariant max_skew < 1ms\n', 'crash ', '..', '*'];

describe('language server stress (fixed seed)', () => {
  const lsp = new ServerProcess(SETTINGS);
  const samples = fs.readdirSync(path.join(root, 'samples')).filter((f) => f.endsWith('.dsync')).sort().slice(0, DOCUMENTS);
  const docs = samples.map((f) => ({ uri: `file:///stress/${f}`, text: fs.readFileSync(path.join(root, 'samples', f), 'utf8'), version: 1 }));
  before(async () => {
    await lsp.initialize();
    for (const d of docs) lsp.open(d.uri, d.text);
  });
  after(() => lsp.dispose());

  test(`${EDITS} random edits with requests and cancellations, and a multi-megabyte paste`, async () => {
    const next = mulberry32(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const pending: Promise<unknown>[] = [];
    let answered = 0;
    let cancelled = 0;
    const ask = (doc: (typeof docs)[number]): void => {
      const position = positionAt(doc.text, Math.floor(next() * (doc.text.length + 1)));
      const textDocument = { uri: doc.uri };
      const [method, params] = pick([
        ['textDocument/hover', { textDocument, position }],
        ['textDocument/completion', { textDocument, position }],
        ['textDocument/documentSymbol', { textDocument }],
        ['textDocument/semanticTokens/full', { textDocument }],
      ] as const);
      const source = next() < 0.25 ? new CancellationTokenSource() : undefined;
      const request = lsp.request(method, params, 60_000, source?.token).then(
        () => void answered++,
        (error: unknown) => {
          // A cancelled request may be answered with the cancellation error; anything else is a failure.
          assert.ok(source && /cancel/i.test(String(error)), `${method} failed: ${String(error)}`);
          cancelled++;
        },
      );
      if (source) setTimeout(() => source.cancel(), Math.floor(next() * 20));
      pending.push(request);
    };
    const edit = (doc: (typeof docs)[number]): void => {
      const start = Math.floor(next() * (doc.text.length + 1));
      const deleting = next() < 0.4 && doc.text.length > 0;
      const end = deleting ? Math.min(doc.text.length, start + 1 + Math.floor(next() * 6)) : start;
      const inserted = deleting ? '' : pick(INSERTS);
      const range = { start: positionAt(doc.text, start), end: positionAt(doc.text, end) };
      doc.text = doc.text.slice(0, start) + inserted + doc.text.slice(end);
      lsp.change(doc.uri, ++doc.version, [{ range, text: inserted }]);
    };

    const big = docs[0]!;
    const small = docs[1]!;
    for (let i = 0; i < EDITS; i++) {
      if (i === EDITS / 2) {
        // The paste: a valid 2 MB scenario replaces the whole first document.
        const pasted = generateScenario(2_000_000);
        lsp.change(big.uri, ++big.version, [{ range: { start: { line: 0, character: 0 }, end: positionAt(big.text, big.text.length) }, text: pasted }]);
        big.text = pasted;
        const analysed = lsp.settle(big.uri, big.version, 120_000);
        let settled = false;
        void analysed.finally(() => (settled = true));
        const waits: number[] = [];
        const hoverAt = { textDocument: { uri: small.uri }, position: positionAt(small.text, Math.floor(small.text.length / 2)) };
        while (!settled) {
          const start = performance.now();
          await lsp.request<Hover | null>('textDocument/hover', hoverAt);
          waits.push(performance.now() - start);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await analysed;
        assert.ok(waits.length >= 3, `only ${waits.length} hovers while the paste was analysed`);
        assert.ok(Math.max(...waits) < HOVER_BOUND_MS, `hover waits while the paste was analysed: ${waits.map((w) => w.toFixed(0)).join(', ')} ms`);
      }
      // The big document gets a few keystrokes too; the others share the rest.
      const doc = i > EDITS / 2 && i % 400 === 0 ? big : docs[1 + Math.floor(next() * (DOCUMENTS - 1))]!;
      edit(doc);
      if (next() < 0.15) ask(pick(docs.slice(1)));
      if (i % 50 === 49) {
        await Promise.all(pending.splice(0));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    await Promise.all(pending.splice(0));
    assert.ok(answered > 200, `${answered} requests answered, ${cancelled} cancelled`);

    // Every document's final version settles with the diagnostics of a fresh open of its final text.
    for (const doc of docs) {
      const final = await lsp.settle(doc.uri, doc.version, 120_000);
      const fresh = doc.uri.replace('/stress/', '/fresh/');
      lsp.open(fresh, doc.text);
      assert.equal(normalised(final, doc.uri), normalised(await lsp.settle(fresh, 1, 120_000), fresh), `${doc.uri} v${doc.version}`);
    }
    assert.equal(lsp.exitCode, undefined, 'the server is still running');
  });
});
