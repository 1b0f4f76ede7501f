import { LocalClock } from '../sim/clock';

/**
 * The first instant at which one clock's reading is at least `k` ahead of
 * another's, on the readings the nodes actually see (whole nanoseconds,
 * floored to each clock's resolution), solved exactly per clock piece.
 *
 * A reading R(t) = tick · ⌊E(t) / tick⌋ is a step function of the exact
 * (linear) reading E, so R_a − R_b is not monotone within a piece: it rises
 * only when R_a steps and falls only when R_b steps. With D(t) = E_a − E_b
 * (linear, slope from the two rates):
 *   R_a − R_b > D − tick_a   and   R_a − R_b < D + tick_b,
 * so before D passes k − tick_b the gap cannot reach k, and once D reaches
 * k + tick_a − 1 it has. Only that band is searched, instant by instant of
 * the coarser clock's steps: between two steps of the clock ahead the gap
 * only falls (so the start of each of its steps is the only candidate), and
 * between two steps of the clock behind the first instant is where the clock
 * ahead reaches its target reading (LocalClock.trueTimeAt, exact).
 *
 * Parallel clocks (equal rates) never leave the band: their pattern of
 * readings repeats after a period (computed for whole-ppm rates), so one
 * period is searched. A band longer than SCAN_BUDGET steps (fractional-ppm
 * slews that differ by less than about 10⁻⁶ ppm) is cut: then the answer is
 * the first instant where the bound is certain, which may be late by the
 * time the gap spent within one tick of the bound.
 */
export const SCAN_BUDGET = 1_000_000;

const MICRO = 1_000_000;

/** A perfect clock: what true time reads. */
export function trueTimeClock(): LocalClock {
  return new LocalClock({ offset: 0, driftPpm: 0, resolution: 0 });
}

/** The first integer t in [from, to] with a.read(t) − b.read(t) ≥ k, or undefined. Both clocks must not change in between. */
export function firstGapAtLeast(a: LocalClock, b: LocalClock, from: number, to: number, k: number): number | undefined {
  if (from > to) return undefined;
  const gapAt = (t: number): number => a.read(t) - b.read(t);
  if (gapAt(from) >= k) return from;
  const slope = (a.totalRatePpm - b.totalRatePpm) / MICRO;
  const d0 = a.exact(from) - b.exact(from);
  // Float error of D: about one unit in the last place of the readings, plus a little.
  const slack = 1e-6 + 4 * Math.max(Math.abs(a.exact(from)), Math.abs(b.exact(from))) * 2 ** -52 + 1;
  const possible = k - b.tick - slack; // D must exceed this for the gap to reach k
  const certain = k + a.tick - 1 + slack; // from where D reaches this, the gap is ≥ k
  const band = searchBand(from, to, d0, slope, possible, certain);
  if (!band) return undefined;
  const { lo, sure } = band;
  let hi = band.hi;
  if (slope === 0) {
    const period = repeatPeriod(a, b);
    if (period !== undefined) hi = Math.min(to, from + period);
  }
  if (lo > hi) return undefined;
  const found = a.tick >= b.tick ? scanSteps(a, lo, hi, k, gapAt) : scanIntervals(a, b, lo, hi, k);
  if (found !== 'budget') return found;
  // Out of budget (see SCAN_BUDGET): the first instant where the gap is certain, if any.
  for (let t = sure; t !== undefined && t <= to; t++) if (gapAt(t) >= k) return t;
  return undefined;
}

/**
 * Where a quantity whose exact (unrounded) value is linear, d0 + slope · (t − from),
 * can first reach a bound its rounded value must cross: not before the exact value
 * passes `possible`, and surely by where it reaches `certain` (`sure`, when it rises).
 * Undefined when it never gets past `possible` in [from, to].
 */
export function searchBand(from: number, to: number, d0: number, slope: number, possible: number, certain: number): { lo: number; hi: number; sure: number | undefined } | undefined {
  if (slope > 0) {
    const lo = d0 <= possible ? from + Math.max(0, Math.floor((possible - d0) / slope)) : from;
    const sure = from + Math.max(0, Math.ceil((certain - d0) / slope));
    return { lo, hi: Math.min(to, sure), sure };
  }
  if (d0 <= possible) return undefined;
  return { lo: from, hi: slope < 0 ? Math.min(to, from + Math.ceil((d0 - possible) / -slope)) : to, sure: undefined };
}

/** Candidates: lo and each step of the clock ahead (between them the gap only falls). */
function scanSteps(a: LocalClock, lo: number, hi: number, k: number, gapAt: (t: number) => number): number | undefined | 'budget' {
  let t = lo;
  for (let i = 0; i < SCAN_BUDGET; i++) {
    if (gapAt(t) >= k) return t;
    t = a.trueTimeAt(t, a.read(t) + a.tick);
    if (t > hi) return undefined;
  }
  return 'budget';
}

/** Per interval in which the clock behind reads the same: the first instant the clock ahead reaches k past it. */
function scanIntervals(a: LocalClock, b: LocalClock, lo: number, hi: number, k: number): number | undefined | 'budget' {
  let t = lo;
  for (let i = 0; i < SCAN_BUDGET; i++) {
    const behind = b.read(t);
    const next = b.trueTimeAt(t, behind + b.tick);
    const target = ceilToTick(k + behind, a.tick);
    const reached = a.trueTimeAt(t, target);
    if (reached < next) return reached <= hi ? reached : undefined;
    if (next > hi) return undefined;
    t = next;
  }
  return 'budget';
}

/** The smallest multiple of `tick` ≥ x (integers below 2^53, so % is exact). */
export function ceilToTick(x: number, tick: number): number {
  const r = ((x % tick) + tick) % tick;
  return r === 0 ? x : x - r + tick;
}

/**
 * After how many true nanoseconds two clocks with the same whole-ppm rate
 * read in the same pattern again: each clock's reading in millionths grows
 * by m = 10⁶ + ppm per ns, and its phase within a tick (10⁶ · tick
 * millionths) repeats every 10⁶ · tick / gcd(m, 10⁶ · tick) ns; both
 * together after the lcm. Undefined for fractional rates or a huge period.
 */
function repeatPeriod(a: LocalClock, b: LocalClock): number | undefined {
  const one = (c: LocalClock): number | undefined => {
    const m = MICRO + c.totalRatePpm;
    if (!Number.isInteger(m)) return undefined;
    const cycle = MICRO * c.tick;
    return cycle / gcd(m, cycle);
  };
  const pa = one(a);
  const pb = one(b);
  if (pa === undefined || pb === undefined) return undefined;
  const period = (pa / gcd(pa, pb)) * pb;
  return Number.isSafeInteger(period) ? period : undefined;
}

function gcd(x: number, y: number): number {
  x = Math.abs(x);
  y = Math.abs(y);
  while (y) [x, y] = [y, x % y];
  return x;
}
