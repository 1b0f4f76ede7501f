import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from '../core/check/checker';
import type { ExploreSummary } from '../core/explore/aggregate';
import type { Counters } from '../core/explore/coverage';
import { shrink, type ShrinkResult } from '../core/explore/shrink';
import { Simulation } from '../core/sim/engine';
import { traceToJson } from '../core/sim/json';
import { summarize, type RunResult } from '../core/sim/result';
import type { Model } from '../core/model';
import { parse } from '../core/syntax/parse';
import { formatDuration, parseDuration } from '../core/units';
import { defaultWorkers, explore, type ExploreProgress } from '../shared/exploreDriver';
import { EXPLORE, parseCommand, UsageError, wholeNumber } from './args';
import { ansi, formatSummary, formatTimeline, plain } from './humanOutput';
import type { Output } from './output';
import { displayName, readSource } from './source';
import { formatDiagnostic } from '../core/diagnostics';
import { printable } from '../core/printable';

/**
 * `dsync explore FILE [--runs N | --time 30s] [--workers K] [--seed B] [--json]
 * [--no-shrink] [--shrink-attempts N] [--out SHRUNK.dsync] [--quiet]`: many
 * seeds of one scenario, the first failing one (lowest seed) shrunk to a
 * small scenario that still fails. A failure is a violated invariant, a
 * failed expectation or a simulation that threw (DS204). Exit codes: 0
 * nothing failed, 1 a failure was found, 2 bad input or usage, 3 nothing
 * failed but some run stopped before an expectation was evaluated.
 */
interface ExploreArgs {
  file: string;
  runs: number | undefined;
  timeMs: number | undefined;
  workers: number | undefined;
  seed: number | undefined;
  json: boolean;
  quiet: boolean;
  shrink: boolean;
  shrinkAttempts: number | undefined;
  out: string | undefined;
}

const DEFAULT_RUNS = 1000;

