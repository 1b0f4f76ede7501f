import * as path from 'node:path';
import { check, type CheckResult } from '../../../server/src/core/check/checker';
import { formatDiagnostic, hasErrors } from '../../../server/src/core/diagnostics';
import type { Model } from '../../../server/src/core/model';
import { Simulation, type SimulationOptions } from '../../../server/src/core/sim/engine';
import { summarize, type RunResult } from '../../../server/src/core/sim/result';
import type { EventKind, TraceEvent } from '../../../server/src/core/sim/trace';
import { parse } from '../../../server/src/core/syntax/parse';

/** Shared by the unit tests: the repo root, and scenario text → diagnostics, model, run. */

export function repoPath(...parts: string[]): string {
  return path.join(process.env['DSYNC_ROOT'] ?? process.cwd(), ...parts);
}

export function checkText(text: string): CheckResult {
  return check(parse(text), text);
}

/** The checked model; fails the test with the diagnostics when the text has errors. */
export function modelOf(text: string): Model {
  const checked = checkText(text);
  if (!checked.model || hasErrors(checked.diagnostics)) {
    throw new Error(`scenario does not check:\n${checked.diagnostics.map((d) => formatDiagnostic('test', d)).join('\n')}`);
  }
  return checked.model;
}

export function simulate(text: string, options: SimulationOptions = {}): Simulation {
  return new Simulation(modelOf(text), options).run();
}

export function runText(text: string, options: SimulationOptions = {}): RunResult {
  return summarize(simulate(text, options));
}

export function eventsOf(result: RunResult, ...kinds: EventKind[]): TraceEvent[] {
  return result.events.filter((e) => kinds.includes(e.kind));
}

/** The node names of a result, to turn indices in events into names. */
export function nameOf(result: RunResult, index: number): string {
  return result.model.nodes[index]?.name ?? '*';
}
