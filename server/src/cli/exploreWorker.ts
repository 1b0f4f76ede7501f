import { parentPort, workerData } from 'node:worker_threads';
import { SeedRunner, modelFor, type RunRecord } from '../core/explore/runner';
import type { FromWorker, ToWorker, WorkerInput } from '../shared/exploreDriver';

/**
 * One exploration worker (bundled as dist/exploreWorker.js): runs indices
 * worker, worker + K, … in increasing order and posts the records in
 * batches. It stops at its own first failure (its later indices cannot
 * beat it), past the limit the driver sends when another worker failed
 * lower, at the end of the budget, or when told to stop.
 */
const input = workerData as WorkerInput;
const port = parentPort!;
let limit = Infinity;
let stopped = false;
port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') stopped = true;
  else limit = Math.min(limit, m.index);
});

const post = (m: FromWorker): void => port.postMessage(m);

async function main(): Promise<void> {
  const model = modelFor(input.text);
  if (typeof model === 'string') return post({ type: 'error', message: model });
  const runner = new SeedRunner(model, input.baseSeed);
  let index = input.worker;
  let failed = false;
  while (!stopped && !failed && index < input.runs && index <= limit) {
    const batch: RunRecord[] = [];
    const sliceEnd = performance.now() + 25;
    while (index < input.runs && index <= limit && performance.now() < sliceEnd) {
      const record = runner.run(index);
      index += input.workers;
      batch.push(record);
      if (record.failure) {
        failed = true;
        break;
      }
    }
    post({ type: 'records', records: batch });
    // Lets 'limit' and 'stop' messages in.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  post({ type: 'done' });
}

main().catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