export async function exploreCommand(argv: readonly string[], io: Output): Promise<number> {
  const parsed = parseCommand(EXPLORE, argv);
  if (parsed.help) {
    io.out(EXPLORE.help);
    return 0;
  }
  const args = exploreArgs(parsed.values, parsed.positionals);
  const name = displayName(args.file);
  // Where the shrunk scenario goes must be writable before minutes of exploring, not after.
  if (args.out !== undefined) {
    const problem = outProblem(args.out);
    if (problem) {
      io.err(printable(`dsync explore: --out ${args.out}: ${problem}`));
      return 2;
    }
  }
  const source = readSource(args.file);
  if ('error' in source) {
    io.err(source.error);
    return 2;
  }
  const checked = check(parse(source.text), source.text);
  for (const d of checked.diagnostics) if (d.severity === 'error') io.err(formatDiagnostic(name, d));
  if (!checked.model) return 2;
  const baseSeed = args.seed ?? checked.model.seed;
  const runs = args.runs ?? (args.timeMs !== undefined ? Infinity : DEFAULT_RUNS);
  // More threads than cores only share them; more than runs have nothing to do (each costs a bundle load and memory).
  const cores = defaultWorkers();
  const requested = args.workers ?? cores;
  const workers = Math.max(1, Math.min(requested, cores, runs));
  if (workers < requested && !args.json) io.err(`dsync explore: using ${workers} worker${workers === 1 ? '' : 's'}, not ${requested}: ${workers === runs ? `there ${runs === 1 ? 'is' : 'are'} only ${runs} run${runs === 1 ? '' : 's'}` : `this machine has ${cores} core${cores === 1 ? '' : 's'}`}`);
  const bar = !args.json && process.stderr.isTTY === true ? progressBar(runs, args.timeMs) : undefined;
  const outcome = await explore({
    text: source.text,
    baseSeed,
    runs,
    ...(args.timeMs !== undefined ? { timeMs: args.timeMs } : {}),
    workers,
    workerScript: path.join(__dirname, 'exploreWorker.js'),
    ...(bar ? { onProgress: bar.update } : {}),
  });
  bar?.done();
  const { summary, elapsedMs } = outcome;
  const found = summary.failure;
  let shrunk: ShrinkResult | undefined;
  if (found?.failure && args.shrink) shrunk = shrink(source.text, found.seed, found.failure.invariant, args.shrinkAttempts !== undefined ? { maxAttempts: args.shrinkAttempts } : {});
  if (shrunk && args.out) fs.writeFileSync(args.out, shrunk.text);

  const replay = found ? `dsync run ${args.file} --seed ${found.seed}` : undefined;
  // The failing run itself, as `dsync run FILE --seed S` shows it, and the shrunk scenario's run.
  const failingRun = found?.failure ? recordedRun(checked.model, found.seed) : undefined;
  const shrunkRun = shrunk ? recordedRun(check(parse(shrunk.text), shrunk.text).model!) : undefined;
  if (args.json) {
    io.out(JSON.stringify({
      file: args.file,
      scenario: checked.model.name,
      baseSeed,
      workers,
      runs: summary.runs,
      events: summary.events,
      elapsedMs: Math.round(elapsedMs),
      schedulesPerSecond: rate(summary.runs, elapsedMs),
      eventsPerSecond: rate(summary.events, elapsedMs),
      coverage: { distinctStates: summary.distinctStates, counters: summary.counters },
      undecided: summary.undecided,
      failure: found?.failure
        ? {
            seed: found.seed,
            run: found.index,
            code: found.failure.code,
            invariant: found.failure.invariant,
            message: found.failure.message,
            time: found.failure.time,
            replay,
            trace: failingRun ? (JSON.parse(traceToJson(failingRun)) as unknown) : null,
            ...(shrunk ? { shrunk: { text: shrunk.text, attempts: shrunk.attempts, runs: shrunk.runs, kept: shrunk.kept, seed: shrunk.seed, faults: shrunk.faults, message: shrunk.violation.message, time: shrunk.violation.time, trace: shrunkRun ? (JSON.parse(traceToJson(shrunkRun)) as unknown) : null } } : {}),
          }
        : null,
    }));
    return found ? 1 : summary.undecided > 0 ? 3 : 0;
  }
  const style = io.color ? ansi : plain;
  io.out(style.bold(`explored ${summary.runs} schedule${summary.runs === 1 ? '' : 's'} of ${checked.model.name}`) + style.dim(` (seeds from ${baseSeed}, ${workers} worker${workers === 1 ? '' : 's'}) in ${formatDuration(Math.round(elapsedMs * 1e6))}: ${rate(summary.runs, elapsedMs).toLocaleString('en-US')} schedules/s, ${rate(summary.events, elapsedMs).toLocaleString('en-US')} events/s`));
  io.out(`coverage: ${coverageLine(summary)}`);
  if (!found?.failure) {
    if (summary.undecided > 0) {
      io.out(style.yellow(`? nothing failed in ${summary.runs} schedules, but ${summary.undecided} of them stopped at the event budget before an expectation was evaluated: not decided (raise max_events)`));
      return 3;
    }
    io.out(style.green(`✓ no invariant or expectation failed in ${summary.runs} schedules`));
    return 0;
  }
  io.out(style.red(printable(`✗ ${found.failure.invariant} fails with seed ${found.seed}: ${found.failure.message}`)));
  io.out(printable(`  replay: ${replay}`));
  if (shrunk) {
    const faults = `${shrunk.faults.before} fault${shrunk.faults.before === 1 ? '' : 's'} → ${shrunk.faults.after}`;
    const seed = shrunk.seed === found.seed ? '' : `, seed ${shrunk.seed}`;
    io.out(`shrunk in ${shrunk.attempts.toLocaleString('en-US')} attempts (${shrunk.runs.toLocaleString('en-US')} runs, ${shrunk.kept} kept; ${faults}${seed}) to a scenario that fails ${printable(found.failure.invariant)} at t=${formatDuration(shrunk.violation.time)}${args.out ? `, written to ${args.out}` : ' (--out FILE saves it)'}:`);
    // The scenario's own text: its strings may hold control characters too.
    io.out(shrunk.text.replace(/\n$/, '').split('\n').map((l) => `  ${printable(l)}`).join('\n'));
  }
  // The trace of what fails (the shrunk scenario when there is one) and its verdicts with their causes.
  const shown = shrunkRun ?? failingRun;
  // A run that threw (DS204) has no trace to show; its message said what failed.
  if (!shown) return 1;
  const where = shrunkRun ? (args.out ?? 'shrunk.dsync') : args.file;
  if (!args.quiet) {
    io.out(`\ntrace of ${shrunkRun ? 'the shrunk scenario' : `seed ${found.seed}`}:`);
    io.out(formatTimeline(shown, style).join('\n'));
  }
  io.out('');
  io.out(formatSummary(shown, where, style).join('\n'));
  return 1;
}

/** The run `dsync run` shows for this seed (with the payloads `run --json` prints); undefined when the simulation throws (a DS204 failure). */
function recordedRun(model: Model, seed?: number): RunResult | undefined {
  try {
    return summarize(new Simulation(model, { payloads: true, ...(seed !== undefined ? { seed } : {}) }).run());
  } catch {
    return undefined;
  }
}

