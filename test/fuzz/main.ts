import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROPERTIES, type Survived } from './properties';

/**
 * The long fuzz (`npm run fuzz [-- --time 10m | --runs N] [--seed S]`):
 * round-robin over the properties in rounds of ROUND inputs, each round with
 * its own seed derived from the base seed, until the time box or the run
 * count is used up. Prints the seed first (replay: `--seed S`) and, at the
 * end, how many inputs each property survived. Exit 1 on the first failure,
 * with fast-check's report (shrunk input, seed and path of the round).
 * FUZZ_VERBOSE=1 prints every round; FUZZ_NO_SHRINK=1 skips shrinking.
 */
const ROUND = 100;

function parseArgs(argv: readonly string[]): { timeMs: number | undefined; runs: number | undefined; seed: number } {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const time = value('--time');
  const runs = value('--runs');
  const seed = value('--seed');
  const timeMs = time === undefined ? undefined : duration(time);
  return {
    timeMs: timeMs ?? (runs === undefined ? 10 * 60_000 : undefined),
    runs: runs === undefined ? undefined : Number(runs),
    seed: seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seed),
  };
}

function duration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`--time takes e.g. 30s, 10m or 1h, not '${text}'`);
  return Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

async function main(): Promise<number> {
  const { timeMs, runs, seed } = parseArgs(process.argv.slice(2));
  const root = process.env['DSYNC_ROOT'] ?? process.cwd();
  const samples = fs.readdirSync(path.join(root, 'samples')).filter((f) => f.endsWith('.dsync')).sort().map((f) => fs.readFileSync(path.join(root, 'samples', f), 'utf8'));
  console.log(`fuzz: seed ${seed}, ${timeMs !== undefined ? `time box ${timeMs / 1000}s` : `${runs} inputs per property`}, ${samples.length} samples`);
  const started = Date.now();
  const totals = PROPERTIES.map((): { inputs: number; deep: number } => ({ inputs: 0, deep: 0 }));
  let round = 0;
  const remaining = (): number => (timeMs === undefined ? Infinity : timeMs - (Date.now() - started));
  for (;;) {
    let ranAny = false;
    for (const [index, property] of PROPERTIES.entries()) {
      const left = runs === undefined ? ROUND : Math.min(ROUND, runs - totals[index]!.inputs);
      if (left <= 0 || remaining() <= 0) continue;
      const roundSeed = (seed + round * PROPERTIES.length + index) | 0;
      if (process.env['FUZZ_VERBOSE']) console.log(`  round ${round} seed ${roundSeed}: ${property.name}`);
      let result: Survived;
      try {
        result = await property.run({ seed: roundSeed, numRuns: left, samples, ...(timeMs !== undefined ? { timeLimitMs: Math.max(1, remaining()) } : {}) });
      } catch (error) {
        console.error(`\n✗ ${property.name} (round seed ${roundSeed}):\n${error instanceof Error ? error.message : String(error)}`);
        report(totals, started);
        return 1;
      }
      totals[index]!.inputs += result.inputs;
      totals[index]!.deep += result.deep;
      ranAny = true;
    }
    round++;
    if (!ranAny) break;
    if (process.env['FUZZ_VERBOSE'] || round % 5 === 0) console.log(`  … ${((Date.now() - started) / 1000).toFixed(0)}s, ${totals.reduce((s, t) => s + t.inputs, 0)} inputs`);
  }
  report(totals, started);
  return 0;
}

function report(totals: readonly { inputs: number; deep: number }[], started: number): void {
  console.log(`\nfuzz: ${((Date.now() - started) / 1000).toFixed(0)}s`);
  PROPERTIES.forEach((p, i) => console.log(`  ${String(totals[i]!.inputs).padStart(7)} inputs survived (${totals[i]!.deep} ${p.deepStage})  ${p.name}`));
  console.log(`  ${String(totals.reduce((s, t) => s + t.inputs, 0)).padStart(7)} inputs in all`);
}

void main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
