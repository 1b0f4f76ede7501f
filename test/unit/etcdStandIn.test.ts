import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkHistory } from '../../server/src/core/history/analyze';
import { readHistory } from '../../server/src/core/history/read';
import { etcdLikeLog, etcdPorcupineLike } from '../../bench/support/histories';

/**
 * The stand-ins bench/linPorcupine.bench.ts uses for the 20,000-operation
 * etcd logs of Porcupine's test_data/etcd (etcd_RR0.5_CLI<N>_OPS20000.log):
 * they must have those logs' shape, line for line.
 */
const LINE = /^INFO {2}jepsen\.util - (\d+) \t:(invoke|ok) :(read|write) \t(nil|\d+) \t:hint (\d+)$/;

describe('etcdPorcupineLike: the shape of Porcupine\'s 20,000-operation etcd logs', () => {
  // Sampled from the middle of the real logs: clients with an operation open, on average (see etcdPorcupineLike).
  for (const [clients, busy] of [[8, 4.0], [20, 12.5]] as const) {
    test(`${clients} clients: one register, half reads, values 0–99, one operation outstanding per client and ${busy} on average, :hint revisions`, () => {
      const lines = etcdPorcupineLike(clients, false).trimEnd().split('\n');
      assert.equal(lines.length, 40_000);
      const open = new Map<number, string>();
      let openSum = 0;
      const values = new Set<number>();
      const writeHints: number[] = [];
      let reads = 0;
      for (const line of lines) {
        const m = LINE.exec(line);
        assert.ok(m, `not a line of the real logs' form: ${JSON.stringify(line)}`);
        const [, p, type, f, value, hint] = m;
        const process = Number(p);
        assert.ok(process >= 0 && process < clients, `process ${process}`);
        if (type === 'invoke') {
          assert.ok(!open.has(process), `process ${process} invoked while its previous operation was open`);
          open.set(process, f!);
          assert.equal(hint, '0');
          if (f === 'read') {
            reads++;
            assert.equal(value, 'nil');
          }
        } else {
          assert.equal(open.get(process), f, `process ${process} completed a ${f} it had not invoked`);
          open.delete(process);
          if (value !== 'nil') values.add(Number(value));
          if (f === 'write') writeHints.push(Number(hint));
        }
        openSum += open.size;
      }
      const meanOpen = openSum / lines.length;
      assert.ok(Math.abs(meanOpen - busy) < 0.1 * clients, `${meanOpen.toFixed(1)} operations open on average, the real log has ${busy}`);
      assert.equal(open.size, 0, 'no operation is left open (none times out)');
      assert.ok(reads > 9_600 && reads < 10_400, `${reads} reads of 20,000`);
      assert.deepEqual([...values].sort((a, b) => a - b), Array.from({ length: 100 }, (_, v) => v));
      // Each write has its own revision, from 2 on, in the order writes take effect.
      assert.deepEqual(writeHints.sort((a, b) => a - b), Array.from({ length: writeHints.length }, (_, i) => i + 2));
    });
  }

  test('the stale version differs from the linearizable one in one read, which returns an overwritten value', () => {
    const ok = etcdPorcupineLike(12, false).split('\n');
    const stale = etcdPorcupineLike(12, true).split('\n');
    const changed = ok.flatMap((line, i) => (line === stale[i] ? [] : [i]));
    assert.equal(changed.length, 1);
    const at = changed[0]!;
    const m = LINE.exec(stale[at]!);
    assert.ok(m && m[2] === 'ok' && m[3] === 'read' && m[4] !== 'nil', stale[at]);
    // The value read was written by a write that completed before this read was invoked.
    const process = m[1]!;
    let invokedAt = at;
    while (!stale[invokedAt]!.startsWith(`INFO  jepsen.util - ${process} \t:invoke`)) invokedAt--;
    assert.ok(stale.slice(0, invokedAt).some((l) => l.includes(`\t:ok :write \t${m[4]} \t`)), `no earlier write of ${m[4]}`);
  });

  test('stale-old on a shorter history of the same shape: our checker finds it not linearizable, and the linearizable one linearizable', () => {
    const options = { operations: 2_000, clients: 12, seed: 5, timeoutRate: 0, readRate: 0.5, writeRate: 0.5, values: 100, hints: true, think: 39 } as const;
    assert.equal(checkHistory(readHistory(etcdLikeLog(options)).ops, 'cas-register').verdict, 'linearizable');
    assert.equal(checkHistory(readHistory(etcdLikeLog({ ...options, corrupt: 'stale-old' })).ops, 'cas-register').verdict, 'not linearizable');
  });
});
