// `npm run update-fixtures`: rewrites the determinism manifest
// test/fixtures/trace-hashes.json (sha256 of every sample's --json trace for
// its own seed and two fixed ones; see test/unit/support/traceHashes.ts) and
// prints what changed. Run it when a change to the simulator or a sample is
// meant to change traces; review the summary before committing.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const outfile = path.join(root, 'out', 'update-fixtures', 'traceHashes.cjs');
await esbuild.build({
  entryPoints: [path.join(root, 'test', 'unit', 'support', 'traceHashes.ts')],
  outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
});
const { computeTraceHashes, readManifest, describeChanges, MANIFEST } = createRequire(import.meta.url)(outfile);

const previous = readManifest(root) ?? {};
const next = computeTraceHashes(root);
fs.writeFileSync(path.join(root, MANIFEST), JSON.stringify(next, null, 2) + '\n');
const changes = describeChanges(previous, next);
const traces = Object.values(next).reduce((n, seeds) => n + Object.keys(seeds).length, 0);
console.log(`${MANIFEST}: ${Object.keys(next).length} samples, ${traces} traces`);
console.log(changes.length === 0 ? 'no changes' : changes.join('\n'));
