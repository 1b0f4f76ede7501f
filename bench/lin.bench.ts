/**
 * `dsync lin` on generated etcd-like histories (bench/support/histories.ts):
 * read the Jepsen log text, pair the events, decide linearizability with the
 * cas-register model, and on a violation find the smallest failing prefix
 * and the operations involved, as the command does; then the search steps
 * of the check alone, a figure the machine's load does not change (the
 * times on a busy shared machine do). Target: every history
 * decided within 10 s (the bound the issue sets for Porcupine's benchmark set).
 */
import { checkHistory } from '../server/src/core/history/analyze';
import { modelFor } from '../server/src/core/history/models';
import { checkLinearizable } from '../server/src/core/linearizability/checker';
import { readHistory } from '../server/src/core/history/read';
import { etcdLikeLog } from './support/histories';
import { machine, measure, report } from './support/measure';

const TARGET_MS = 10_000;

function main(): void {
  console.log('lin: generated etcd-like histories (read/write/cas on one register, 2% timeouts), parse + check + explain; 5 runs after 1 warm-up');
  for (const [operations, clients] of [[1_000, 5], [1_000, 10], [5_000, 10], [20_000, 10]] as const) {
    for (const corrupt of [false, true]) {
      const text = etcdLikeLog({ operations, clients, seed: operations + clients, corrupt });
      let verdict = '';
      const times = measure(() => {
        const h = readHistory(text);
        verdict = checkHistory(h.ops, 'cas-register').verdict;
      }, { warmup: 1, iterations: 5 });
      console.log(report(`${operations} ops, ${clients} clients, ${corrupt ? 'one corrupted read' : 'linearizable by construction'} → ${verdict}`, times, 'ms', TARGET_MS, false));
      const ops = readHistory(text).ops;
      console.log(`    search steps of the check alone: ${checkLinearizable(modelFor('cas-register', ops), ops).steps}`);
    }
  }
  console.log(`  ${machine()}`);
}

if (require.main === module) main();
