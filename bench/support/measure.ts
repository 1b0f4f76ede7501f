/**
 * Timing for the benchmarks: warm-up runs (so the JIT has compiled the hot
 * paths), then timed iterations; reports the median, which one slow
 * iteration (a GC pause, the other core busy) does not move.
 */
export interface Timing {
  readonly medianMs: number;
  readonly bestMs: number;
  readonly iterations: number;
}

export function measure(run: () => void, { warmup = 3, iterations = 10 } = {}): Timing {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)]!, bestMs: times[0]!, iterations };
}

/** `  label ……… value  (target …: ok/MISSED)` */
export function report(label: string, value: number, unit: string, target: number): string {
  const verdict = value >= target ? 'ok' : 'MISSED';
  return `  ${label.padEnd(42)} ${value.toFixed(value >= 100 ? 0 : 2).padStart(10)} ${unit.padEnd(10)} (target ≥ ${target} ${unit}: ${verdict})`;
}
