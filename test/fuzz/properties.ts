import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { check } from '../../server/src/core/check/checker';
import { MAX_DIAGNOSTICS, type Diagnostic } from '../../server/src/core/diagnostics';
import { semanticTokens } from '../../server/src/lsp/features/semanticTokens';
import { format } from '../../server/src/core/format/formatter';
import { Simulation } from '../../server/src/core/sim/engine';
import { traceToJson } from '../../server/src/core/sim/json';
import { summarize } from '../../server/src/core/sim/result';
import type { SourceRange } from '../../server/src/core/source';
import { parse, type ParseResult } from '../../server/src/core/syntax/parse';
import { anyInput, edits, mutatedFrom, scenarioText } from './arbitraries';
import { SettlingLsp } from './lspDriver';

/**
 * The fuzz properties, shared by the short run in the test suite
 * (test/unit/fuzz.test.ts, fixed seed) and the long one (`npm run fuzz`).
 * Each `run` checks `numRuns` inputs from `seed` and resolves with how many
 * inputs it survived (and how many of them reached the deeper stage, e.g.
 * were simulated); it rejects with fast-check's report (seed, path and the
 * shrunk counterexample) when one fails.
 */
export interface FuzzRun {
  readonly seed: number;
  readonly numRuns: number;
  readonly samples: readonly string[];
  /** Stop early (successfully) after this many milliseconds: the long runner's time box. */
  readonly timeLimitMs?: number;
}

export interface Survived {
  readonly inputs: number;
  /** Inputs that reached the property's deep stage (checked without errors, formatted, simulated). */
  readonly deep: number;
}

export interface FuzzProperty {
  readonly name: string;
  /** What `Survived.deep` counts. */
  readonly deepStage: string;
  run(options: FuzzRun): Promise<Survived>;
}

/** The simulator's event budget in the fuzz: small, so every run is short. */
export const FUZZ_MAX_EVENTS = 2_000;

/**
 * fast-check's parameters for a run. FUZZ_NO_SHRINK=1 reports the first
 * failing input as is: shrinking an input that hangs the server waits for a
 * timeout at every step.
 */
function parameters(o: FuzzRun): fc.Parameters<unknown> {
  return {
    seed: o.seed,
    numRuns: o.numRuns,
    includeErrorInReport: true,
    ...(process.env['FUZZ_NO_SHRINK'] ? { endOnFailure: true } : {}),
    ...(o.timeLimitMs !== undefined ? { interruptAfterTimeLimit: o.timeLimitMs, markInterruptAsFailure: false } : {}),
  };
}

/** The number of lines of the last text asked about: a file with many diagnostics is split once, not once per range. */
let lastLines: { text: string; count: number } | undefined;
function lineCountOf(text: string): number {
  if (lastLines?.text !== text) lastLines = { text, count: text.split(/\r\n|\r|\n/).length };
  return lastLines.count;
}

/** Every range lies inside the text, starts before it ends, and its line/column agree with its offsets. */
export function assertRangeInside(range: SourceRange, text: string, what: string): void {
  const fail = (why: string): never => {
    throw new Error(`${what}: ${why}: ${JSON.stringify(range)} in a text of ${text.length} characters`);
  };
  if (!(Number.isInteger(range.startOffset) && Number.isInteger(range.endOffset))) fail('offsets are not integers');
  if (range.startOffset < 0 || range.endOffset > text.length || range.startOffset > range.endOffset) fail('offsets outside the text');
  if (!(range.startLine >= 1 && range.startColumn >= 1 && range.endLine >= range.startLine && range.endColumn >= 1)) fail('lines/columns invalid');
  const lineCount = lineCountOf(text);
  if (range.endLine > lineCount) fail(`ends on line ${range.endLine} of ${lineCount}`);
}

function assertDiagnosticsInside(diagnostics: readonly Diagnostic[], text: string): void {
  for (const d of diagnostics) {
    assertRangeInside(d.range, text, `${d.code} ${d.message}`);
    for (const r of d.related ?? []) assertRangeInside(r.range, text, `${d.code} related '${r.message}'`);
    if (!/^DS\d{3}$/.test(d.code) || d.message.length === 0) throw new Error(`malformed diagnostic ${JSON.stringify(d)}`);
  }
}

