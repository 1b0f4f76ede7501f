import type { ModelName } from '../../server/src/core/history/models';
import { etcdLikeLog } from './histories';
import { kvLikeLog } from './kvHistories';

/**
 * Our stand-in for the benchmark set Porcupine publishes (its etcd and kv
 * logs), which cannot be downloaded here: generated histories in the same
 * two formats, seeded, so every run checks the same texts. NOT Porcupine's
 * histories: the generators (histories.ts, kvHistories.ts) follow the shape
 * of Jepsen's etcd test and of Porcupine's kv tests, and every history is
 * linearizable by construction unless corrupted in a way that no order can
 * explain, so `expected` is known without running a checker.
 *
 *  - etcd, short: like the Jepsen etcd logs in Porcupine's set (one
 *    cas-register, 5 clients, 100–250 operations, 15% of them timing out:
 *    `:info`, the client replaced);
 *  - etcd, long: 5 clients, 500–5,000 operations, 2% timing out;
 *    "bad" etcd histories carry one stale read (histories.ts,
 *    `corrupt: 'stale'`) at a seeded position;
 *  - kv: get/put/append on 10–50 keys, 1, 10 or 50 clients, 1,000–5,000
 *    operations; "bad" ones have one get missing an append that returned
 *    before it began.
 */
export interface CorpusHistory {
  readonly name: string;
  readonly text: string;
  readonly model: ModelName;
  readonly operations: number;
  readonly expected: 'linearizable' | 'not linearizable';
}

export function linCorpus(): CorpusHistory[] {
  const corpus: CorpusHistory[] = [];
  let seed = 1;
  const etcd = (tier: string, operations: number, timeoutRate: number, copy: number): void => {
    for (const bad of [false, true]) {
      seed++;
      const corruptAt = 0.2 + 0.7 * ((seed * 0.618034) % 1);
      const text = etcdLikeLog({ operations, clients: 5, seed, timeoutRate, ...(bad ? { corrupt: 'stale' as const, corruptAt } : {}) });
      corpus.push({ name: `etcd ${tier} n${operations} #${copy} ${bad ? 'bad' : 'ok'}`, text, model: 'cas-register', operations, expected: bad ? 'not linearizable' : 'linearizable' });
    }
  };
  for (let copy = 0; copy < 20; copy++) etcd('short', 100 + 50 * (copy % 4), 0.15, copy);
  for (const operations of [500, 1_000, 2_000, 5_000]) for (let copy = 0; copy < 2; copy++) etcd('long', operations, 0.02, copy);
  for (const [clients, keys, operations] of [[1, 10, 1_000], [10, 10, 2_000], [10, 50, 2_000], [50, 10, 2_000], [50, 50, 5_000]] as const) {
    for (const bad of [false, true]) {
      seed++;
      const text = kvLikeLog({ operations, clients, keys, seed, corrupt: bad });
      corpus.push({ name: `kv c${clients} k${keys} n${operations} ${bad ? 'bad' : 'ok'}`, text, model: 'append-kv', operations, expected: bad ? 'not linearizable' : 'linearizable' });
    }
  }
  return corpus;
}
