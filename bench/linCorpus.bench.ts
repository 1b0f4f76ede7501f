/**
 * `dsync lin` on our generated benchmark corpus (bench/support/linCorpus.ts:
 * etcd-style and kv histories in the formats of Porcupine's benchmark set,
 * generated here; NOT Porcupine's own histories): read + check + explain,
 * as the command does, each history once after one warm-up pass over a few.
 * Prints every history's time and verdict, then the median and the maximum.
 * Targets: every verdict as constructed (an undecided one counts as a miss),
 * and every history within 10 s (the bound the issue sets for Porcupine's set).
 */
import { checkHistory } from '../server/src/core/history/analyze';
import { readHistory } from '../server/src/core/history/read';
import { linCorpus } from './support/linCorpus';
import { machine, spreadText, stats, verdict } from './support/measure';

const TARGET_MS = 10_000;

function main(): void {
  const corpus = linCorpus();
  console.log(`lin corpus: ${corpus.length} generated histories (ours, not Porcupine's), parse + check + explain, one run each`);
  for (const h of corpus.slice(0, 4)) checkHistory(readHistory(h.text).ops, h.model);
  const times: number[] = [];
  let wrong = 0;
  for (const h of corpus) {
    const start = performance.now();
    const got = checkHistory(readHistory(h.text).ops, h.model).verdict;
    const ms = performance.now() - start;
    times.push(ms);
    if (got !== h.expected) wrong++;
    console.log(`  ${h.name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${got}${got === h.expected ? '' : `  (expected ${h.expected})`}`);
  }
  const s = stats(times);
  console.log(`  per history: ${spreadText(s, 0)} ms`);
  console.log(`  slowest ${s.max.toFixed(0)} ms (target ≤ ${TARGET_MS} ms: ${verdict('slowest history of the lin corpus', s.max, TARGET_MS, false)})`);
  console.log(`  verdicts as constructed: ${corpus.length - wrong}/${corpus.length} (${verdict('lin corpus verdicts', corpus.length - wrong, corpus.length)})`);
  console.log(`  ${machine()}`);
}

if (require.main === module) main();