/** Every semantic token lies on one line, inside it (LSP tokens never span lines; lines end at \r\n, \r or \n). */
function assertSemanticTokensOnTheirLines(text: string, parsed: ParseResult): void {
  const data = semanticTokens(parsed).data;
  const lines = text.split(/\r\n|\r|\n/);
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    char = data[i] === 0 ? char + data[i + 1]! : data[i + 1]!;
    const lineText = lines[line];
    if (lineText === undefined || char + data[i + 2]! > lineText.length) throw new Error(`semantic token ${line}:${char}+${data[i + 2]} is outside its line ${JSON.stringify(lineText)}`);
  }
}

/**
 * (1) Lexer, parser and checker never throw; every diagnostic range lies
 * inside the text; at most MAX_DIAGNOSTICS (+ the DS174 that counts the
 * rest) per file; semantic tokens stay on their lines.
 */
const syntaxAndCheck: FuzzProperty = {
  name: 'lexer/parser/checker never throw; diagnostic ranges inside the text; diagnostics capped; semantic tokens on their lines',
  deepStage: 'checked without errors',
  async run(o) {
    const n = { inputs: 0, deep: 0 };
    fc.assert(
      fc.property(anyInput(o.samples), (text) => {
        const parsed = parse(text);
        assertDiagnosticsInside(parsed.diagnostics, text);
        const checked = check(parsed, text);
        assertDiagnosticsInside(checked.diagnostics, text);
        if (checked.diagnostics.length > MAX_DIAGNOSTICS + 1) throw new Error(`${checked.diagnostics.length} diagnostics; the cap is ${MAX_DIAGNOSTICS} + 1`);
        assertSemanticTokensOnTheirLines(text, parsed);
        n.inputs++;
        if (checked.model) n.deep++;
      }),
      parameters(o),
    );
    return n;
  },
};

/** Runs to the end in slices, failing if the queue keeps turning without producing events (a hang). */
function boundedRun(text: string, seed: number | undefined): string | undefined {
  const checked = check(parse(text), text);
  if (!checked.model) return undefined;
  const sim = new Simulation(checked.model, { maxEvents: FUZZ_MAX_EVENTS, ...(seed !== undefined ? { seed } : {}) });
  let slices = 0;
  while (!sim.step(1_000)) {
    // Each event-less queue entry (a cancelled timer) comes from an earlier event; far more than that is a loop.
    if (++slices > FUZZ_MAX_EVENTS * 10) throw new Error(`simulation still running after ${slices * 1000} queue entries and ${sim.eventCount} events`);
  }
  // The budget is checked between queue entries, so a run may overshoot by the events of one entry
  // (a broadcast sends to every node, each send may be dropped or duplicated): bounded, never runaway.
  const slack = 16 * (checked.model.nodes.length + 1);
  if (sim.eventCount > FUZZ_MAX_EVENTS + slack) throw new Error(`simulation ran ${sim.eventCount} events; the budget was ${FUZZ_MAX_EVENTS}`);
  return traceToJson(summarize(sim));
}

/** (2) Any model the checker accepts simulates within its event budget, and deterministically. */
const simulation: FuzzProperty = {
  name: 'simulator: bounded by maxEvents, same seed → identical trace',
  deepStage: 'simulated twice',
  async run(o) {
    const n = { inputs: 0, deep: 0 };
    const inputs = fc.oneof({ weight: 4, arbitrary: scenarioText }, { weight: 1, arbitrary: mutatedFrom(fc.constantFrom(...o.samples)) });
    fc.assert(
      fc.property(inputs, fc.option(fc.nat(), { nil: undefined }), (text, seed) => {
        n.inputs++;
        const first = boundedRun(text, seed);
        if (first === undefined) return;
        const second = boundedRun(text, seed);
        if (first !== second) throw new Error('two runs with the same seed gave different traces');
        n.deep++;
      }),
      parameters(o),
    );
    return n;
  },
};

const kindsOf = (text: string): string[] => parse(text).ast.statements.map((s) => s.kind);
/** The token images without `;`, which the formatter adds between items written on one line. */
const imagesOf = (text: string): string[] => parse(text).tokens.filter((t) => t.image !== ';').map((t) => t.image);
const commentsOf = (text: string): string[] => parse(text).comments.map((t) => t.image.trimEnd());

