import { check, type CheckResult } from '../core/check/checker';
import { diagnostic, type Diagnostic } from '../core/diagnostics';
import { Simulation } from '../core/sim/engine';
import { summarize, type RunResult } from '../core/sim/result';
import { parse, type ParseResult } from '../core/syntax/parse';
import { NO_RANGE } from '../core/source';
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

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    private readonly settings: DsyncSettings,
    private readonly isStale: () => boolean,
  ) {}

  get parsed(): ParseResult {
    return (this.parsedStage ??= guard(() => parse(this.text), (d) => (this.failure = d), emptyParse));
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
    const started = performance.now();
    try {
      const sim = new Simulation(model, {
        maxEvents: Math.min(this.settings.simulation.maxEvents, model.maxEvents ?? Infinity),
        ...(this.settings.seed !== null ? { seed: this.settings.seed } : {}),
      });
      let outOfTime = false;
      while (!sim.step(4096)) {
        await yieldToEventLoop();
        if (this.isStale()) {
          sim.cancel();
          return (this.peekSimulated = { kind: 'stale' });
        }
        if (performance.now() - started > this.settings.simulation.maxMilliseconds) {
          outOfTime = true;
          sim.cancel();
          break;
        }
      }
      const result = summarize(sim);
      const budget = budgetDiagnostic(result, outOfTime, this.settings, model.source.statements.find((s) => s.kind === 'scenario')?.range ?? NO_RANGE);
      return (this.peekSimulated = { kind: 'done', result, budget, millis: performance.now() - started });
    } catch (error) {
      this.failure = internalError(error);
      return (this.peekSimulated = { kind: 'not-run', reason: 'the simulation failed' });
    }
  }
}

export type SimulatedStage =
  | { readonly kind: 'done'; readonly result: RunResult; readonly budget: Diagnostic | undefined; readonly millis: number }
  | { readonly kind: 'not-run'; readonly reason: string }
  | { readonly kind: 'stale' };

function budgetDiagnostic(result: RunResult, outOfTime: boolean, settings: DsyncSettings, header: Diagnostic['range']): Diagnostic | undefined {
  const at = `t=${(result.endTime / 1e9).toFixed(3)}s of ${(result.model.duration / 1e9).toFixed(3)}s`;
  if (outOfTime) {
    return diagnostic('DS203', `simulation stopped after ${settings.simulation.maxMilliseconds}ms of computing, at ${at}; raise dsync.simulation.maxMilliseconds or shorten the run`, header);
  }
  if (result.stopReason === 'max-events') {
    return diagnostic('DS203', `simulation stopped after ${result.stats.events.toLocaleString('en-US')} events, at ${at}; raise dsync.simulation.maxEvents (or max_events in the scenario)`, header);
  }
  return undefined;
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
