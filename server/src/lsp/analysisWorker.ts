import { parentPort, workerData } from 'node:worker_threads';
import { ResponseError } from 'vscode-languageserver';
import { buildTimeline } from '../core/sim/timeline';
import { DocumentAnalysis } from './analysis';
import { interimDiagnostics, type Shown } from './interim';
import { publishAnalysis } from './publish';
import { answerQuery } from './queries';
import type { AnalysisWorkerData, FromAnalysisWorker, ToAnalysisWorker } from './remoteDocument';

/**
 * The analysis worker of one big document (bundled as
 * dist/analysisWorker.js; see remoteDocument.ts): the same stages and
 * features as on the main thread, for the newest version it was sent.
 * Messages that arrive while it parses are read together afterwards, so a
 * burst of versions is analysed once, at the newest.
 */
const { uri } = workerData as AnalysisWorkerData;
const port = parentPort!;
const post = (m: FromAnalysisWorker): void => port.postMessage(m);

let latest: Extract<ToAnalysisWorker, { type: 'analyse' }> | undefined;
let current: DocumentAnalysis | undefined;
let followed = false;

port.on('message', (m: ToAnalysisWorker) => {
  switch (m.type) {
    case 'analyse':
      latest = m;
      // Read every message already queued before starting: a newer version may be among them.
      setImmediate(() => void ensureCurrent());
      return;
    case 'follow':
      followed = m.followed;
      return;
    case 'query': {
      const analysis = ensureCurrent();
      if (!analysis) {
        post({ type: 'failed', id: m.id, message: 'no version of the document was sent' });
        return;
      }
      answerQuery(analysis, m.query, () => false).then(
        (result) => post({ type: 'answer', id: m.id, result }),
        (error: unknown) => post({ type: 'failed', id: m.id, message: error instanceof Error ? error.message : String(error), ...(error instanceof ResponseError ? { code: error.code } : {}) }),
      );
      return;
    }
  }
});

/** The analysis of the newest version, created (and its publication started) on first need. */
function ensureCurrent(): DocumentAnalysis | undefined {
  const next = latest;
  if (!next) return current;
  latest = undefined;
  // The previous version's parse is the base of this one's: only the statements the edits touched are parsed again.
  const created: DocumentAnalysis = new DocumentAnalysis(uri, next.version, next.text, next.settings, () => current !== created, current?.handOverBase());
  current = created;
  setImmediate(() => void publish(created));
  return created;
}

/** The diagnostics last sent, and the text they belong to (interim.ts moves them with the next edit). */
let shown: Shown | undefined;

async function publish(analysis: DocumentAnalysis): Promise<void> {
  const version = analysis.version;
  // A syntax error is shown before the checker has run (it takes a while on a big document); the complete diagnostics follow.
  const interim = shown && interimDiagnostics(shown, analysis.text, analysis.parsed, uri);
  if (interim) post({ type: 'diagnostics', version, diagnostics: interim });
  void analysis.checked;
  post({ type: 'checked', version });
  await publishAnalysis(analysis, {
    isCurrent: () => current === analysis && latest === undefined,
    diagnostics: (diagnostics) => {
      shown = { text: analysis.text, diagnostics };
      post({ type: 'diagnostics', version, diagnostics });
    },
    status: (state, text) => post({ type: 'status', version, state, text }),
    ran: (result) => post({ type: 'ran', version, ...(followed ? { timeline: buildTimeline(result) } : {}) }),
  });
}
