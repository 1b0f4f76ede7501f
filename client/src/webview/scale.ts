/**
 * Linear scales: true time (ns) ↔ x pixels for the visible window, and a
 * value scale for the offset chart. Ticks step by 1, 2 or 5 × 10ⁿ.
 */

export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

export class LinearScale {
  readonly k: number;

  constructor(
    readonly d0: number,
    readonly d1: number,
    readonly r0: number,
    readonly r1: number,
  ) {
    this.k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  }

  at(v: number): number {
    return this.r0 + (v - this.d0) * this.k;
  }

  invert(px: number): number {
    return this.k === 0 ? this.d0 : this.d0 + (px - this.r0) / this.k;
  }

  /** Tick values inside the domain, about `approxCount` of them. */
  ticks(approxCount: number): { readonly step: number; readonly values: number[] } {
    const lo = Math.min(this.d0, this.d1);
    const hi = Math.max(this.d0, this.d1);
    const step = niceStep((hi - lo) / Math.max(1, approxCount));
    const values: number[] = [];
    if (!(step > 0) || !Number.isFinite(step)) return { step: 1, values };
    const first = Math.ceil(lo / step);
    const last = Math.floor(hi / step);
    for (let i = first; i <= last && values.length < 1000; i++) values.push(i * step);
    return { step, values };
  }
}

/** The smallest 1·10ⁿ, 2·10ⁿ or 5·10ⁿ that is ≥ raw (and at least 1 ns). */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const exp = Math.floor(Math.log10(raw));
  const base = 10 ** exp;
  const f = raw / base;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return Math.max(1, m * base);
}

/** Index of the first element whose key is ≥ value (array sorted by key). */
export function lowerBound<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element whose key is > value. */
export function upperBound<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]!) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
