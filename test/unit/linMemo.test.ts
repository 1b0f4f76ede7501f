import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ConfigurationCache } from '../../server/src/core/linearizability/memo';
import { mulberry32 } from '../../bench/support/scenarios';

/**
 * The cache stores only the window of each set (memo.ts: full words below,
 * empty words above): against a plain model (sets as strings) it must answer
 * exactly the same, on sets spanning many words, with the window sliding
 * both ways, operations out of call order, and optional operations.
 */
test('lin memo: windowed sets answer like whole sets (random walks over 200 operations)', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const random = mulberry32(seed);
    const operations = 200;
    const optional = Array.from({ length: operations }, () => random() < 0.2);
    // Call times mostly increasing with the index, some shuffled, so bit layout and index order differ.
    const callTimes = Array.from({ length: operations }, (_, i) => i + Math.floor(random() * 40));
    const cache = new ConfigurationCache<number>(optional, callTimes, (s) => s, (a, b) => a === b);
    const current = new Uint8Array(operations);
    /** Recorded configurations: returned ops' set + state → entries with their optional set and finished flag. */
    const recorded = new Map<string, { optional: Uint8Array; finished: boolean; entry: number }[]>();
    const keyOf = (state: number): string => `${state}:${[...current].map((b, i) => (optional[i] ? 0 : b)).join('')}`;
    const expected = (state: number): boolean =>
      (recorded.get(keyOf(state)) ?? []).some((r) => {
        let fewer = false;
        for (let i = 0; i < operations; i++) {
          if (!optional[i] || r.optional[i] === current[i]) continue;
          if (r.optional[i]) return false;
          fewer = true;
        }
        return !fewer || r.finished;
      });
    const entries: { entry: number; key: string; optional: Uint8Array }[] = [];
    let frontier = 0;
    for (let step = 0; step < 6000; step++) {
      // Mostly flip near a moving frontier (as the search does), sometimes anywhere.
      frontier = Math.max(0, Math.min(operations + 40, frontier + Math.floor(random() * 7) - 2));
      const bit = random() < 0.1 ? Math.floor(random() * operations) : Math.min(operations - 1, Math.max(0, frontier - Math.floor(random() * 40)));
      // Well below the frontier the set fills up (whole words become full), as in the search.
      if (bit < frontier - 8 && current[bit] === 1 && random() < 0.95) continue;
      cache.flip(bit);
      current[bit] ^= 1;
      assert.equal(cache.has(bit), current[bit] === 1);
      const state = Math.floor(random() * 3);
      const want = expected(state);
      if (random() < 0.5) {
        assert.equal(cache.known(state), want, `seed ${seed} step ${step}: known`);
      } else {
        const entry = cache.add(state);
        assert.equal(entry < 0, want, `seed ${seed} step ${step}: add`);
        if (entry >= 0) {
          const record = { optional: current.slice(), finished: false, entry };
          const key = keyOf(state);
          recorded.set(key, [...(recorded.get(key) ?? []), record]);
          entries.push({ entry, key, optional: record.optional });
        }
      }
      if (entries.length > 0 && random() < 0.2) {
        const pick = entries[Math.floor(random() * entries.length)]!;
        cache.finish(pick.entry);
        for (const r of recorded.get(pick.key)!) if (r.entry === pick.entry) r.finished = true;
      }
    }
  }
});

test('lin memo: a set reached by another path (other flips, other order) is found again', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const random = mulberry32(seed);
    const operations = 150;
    const optional = Array.from({ length: operations }, () => random() < 0.15);
    const callTimes = Array.from({ length: operations }, (_, i) => i);
    const cache = new ConfigurationCache<number>(optional, callTimes, () => 7, (a, b) => a === b);
    const current = new Uint8Array(operations);
    const moveTo = (target: Uint8Array): void => {
      const bits = [...target.keys()].filter((i) => target[i] !== current[i]).sort(() => random() - 0.5);
      for (const i of bits) {
        cache.flip(i);
        current[i] ^= 1;
      }
    };
    /** A search-like set: every operation before `full` in, a few after it, none far beyond. */
    const sample = (): Uint8Array => {
      const full = Math.floor(random() * operations);
      return Uint8Array.from({ length: operations }, (_, i) => (i < full || (i < full + 40 && random() < 0.4) ? 1 : 0));
    };
    const sets = Array.from({ length: 12 }, sample);
    for (const set of sets) {
      moveTo(sample());
      moveTo(set);
      cache.add(0);
    }
    for (const set of sets) {
      moveTo(sample());
      moveTo(set);
      assert.equal(cache.known(0), true, `seed ${seed}`);
      assert.equal(cache.add(0), -1, `seed ${seed}`);
    }
  }
});
