import { check, type CheckResult } from '../core/check/checker';
import { diagnostic, type Diagnostic } from '../core/diagnostics';
import { Simulation } from '../core/sim/engine';
import { traceEventBytes } from '../core/sim/traceMemory';
import type { Model } from '../core/model';
import { summarize, type RunResult } from '../core/sim/result';
import { parseInPositionOrder, reparse, type ParsedText } from '../core/syntax/incremental';
import type { ParseResult } from '../core/syntax/parse';
import { NO_RANGE } from '../core/source';
import { formatDuration } from '../core/units';
import type { DsyncSettings } from '../shared/requests';

/**
 * One version of one document moving through the stages
 * parsed → checked → simulated. Each stage is computed once, on first
 * request; LSP features ask for the stage they need. Simulation runs in
 * slices between which the event loop is free, and stops as soon as a newer
 * version exists (`isStale`) or the budget is spent.
 */
export class DocumentAnalysis {
  private parsedStage: ParseResult | undefined;
  private checkedStage: CheckResult | undefined;
  private simulatedStage: Promise<SimulatedStage> | undefined;
  private failure: Diagnostic | undefined;

  /**
   * @param base the parse of an earlier version of the document, if any: this
   * version is re-parsed from it (only the statements the edits touched),
   * then it is let go.
   */
  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    private readonly settings: DsyncSettings,
    private readonly isStale: () => boolean,
    private base?: ParsedText,
  ) {}

  get parsed(): ParseResult {
    return (this.parsedStage ??= guard(() => this.parse(), (d) => (this.failure = d), () => {
      this.parseFailed = true;
      return emptyParse();
    }));
  }

  private parseFailed = false;

  private parse(): ParseResult {
    const base = this.base;
    this.base = undefined;
    if (!base) return parseInPositionOrder(this.text);
    try {
      return reparse(base, this.text);
    } catch {
      // A bug of the re-parse must not cost the document its analysis: the full parse is always right.
      return parseInPositionOrder(this.text);
    }
  }

  /**
   * Hands the next version what to re-parse from: this version's parse, or,
   * if it was never parsed, the base it was given (then this version would
   * parse in full: no chain of versions is kept, and no base is re-parsed
   * from twice). The next version owns it: re-parsing moves the reused
   * statements in place, so this (then stale) version must not be asked again.
   */
  handOverBase(): ParsedText | undefined {
    if (this.parsedStage) return this.parseFailed ? undefined : { text: this.text, parsed: this.parsedStage };
    const base = this.base;
    this.base = undefined;
    return base;
  }

  get checked(): CheckResult {
    return (this.checkedStage ??= guard(() => check(this.parsed, this.text), (d) => (this.failure = d), () => ({ model: undefined, diagnostics: [] })));
  }

  /** A crash inside the core, reported as DS204 instead of taking the server down. */
  get internalFailure(): Diagnostic | undefined {
    return this.failure;
  }

  /** Starts (once) and returns the simulation of this version. */
  simulated(): Promise<SimulatedStage> {
    return (this.simulatedStage ??= this.simulate());
  }

  /** The simulation if it already finished, without starting or waiting for it. */
  peekSimulated: SimulatedStage | undefined;

  private async simulate(): Promise<SimulatedStage> {
    const model = this.checked.model;
    if (!model) return (this.peekSimulated = { kind: 'not-run', reason: 'the file has errors' });
    const stage = await this.simulateWith(this.settings.seed ?? undefined);
    if (stage.kind === 'not-run' && stage.failure) this.failure = stage.failure;
    return (this.peekSimulated = stage);
  }

  /**
   * Simulates this version's model with `seed` (default: the scenario's) under
   * the editor's budgets: events, trace memory and computing time. Never
   * throws: a crash of the core is a `not-run` stage carrying a DS204.
   */
  async simulateWith(seed: number | undefined): Promise<SimulatedStage> {
    const model = this.checked.model;
    if (!model) return { kind: 'not-run', reason: 'the file has errors' };
    const started = performance.now();
    try {
      const budget = eventBudget(model, this.settings);
      // The event budget bounds the events alone; maxTraceBytes also counts the state diffs as they grow.
      const sim = new Simulation(model, { maxEvents: budget.maxEvents, maxTraceBytes: this.settings.simulation.maxTraceMegabytes * 1024 * 1024, ...(seed !== undefined ? { seed } : {}) });
      let outOfTime = false;
      const deadline = started + this.settings.simulation.maxMilliseconds;
      // Slices end by time (the engine asks every few entries, since one
      // entry of a large scenario can take milliseconds) or by event count.
      for (;;) {
        const sliceEnd = Math.min(performance.now() + SLICE_MS, deadline);
        if (sim.step(SLICE_MAX_ENTRIES, () => performance.now() >= sliceEnd)) break;
        if (performance.now() >= deadline) {
          outOfTime = true;
          sim.cancel();
          break;
        }
        await yieldToEventLoop();
        if (this.isStale()) {
          sim.cancel();
          return { kind: 'stale' };
        }
      }
      const result = summarize(sim);
      const header = model.source.statements.find((s) => s.kind === 'scenario')?.range ?? NO_RANGE;
      const limit = sim.stoppedByMemory ? { maxEvents: result.stats.events, limitedBy: 'memory' as const } : budget;
      return { kind: 'done', result, budget: budgetDiagnostic(result, outOfTime, limit, this.settings, header, sim.traceBytes()), millis: performance.now() - started };
    } catch (error) {
      return { kind: 'not-run', reason: 'the simulation failed', failure: internalError(error) };
    }
  }
}