/** (3) The formatter is idempotent and keeps tokens (but for added `;`), comments and statements. */
const formatter: FuzzProperty = {
  name: 'formatter: idempotent, keeps the token sequence and statements',
  deepStage: 'formatted',
  async run(o) {
    const n = { inputs: 0, deep: 0 };
    fc.assert(
      fc.property(anyInput(o.samples), (text) => {
        n.inputs++;
        const once = format(text);
        if (once === undefined) return;
        const twice = format(once);
        if (twice !== once) throw new Error(`format is not idempotent:\n--- once\n${once}\n--- twice\n${twice}`);
        const [a, b] = [imagesOf(text), imagesOf(once)];
        if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`format changed the tokens: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
        if (JSON.stringify(commentsOf(text)) !== JSON.stringify(commentsOf(once))) throw new Error('format changed the comments');
        if (JSON.stringify(kindsOf(text)) !== JSON.stringify(kindsOf(once))) throw new Error('format changed the statements');
        n.deep++;
      }),
      parameters(o),
    );
    return n;
  },
};

const FUZZ_SETTINGS = { seed: null, simulation: { maxEvents: FUZZ_MAX_EVENTS, maxMilliseconds: 60_000 } };

async function withServer(work: (lsp: SettlingLsp) => Promise<Survived>): Promise<Survived> {
  const lsp = new SettlingLsp(FUZZ_SETTINGS);
  await lsp.initialize();
  try {
    const result = await work(lsp);
    if (lsp.errors.length > 0) throw new Error(`the server logged errors:\n${lsp.errors.join('\n')}`);
    return result;
  } finally {
    lsp.dispose();
  }
}

let documentCounter = 0;
const freshUri = (): string => `file:///fuzz/doc${++documentCounter}.dsync`;

/** (4a) After every input the server still answers hover, completion and documentSymbol. */
const serverAnswers: FuzzProperty = {
  name: 'language server answers hover/completion/symbols after each input',
  deepStage: 'published without errors',
  run: (o) =>
    withServer(async (lsp) => {
      const n = { inputs: 0, deep: 0 };
      const position = fc.record({ line: fc.nat(60), character: fc.nat(120) });
      await fc.assert(
        fc.asyncProperty(anyInput(o.samples), position, async (text, pos) => {
          const uri = freshUri();
          lsp.open(uri, text);
          const textDocument = { uri };
          await lsp.request('textDocument/hover', { textDocument, position: pos });
          await lsp.request('textDocument/completion', { textDocument, position: pos });
          await lsp.request('textDocument/documentSymbol', { textDocument });
          await lsp.request('textDocument/semanticTokens/full', { textDocument });
          const diagnostics = await lsp.settle(uri, 1);
          const crashed = lsp.errors.length > 0;
          lsp.close(uri);
          if (crashed) throw new Error(`the server logged errors:\n${lsp.errors.join('\n')}`);
          n.inputs++;
          if (!diagnostics.some((d) => d.severity === 1)) n.deep++;
        }),
        parameters(o),
      );
      return n;
    }),
};

/** (4b) Diagnostics after a sequence of incremental edits equal those of the final text opened fresh. */
const incrementalEqualsFull: FuzzProperty = {
  name: 'language server: incremental edits give the same diagnostics as a fresh open',
  deepStage: 'edits',
  run: (o) =>
    withServer(async (lsp) => {
      const n = { inputs: 0, deep: 0 };
      await fc.assert(
        fc.asyncProperty(anyInput(o.samples), edits, async (base, changes) => {
          const edited = freshUri();
          const fresh = freshUri();
          lsp.open(edited, base);
          let local = TextDocument.create(edited, 'dsync', 1, base);
          let version = 1;
          for (const c of changes) {
            const text = local.getText();
            const from = Math.min(text.length, Math.floor(c.at * (text.length + 1)));
            const range = { start: local.positionAt(from), end: local.positionAt(from + c.length) };
            const change = { range, text: c.insert };
            version++;
            lsp.changeIncrementally(edited, version, [change]);
            local = TextDocument.update(local, [change], version);
          }
          lsp.open(fresh, local.getText());
          const [incremental, full] = [await lsp.settle(edited, version), await lsp.settle(fresh, 1)];
          lsp.close(edited);
          lsp.close(fresh);
          // Related information names the document; compare as if both were the fresh one.
          if (JSON.stringify(incremental).split(edited).join(fresh) !== JSON.stringify(full)) {
            throw new Error(`incremental ≠ full re-parse for ${JSON.stringify(local.getText())}:\n${JSON.stringify(incremental)}\n${JSON.stringify(full)}`);
          }
          n.inputs++;
          n.deep += changes.length;
        }),
        parameters(o),
      );
      return n;
    }),
};

export const PROPERTIES: readonly FuzzProperty[] = [syntaxAndCheck, simulation, formatter, serverAnswers, incrementalEqualsFull];
