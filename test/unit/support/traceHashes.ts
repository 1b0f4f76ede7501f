import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from '../../../server/src/core/check/checker';
import { Simulation } from '../../../server/src/core/sim/engine';
import { traceToJson } from '../../../server/src/core/sim/json';
import { summarize } from '../../../server/src/core/sim/result';
import { parse } from '../../../server/src/core/syntax/parse';

/**
 * The determinism manifest (test/fixtures/trace-hashes.json): for every
 * sample and seed, the sha256 of its `--json` trace. Shared by the test
 * that recomputes it and by `npm run update-fixtures`, which rewrites it.
 * Seeds: the sample's own (key "own") and two fixed others.
 */
export const EXTRA_SEEDS: readonly number[] = [1, 424242];
export const MANIFEST = path.join('test', 'fixtures', 'trace-hashes.json');

/** sample file name → seed key ("own" or the number) → sha256 hex of traceToJson. */
export type TraceHashes = Record<string, Record<string, string>>;

/** Every sample, as a path relative to samples/ with `/` separators: `causal_demo.dsync`, `protocols/bully_election.dsync`. */
export function sampleFiles(root: string): string[] {
  return fs
    .readdirSync(path.join(root, 'samples'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.dsync'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

export function hashesOf(text: string): Record<string, string> {
  const checked = check(parse(text), text);
  if (!checked.model) return { own: 'does-not-check' };
  const model = checked.model;
  const hash = (seed: number | undefined): string =>
    createHash('sha256').update(traceToJson(summarize(new Simulation(model, seed === undefined ? {} : { seed }).run()))).digest('hex');
  const out: Record<string, string> = { own: hash(undefined) };
  for (const seed of EXTRA_SEEDS) out[String(seed)] = hash(seed);
  return out;
}

export function computeTraceHashes(root: string): TraceHashes {
  const out: TraceHashes = {};
  for (const file of sampleFiles(root)) out[file] = hashesOf(fs.readFileSync(path.join(root, 'samples', file), 'utf8'));
  return out;
}

export function readManifest(root: string): TraceHashes | undefined {
  const file = path.join(root, MANIFEST);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as TraceHashes) : undefined;
}

/** Human lines describing how `next` differs from `previous`. */
export function describeChanges(previous: TraceHashes, next: TraceHashes): string[] {
  const lines: string[] = [];
  for (const file of Object.keys(next)) {
    if (!(file in previous)) lines.push(`+ ${file} (new)`);
    else {
      const changed = Object.keys(next[file]!).filter((k) => previous[file]![k] !== next[file]![k]);
      if (changed.length > 0) lines.push(`~ ${file}: seed ${changed.join(', ')} changed`);
    }
  }
  for (const file of Object.keys(previous)) if (!(file in next)) lines.push(`- ${file} (removed)`);
  return lines;
}