/** How long the simulation computes before letting other requests in. */
const SLICE_MS = 15;
/** The most queue entries in one slice, whatever the time. */
const SLICE_MAX_ENTRIES = 65_536;

export { traceEventBytes };

interface EventBudget {
  readonly maxEvents: number;
  /** Which limit is the smallest, for the DS203 message: the setting to raise. */
  readonly limitedBy: 'settings' | 'scenario' | 'memory';
}

/** The editor's event budget: the smallest of the setting, the scenario's max_events and the trace memory budget. */
export function eventBudget(model: Model, settings: DsyncSettings): EventBudget {
  const byMemory = Math.max(1, Math.floor((settings.simulation.maxTraceMegabytes * 1024 * 1024) / traceEventBytes(model.nodes.length)));
  const candidates: EventBudget[] = [
    { maxEvents: settings.simulation.maxEvents, limitedBy: 'settings' },
    { maxEvents: model.maxEvents ?? Infinity, limitedBy: 'scenario' },
    { maxEvents: byMemory, limitedBy: 'memory' },
  ];
  return candidates.reduce((a, b) => (b.maxEvents < a.maxEvents ? b : a));
}

export type SimulatedStage =
  | { readonly kind: 'done'; readonly result: RunResult; readonly budget: Diagnostic | undefined; readonly millis: number }
  | { readonly kind: 'not-run'; readonly reason: string; readonly failure?: Diagnostic }
  | { readonly kind: 'stale' };

function budgetDiagnostic(result: RunResult, outOfTime: boolean, budget: EventBudget, settings: DsyncSettings, header: Diagnostic['range'], traceBytes: number): Diagnostic | undefined {
  const at = `t=${formatDuration(result.endTime)} of ${formatDuration(result.model.duration)}`;
  if (outOfTime) {
    return diagnostic('DS203', `simulation stopped after ${settings.simulation.maxMilliseconds.toLocaleString('en-US')}ms of computing, at ${at}; raise dsync.simulation.maxMilliseconds or shorten the run`, header);
  }
  if (result.stopReason !== 'max-events') return undefined;
  const events = `simulation stopped after ${result.stats.events.toLocaleString('en-US')} events, at ${at}`;
  switch (budget.limitedBy) {
    case 'settings':
      return diagnostic('DS203', `${events}; raise dsync.simulation.maxEvents`, header);
    case 'scenario':
      return diagnostic('DS203', `${events}: the scenario's max_events is ${budget.maxEvents.toLocaleString('en-US')}; raise max_events`, header);
    case 'memory': {
      // Per event: the events' own size, or more when state diffs took their share.
      const perEvent = Math.max(traceEventBytes(result.model.nodes.length), traceBytes / Math.max(1, result.events.length));
      const kb = (perEvent / 1024).toFixed(1);
      return diagnostic('DS203', `${events}: the trace reached its memory budget of ${settings.simulation.maxTraceMegabytes.toLocaleString('en-US')} MB (about ${kb} KB per event with ${result.model.nodes.length.toLocaleString('en-US')} nodes); raise dsync.simulation.maxTraceMegabytes`, header);
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function internalError(error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  return diagnostic('DS204', `DSync failed while analysing this file: ${message}. Other files are unaffected; please report this`, NO_RANGE);
}

function guard<T>(work: () => T, onFailure: (d: Diagnostic) => void, fallback: () => T): T {
  try {
    return work();
  } catch (error) {
    onFailure(internalError(error));
    return fallback();
  }
}

function emptyParse(): ParseResult {
  return { ast: { statements: [], range: NO_RANGE }, diagnostics: [], tokens: [], comments: [] };
}
