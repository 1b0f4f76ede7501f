/**
 * The DSync core: parse → check → simulate. Pure: no vscode, no file system,
 * no wall clock, no global randomness. The CLI and the language server are
 * thin shells over these functions.
 */
import { check, type CheckResult } from './check/checker';
import { hasErrors, type Diagnostic } from './diagnostics';
import { Simulation, type SimulationOptions } from './sim/engine';
import { summarize, type RunResult } from './sim/result';
import { parse, type ParseResult } from './syntax/parse';

export { parse, check, Simulation, summarize };
export type { ParseResult, CheckResult, RunResult, SimulationOptions, Diagnostic };

export interface Analysis {
  readonly parsed: ParseResult;
  readonly checked: CheckResult;
  /** Present when the file checked without errors. */
  readonly run: RunResult | undefined;
}

/** All three stages in one call, for callers that do not stage the work. */
export function analyze(text: string, options: SimulationOptions = {}): Analysis {
  const parsed = parse(text);
  const checked = check(parsed, text);
  if (!checked.model || hasErrors(checked.diagnostics)) return { parsed, checked, run: undefined };
  const sim = new Simulation(checked.model, options).run();
  return { parsed, checked, run: summarize(sim) };
}
