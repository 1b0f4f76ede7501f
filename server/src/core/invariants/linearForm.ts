import type { LocalClock } from '../sim/clock';
import { ceilToTick, firstGapAtLeast, SCAN_BUDGET, searchBand } from './readingGap';

/** Stands for true time (`now`) among the clocks of a linear form. */
export const TRUE_TIME_CLOCK = -1;

/**
 * Σ coef · reading(clock) + constant: a linear combination of the readings
 * the nodes see (whole nanoseconds floored to each clock's resolution) and
 * of true time (TRUE_TIME_CLOCK), with integer coefficients. Between two
 * clock changes every reading is a step function of true time, so such a
 * form is too; `firstAtLeast` solves for where it reaches a bound.
 * `clocks` is sorted and holds no zero coefficient.
 */
export interface LinearForm {
  readonly clocks: readonly number[];
  readonly coefs: readonly number[];
  readonly constant: number;
}

export function constantForm(c: number): LinearForm {
  return { clocks: [], coefs: [], constant: c };
}

export function clockForm(clock: number, coef = 1): LinearForm {
  return { clocks: [clock], coefs: [coef], constant: 0 };
}

export function addForms(a: LinearForm, b: LinearForm): LinearForm {
  const clocks: number[] = [];
  const coefs: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.clocks.length || j < b.clocks.length) {
    const ca = i < a.clocks.length ? a.clocks[i]! : Infinity;
    const cb = j < b.clocks.length ? b.clocks[j]! : Infinity;
    const clock = Math.min(ca, cb);
    const coef = (ca === clock ? a.coefs[i++]! : 0) + (cb === clock ? b.coefs[j++]! : 0);
    if (coef !== 0) {
      clocks.push(clock);
      coefs.push(coef);
    }
  }
  return { clocks, coefs, constant: a.constant + b.constant };
}

export function scaleForm(a: LinearForm, k: number): LinearForm {
  if (k === 0) return constantForm(0);
  return { clocks: a.clocks, coefs: a.coefs.map((c) => c * k), constant: a.constant * k };
}

/** The clocks a form reads, by index (TRUE_TIME_CLOCK for true time), on their current pieces. */
export type ClockPieces = (clock: number) => LocalClock;

export function formValue(f: LinearForm, pieces: ClockPieces, t: number): number {
  let v = f.constant;
  for (let i = 0; i < f.clocks.length; i++) v += f.coefs[i]! * pieces(f.clocks[i]!).read(t);
  return v;
}

/**
 * The first integer instant t in [from, to] with form(t) ≥ k, or undefined;
 * the pieces must not change in between. Exact: one reading against a bound
 * (readings never decrease within a piece), and the difference of two
 * (a − b, or a clock against true time) by readingGap.ts; any other
 * combination is searched instant by instant over the steps of its clocks,
 * but only inside the band where the rounding of the readings can decide it
 * (outside it the exact, unrounded combination settles the answer), within
 * SCAN_BUDGET steps: past that the answer is the first instant where the
 * bound is certain, which may be late by the time spent inside the band.
 */
export function firstAtLeast(f: LinearForm, k: number, pieces: ClockPieces, from: number, to: number): number | undefined {
  if (from > to) return undefined;
  const target = k - f.constant;
  const n = f.clocks.length;
  if (n === 0) return 0 >= target ? from : undefined;
  if (n === 1) {
    const clock = pieces(f.clocks[0]!);
    const coef = f.coefs[0]!;
    if (coef < 0) return coef * clock.read(from) >= target ? from : undefined;
    const reading = ceilToTick(Math.ceil(target / coef), clock.tick);
    if (clock.read(from) >= reading) return from;
    const t = clock.trueTimeAt(from, reading);
    return t <= to ? t : undefined;
  }
  if (n === 2 && f.coefs[0] === -f.coefs[1]!) {
    const [ahead, behind] = f.coefs[0]! > 0 ? [0, 1] : [1, 0];
    const coef = Math.abs(f.coefs[0]!);
    return firstGapAtLeast(pieces(f.clocks[ahead]!), pieces(f.clocks[behind]!), from, to, Math.ceil(target / coef));
  }
  return scanBand(f, target, pieces, from, to);
}

/** Any combination: see firstAtLeast. The readings differ from the exact values by less than a tick each. */
function scanBand(f: LinearForm, target: number, pieces: ClockPieces, from: number, to: number): number | undefined {
  const clocks = f.clocks.map(pieces);
  const sum = (t: number): number => {
    let v = 0;
    for (let i = 0; i < clocks.length; i++) v += f.coefs[i]! * clocks[i]!.read(t);
    return v;
  };
  if (sum(from) >= target) return from;
  let exact0 = 0;
  let slope = 0;
  let below = 1; // the readings' sum can lie below the exact sum by less than this
  let above = 1; // … and above it by less than this
  for (let i = 0; i < clocks.length; i++) {
    const c = f.coefs[i]!;
    const clock = clocks[i]!;
    exact0 += c * clock.exact(from);
    slope += c * clock.currentRate;
    if (c > 0) below += c * clock.tick;
    else above += -c * clock.tick;
  }
  const slack = 1e-6 + 8 * Math.abs(exact0) * 2 ** -52;
  const band = searchBand(from, to, exact0, slope, target - above - slack, target + below + slack);
  if (!band) return undefined;
  const { lo, hi, sure } = band;
  let t = lo;
  for (let step = 0; step < SCAN_BUDGET; step++) {
    if (sum(t) >= target) return t;
    // The sum changes only where one of the readings steps.
    let next = Infinity;
    for (const clock of clocks) next = Math.min(next, clock.trueTimeAt(t, clock.read(t) + clock.tick));
    if (next > hi) return undefined;
    t = next;
  }
  return sure !== undefined && sure <= to ? sure : undefined;
}
