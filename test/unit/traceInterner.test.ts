import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { SourceRange } from '../../server/src/core/source';
import { TraceInterner } from '../../server/src/core/sim/traceInterner';

const range = (startOffset: number): SourceRange => ({ startOffset, endOffset: startOffset + 3, startLine: 1, startColumn: startOffset + 1, endLine: 1, endColumn: startOffset + 4 });

describe('TraceInterner', () => {
  test('one site per (range object, label, protocol), whichever order they come in', () => {
    const interner = new TraceInterner();
    // Offsets 256 apart share a slot of the recent-sites cache; an equal range that is another object is another site.
    const ranges = [range(0), range(256), range(512), range(0), range(7)];
    const triples = ranges.flatMap((r) => [[r, 'token', 'script'], [r, 'token', undefined], [r, 'other', 'script'], [r, undefined, undefined]] as const);
    const first = triples.map(([r, l, p]) => interner.site(r, l, p));
    assert.equal(new Set(first).size, triples.length);
    for (let round = 0; round < 3; round++) {
      const order = triples.map((_, i) => (i * 7 + round) % triples.length);
      for (const i of order) {
        const [r, l, p] = triples[i]!;
        const site = interner.site(r, l, p);
        assert.equal(site, first[i]);
        assert.equal(interner.siteRange(site), r);
        assert.equal(interner.siteLabel(site), l);
        assert.equal(interner.siteProtocol(site), p);
      }
    }
  });
});
