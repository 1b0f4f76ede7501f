import * as os from 'node:os';

/**
 * Timing and verdicts for the benchmarks. Every figure is the median of
 * repeated runs, printed with its spread (min–max): on a shared machine
 * other processes slow some runs down, and one lucky iteration says little.
 * Targets are judged on the median, never on the best run.
 *
 * A missed target is counted (see `verdict`); at exit a benchmark process
 * that missed one exits with MISSED_EXIT_CODE, so `npm run bench -- --check`
 * can fail while a plain `npm run bench` only prints MISSED.
 */

/** The exit code of a benchmark process that ran fine but missed a target. */
export const MISSED_EXIT_CODE = 3;

/** The distribution of repeated measurements. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartile (nearest rank). */
  readonly q1: number;
  readonly q3: number;
  readonly count: number;
}

/** Median, quartiles and range of `values` (at least one). */
export function stats(values: readonly number[]): Stats {
  if (values.length === 0) throw new Error('stats of no values');
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, q1: at(0.25), q3: at(0.75), count: s.length };
}

/** The p-th percentile (nearest rank), for latency distributions. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Milliseconds of each timed run after `warmup` untimed ones (so the JIT has compiled the hot paths). */
export function measure(run: () => void, { warmup = 3, iterations = 10 } = {}): Stats {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return stats(times);
}

/** Rates (`amount` per second) of each timed run: the median rate is the rate of the median time. */
export function rates(amount: number, times: Stats): Stats {
  const r = (ms: number): number => amount / (ms / 1000);
  return { median: r(times.median), min: r(times.max), max: r(times.min), q1: r(times.q3), q3: r(times.q1), count: times.count };
}

/** Whether `value` meets `target`: at least it for rates (`higherIsBetter`), at most it for latencies and memory. */
export function meets(value: number, target: number, higherIsBetter = true): boolean {
  return higherIsBetter ? value >= target : value <= target;
}

const missed: string[] = [];

/**
 * 'ok' or 'MISSED' for a figure against its target. A miss is remembered:
 * the process then exits with MISSED_EXIT_CODE (unless it failed anyway).
 */
export function verdict(label: string, value: number, target: number, higherIsBetter = true): 'ok' | 'MISSED' {
  if (meets(value, target, higherIsBetter)) return 'ok';
  if (missed.length === 0) {
    process.on('exit', (code) => {
      if (code !== 0) return;
      console.log(`  MISSED ${missed.length} target${missed.length > 1 ? 's' : ''}: ${missed.join('; ')}`);
      process.exitCode = MISSED_EXIT_CODE;
    });
  }
  missed.push(label);
  return 'MISSED';
}

/** `12.3` / `1234`: figures of 100 and more without decimals. */
export function fmt(x: number, digits = 2): string {
  return x.toFixed(Math.abs(x) >= 100 ? 0 : digits);
}

/** `median 12.3 (min–max 11.0–13.9, n=5)`. */
export function spreadText(s: Stats, digits = 2): string {
  return `median ${fmt(s.median, digits)} (min–max ${fmt(s.min, digits)}–${fmt(s.max, digits)}, n=${s.count})`;
}

/**
 * One line: a figure (median and spread of repeated runs) against its
 * target, judged on the median. `higherIsBetter` false for latencies/memory.
 */
export function report(label: string, s: Stats, unit: string, target: number, higherIsBetter = true): string {
  const v = verdict(label, s.median, target, higherIsBetter);
  return `  ${label.padEnd(42)} ${spreadText(s)} ${unit}   (target ${higherIsBetter ? '≥' : '≤'} ${target} ${unit} on the median: ${v})`;
}

/** A rate line from timed runs of `amount` work each, judged on the median run. */
export function reportRate(label: string, amount: number, unit: string, target: number, times: Stats): string {
  return `${report(label, rates(amount, times), unit, target)}   ${times.median.toFixed(0)} ms per run`;
}

/** How busy the machine was: figures taken with other work running are lower than the code's own cost. */
export function machine(): string {
  const [one] = os.loadavg();
  return `machine: ${os.cpus().length} cores, load average ${one!.toFixed(1)} (above ${os.cpus().length} means other processes took CPU time from these runs)`;
}
