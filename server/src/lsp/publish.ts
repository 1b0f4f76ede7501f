import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { hasErrors } from '../core/diagnostics';
import { allViolations, verdict, verdictHeadline, type RunResult } from '../core/sim/result';
import type { DocumentState } from '../shared/requests';
import type { DocumentAnalysis, SimulatedStage } from './analysis';
import { toLspDiagnostic, violationDiagnostic } from './convert';
import { t } from './l10n';

/** How long a valid file's check-stage diagnostics wait for the simulation before being shown alone. */
const INTERIM_PUBLISH_MS = 250;

/**
 * Where one version's results go: straight to the client on the main
 * thread, or as messages from a document's analysis worker (which the main
 * thread forwards while the version is still the document's).
 */
export interface PublishSink {
  /** False once a newer version (or a close) replaced this one: nothing more is sent. */
  isCurrent(): boolean;
  diagnostics(diagnostics: LspDiagnostic[]): Promise<void> | void;
  status(state: DocumentState, text: string): void;
  /** The simulation finished (code lenses and a followed timeline show its result). */
  ran(result: RunResult): void;
}

/**
 * Publishes one version's analysis: the check-stage diagnostics at once
 * when the file has errors; otherwise after the simulation (or after
 * INTERIM_PUBLISH_MS if it is slow, then again when it finishes), with
 * every violation and a budget warning; and a status for each step.
 */
export async function publishAnalysis(analysis: DocumentAnalysis, sink: PublishSink): Promise<void> {
  const uri = analysis.uri;
  const checkDiagnostics = [...analysis.checked.diagnostics];
  const failure = analysis.internalFailure;
  if (failure) checkDiagnostics.push(failure);
  const staticDiagnostics = checkDiagnostics.map((d) => toLspDiagnostic(d, uri));
  if (hasErrors(checkDiagnostics)) {
    await sink.diagnostics(staticDiagnostics);
    sink.status('invalid', errorCount(checkDiagnostics.filter((d) => d.severity === 'error').length));
    return;
  }
  sink.status('simulating', t('simulating…'));
  // If the simulation is slow, show the static diagnostics meanwhile (no flicker when it is fast).
  const interim = setTimeout(() => {
    if (sink.isCurrent()) void sink.diagnostics(staticDiagnostics);
  }, INTERIM_PUBLISH_MS);
  let stage: SimulatedStage;
  try {
    stage = await analysis.simulated();
  } finally {
    clearTimeout(interim);
  }
  if (stage.kind === 'stale' || !sink.isCurrent()) return;
  const diagnostics = [...staticDiagnostics];
  if (analysis.internalFailure && !failure) diagnostics.push(toLspDiagnostic(analysis.internalFailure, uri));
  if (stage.kind === 'not-run') {
    await sink.diagnostics(diagnostics);
    sink.status('invalid', stage.reason);
    return;
  }
  const violations = allViolations(stage.result);
  diagnostics.push(...violations.map((v) => violationDiagnostic(v, uri)));
  if (stage.budget) diagnostics.push(toLspDiagnostic(stage.budget, uri));
  await sink.diagnostics(diagnostics);
  // An expectation the run did not reach is never a pass (core verdict).
  const v = verdict(stage.result);
  if (v.kind === 'failed') sink.status('failed', verdictHeadline(v));
  else if (v.kind === 'undecided') sink.status('stopped', verdictHeadline(v));
  else if (stage.budget) sink.status('stopped', t('budget hit'));
  else sink.status('passed', v.checks === 0 ? t('ran') : verdictHeadline(v));
  sink.ran(stage.result);
}

function errorCount(n: number): string {
  return n === 1 ? t('1 error') : t('{0} errors', n);
}