function exploreArgs(v: Readonly<Record<string, string | boolean | undefined>>, positionals: readonly string[]): ExploreArgs {
  const text = (key: string): string | undefined => (typeof v[key] === 'string' ? v[key] : undefined);
  const whole = (key: string): number | undefined => (text(key) !== undefined ? wholeNumber(text(key)!, `--${key}`, 'explore') : undefined);
  const positive = (key: string): number | undefined => {
    const n = whole(key);
    if (n !== undefined && n < 1) throw new UsageError(`--${key} must be at least 1`, 'explore');
    return n;
  };
  let timeMs: number | undefined;
  const time = text('time');
  if (time !== undefined) {
    let ns: number;
    try {
      ns = parseDuration(time);
    } catch {
      throw new UsageError(`--time takes a time such as 30s or 2min, not '${time}'`, 'explore');
    }
    if (ns <= 0) throw new UsageError('--time must be longer than zero', 'explore');
    timeMs = ns / 1e6;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'needs a FILE' : 'takes one FILE', 'explore');
  return {
    file: positionals[0]!,
    runs: positive('runs'),
    timeMs,
    workers: positive('workers'),
    seed: whole('seed'),
    json: v['json'] === true,
    quiet: v['quiet'] === true,
    shrink: v['no-shrink'] !== true,
    shrinkAttempts: whole('shrink-attempts'),
    out: text('out'),
  };
}

/** Why `--out FILE` could not be written (its directory is missing or not a directory, or it is a directory); undefined when it can be tried. */
function outProblem(out: string): string | undefined {
  const dir = path.dirname(path.resolve(out));
  try {
    if (!fs.statSync(dir).isDirectory()) return `${dir} is not a directory`;
  } catch {
    return `the directory ${dir} does not exist`;
  }
  try {
    if (fs.statSync(out).isDirectory()) return 'is a directory';
  } catch {
    // Not there yet: it will be created.
  }
  return undefined;
}

function rate(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 1000) / ms) : 0;
}

/** `2,851 distinct states; raft: 325 elections, 66 leaders; 822 messages dropped, 340 crashes`. */
export function coverageLine(summary: ExploreSummary): string {
  const byProtocol = new Map<string, string[]>();
  const general: string[] = [];
  for (const [key, n] of Object.entries(summary.counters as Counters)) {
    const dot = key.indexOf('.');
    const words = `${n.toLocaleString('en-US')} ${(dot < 0 ? key : key.slice(dot + 1)).replace(/_/g, ' ')}`;
    if (dot < 0) general.push(words);
    else byProtocol.set(key.slice(0, dot), [...(byProtocol.get(key.slice(0, dot)) ?? []), words]);
  }
  const parts = [`${summary.distinctStates.toLocaleString('en-US')} distinct states`];
  for (const [protocol, words] of byProtocol) parts.push(`${protocol}: ${words.join(', ')}`);
  if (general.length) parts.push(general.join(', '));
  return parts.join('; ');
}

/**
 * A one-line progress bar on stderr (only when it is a terminal): runs,
 * the rate over about the last second (the start, with the JIT and workers
 * warming up, is slower) and the ETA it gives.
 */
function progressBar(runs: number, timeMs: number | undefined): { update(p: ExploreProgress): void; done(): void } {
  const width = 24;
  let last = 0;
  const recent: { ms: number; runs: number }[] = [{ ms: 0, runs: 0 }];
  const draw = (p: ExploreProgress): void => {
    const fraction = Number.isFinite(runs) ? p.runs / runs : timeMs !== undefined ? p.elapsedMs / timeMs : 0;
    const clamped = Math.max(0, Math.min(1, fraction));
    const filled = Math.round(clamped * width);
    recent.push({ ms: p.elapsedMs, runs: p.runs });
    while (recent.length > 2 && p.elapsedMs - recent[1]!.ms >= 1000) recent.shift();
    const since = recent[0]!;
    const perSecond = p.elapsedMs > since.ms ? ((p.runs - since.runs) * 1000) / (p.elapsedMs - since.ms) : 0;
    const etaMs = Number.isFinite(runs) ? (perSecond > 0 ? ((runs - p.runs) / perSecond) * 1000 : 0) : Math.max(0, (timeMs ?? 0) - p.elapsedMs);
    const total = Number.isFinite(runs) ? `/${runs}` : '';
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.runs}${total} schedules  ${Math.round(perSecond)}/s  ETA ${formatDuration(Math.ceil(etaMs / 1000) * 1e9)}${p.failed ? '  (failure found)' : ''}\x1b[K`);
  };
  return {
    update: (p) => {
      if (p.elapsedMs - last < 100) return;
      last = p.elapsedMs;
      draw(p);
    },
    done: () => process.stderr.write('\r\x1b[K'),
  };
}
