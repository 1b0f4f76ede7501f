import { parentPort, workerData } from 'node:worker_threads';
import { SeedRunner, modelFor, type RunRecord } from '../core/explore/runner';
import type { FromWorker, ToWorker, WorkerInput } from '../shared/exploreDriver';

/**
 * One exploration worker (bundled as dist/exploreWorker.js): says 'ready'
 * once it has checked the scenario, then runs the chunks of run indices the
 * driver deals it, in order, and answers each with its records. Indices
 * past a failure (its own, or the limit the driver sends when any thread
 * found one lower) are skipped: they cannot change the result.
 */
const input = workerData as WorkerInput;
const port = parentPort!;
const post = (m: FromWorker): void => port.postMessage(m);

const chunks: { start: number; end: number }[] = [];
let limit = Infinity;
let working = false;
let runner: SeedRunner | undefined;

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'chunk':
      chunks.push({ start: m.start, end: m.end });
      if (!working) {
        working = true;
        setImmediate(work);
      }
      return;
    case 'limit':
      limit = Math.min(limit, m.index);
      return;
    case 'stop':
      chunks.length = 0;
      return;
  }
});

/** One chunk, then back to the event loop so 'limit' and 'stop' get in. */
function work(): void {
  const chunk = chunks.shift();
  if (!chunk || !runner) {
    working = false;
    return;
  }
  const records: RunRecord[] = [];
  for (let index = chunk.start; index < chunk.end && index <= limit; index++) {
    const record = runner.run(index);
    records.push(record);
    if (record.failure) limit = Math.min(limit, index);
  }
  post({ type: 'chunk-done', records });
  setImmediate(work);
}

try {
  const model = modelFor(input.text);
  if (typeof model === 'string') post({ type: 'error', message: model });
  else {
    runner = new SeedRunner(model, input.baseSeed);
    post({ type: 'ready' });
  }
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
