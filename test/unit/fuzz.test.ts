import { describe, test } from 'node:test';
import * as fs from 'node:fs';
import { PROPERTIES } from '../fuzz/properties';
import { repoPath } from './support/scenario';
import { sampleFiles } from './support/traceHashes';

/**
 * The short fuzz: every property of test/fuzz/properties.ts on a fixed seed
 * (reproducible; `npm run fuzz` runs the long, randomly seeded one). A
 * failure prints fast-check's report with the shrunk input and the seed/path
 * to replay it.
 */
const SEED = 20261124;
// Inputs per property (by index in PROPERTIES): about 10 s in all on one core.
const RUNS: Readonly<Record<number, number>> = { 0: 1500, 1: 600, 2: 1000, 3: 250, 4: 200 };
// Samples in subfolders too: the protocols written in .dsync (samples/protocols/) are mutated like the rest.
const samples = sampleFiles(repoPath()).map((f) => fs.readFileSync(repoPath('samples', f), 'utf8'));

describe('fuzz (short, fixed seed)', () => {
  PROPERTIES.forEach((property, index) => {
    test(property.name, async () => {
      await property.run({ seed: SEED + index, numRuns: RUNS[index] ?? 50, samples });
    });
  });
});
