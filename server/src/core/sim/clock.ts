import type { ClockModel } from '../scenarioModel';

const MICRO = 1_000_000;

/**
 * A node's physical clock: a piecewise-linear function of true time.
 * Between changes it reads `base + dt + dt · ppm / 10⁶` (dt = t − baseTrue,
 * ppm = drift + slew). Jumps, drift changes and protocol adjustments start a
 * new piece at the instant they happen; pieces are never rewritten, so a
 * reading for any past time in the current piece is exact. The rate is kept
 * positive by the checker (|drift| < 10⁶ ppm).
 *
 * Exactness: the base reading is kept as whole nanoseconds plus a remainder
 * in millionths of a nanosecond, and the drift term as `dt · ppm` in those
 * millionths. With whole-ppm drift the drift term is split (see `advance`)
 * so every intermediate is an integer below 2⁵³ for any dt below 2⁵³ ns
 * (the checker keeps every simulated time there, check/bounds.ts): readings
 * and timer instants are exact integers, not float approximations (`1s` at
 * +1000ppm reads exactly 1.001s, and a timer for 1.001s fires at exactly 1s).
 */
export class LocalClock {
  private baseTrue = 0;
  /** Whole nanoseconds of the reading at baseTrue. */
  private baseLocal: number;
  /** The rest of that reading in millionths of a nanosecond, in [0, 10⁶). */
  private baseMicro = 0;
  private drift: number;
  private slewPpm = 0;
  private ppm: number;
  private readonly resolution: number;
  /** Increases on every change, so timers scheduled by the old rate can be re-planned. */
  generation = 0;
  /** The millionths left over by the last `advance` call, in [0, 10⁶). */
  private restMicro = 0;

  constructor(model: ClockModel) {
    this.baseLocal = 0;
    this.addToBase(model.offset);
    this.drift = model.driftPpm;
    this.resolution = model.resolution;
    this.ppm = model.driftPpm;
  }

  /** The exact (unrounded) reading at true time t. */
  exact(t: number): number {
    const dt = t - this.baseTrue;
    const whole = this.advance(dt);
    return this.baseLocal + dt + whole + this.restMicro / MICRO;
  }

  /** What the node sees at true time t: integer ns, floored to the clock's resolution. */
  read(t: number): number {
    const dt = t - this.baseTrue;
    const x = this.baseLocal + dt + this.advance(dt);
    return this.resolution > 1 ? x - (((x % this.resolution) + this.resolution) % this.resolution) : x;
  }

  /** Offset from true time at t (local − true), exact. */
  offset(t: number): number {
    const whole = this.advance(t - this.baseTrue);
    return this.baseLocal - this.baseTrue + whole + this.restMicro / MICRO;
  }

  /** The step of its readings in ns: the resolution, at least 1. */
  get tick(): number {
    return Math.max(1, this.resolution);
  }

  /**
   * A frozen copy of the current piece: it reads, for any later instant,
   * what this clock would read had nothing changed since. The clock
   * invariants keep one per clock between changes.
   */
  copy(): LocalClock {
    return Object.assign(Object.create(LocalClock.prototype) as LocalClock, this);
  }

  get driftPpm(): number {
    return this.drift;
  }

  get totalRatePpm(): number {
    return this.ppm;
  }

  /** Rate of local time per true nanosecond in the current piece. */
  get currentRate(): number {
    return 1 + this.ppm / MICRO;
  }

  jump(now: number, delta: number): void {
    this.rebase(now);
    this.addToBase(delta);
    this.generation++;
  }

  setDrift(now: number, ppm: number): void {
    this.rebase(now);
    this.drift = ppm;
    this.ppm = this.drift + this.slewPpm;
    this.generation++;
  }

  setSlew(now: number, ppm: number): void {
    this.rebase(now);
    this.slewPpm = ppm;
    this.ppm = this.drift + this.slewPpm;
    this.generation++;
  }

  /**
   * The earliest integer true time ≥ now at which the exact reading reaches
   * `local`. Timers use it: they fire by the node's clock, so drift and jumps
   * change when they fire in true time.
   */
  trueTimeAt(now: number, local: number): number {
    // reached(dt) ⇔ exact(baseTrue + dt) ≥ local, in millionths so whole-ppm clocks compare exactly.
    const reached = (dt: number): boolean => {
      const whole = this.advance(dt);
      return (this.baseLocal - local + dt + whole) * MICRO + this.restMicro >= 0;
    };
    const from = now - this.baseTrue;
    if (reached(from)) return now;
    if (MICRO + this.ppm <= 0) return Infinity; // a stopped or backwards clock never gets there
    const estimate = Math.max(from, Math.ceil(((local - this.baseLocal) * MICRO - this.baseMicro) / (MICRO + this.ppm)));
    // The division is exact up to rounding; settle on the first instant that reaches it.
    return this.baseTrue + firstReached(reached, from, estimate);
  }

  private rebase(now: number): void {
    const dt = now - this.baseTrue;
    const whole = this.advance(dt);
    this.baseLocal += dt + whole;
    this.baseMicro = this.restMicro;
    this.baseTrue = now;
  }

  /**
   * ⌊(baseMicro + dt · ppm) / 10⁶⌋: the whole nanoseconds the drift adds
   * over dt, leaving the remainder in `restMicro`. When dt · ppm could pass
   * 2⁵³ (dt of days at high drift), dt is split as q · 10⁶ + r so that the
   * whole part q · ppm and the rest r · ppm are each exact for whole ppm.
   */
  private advance(dt: number): number {
    const product = dt * this.ppm;
    if (Math.abs(product) < 2 ** 52) {
      const micro = this.baseMicro + product;
      const whole = floorDiv(micro, MICRO);
      this.restMicro = micro - whole * MICRO;
      return whole;
    }
    const q = Math.floor(dt / MICRO);
    const micro = this.baseMicro + (dt - q * MICRO) * this.ppm;
    const whole = floorDiv(micro, MICRO);
    this.restMicro = micro - whole * MICRO;
    return q * this.ppm + whole;
  }

  /** Adds a (possibly fractional) number of nanoseconds to the base reading. */
  private addToBase(ns: number): void {
    const whole = Math.floor(ns);
    const micro = this.baseMicro + Math.round((ns - whole) * MICRO);
    const carry = floorDiv(micro, MICRO);
    this.baseLocal += whole + carry;
    this.baseMicro = micro - carry * MICRO;
  }
}

/**
 * The smallest integer dt in (from, ∞) with `reached(dt)` (a monotone
 * predicate, false at `from`), searched outwards from `estimate`: usually
 * one or two probes, since the estimate is exact up to rounding. Galloping
 * then bisecting, so it also ends when the numbers are beyond 2^53 and a
 * step of 1 no longer changes them (a clock stepped by 10^18 ns once made a
 * one-by-one walk loop forever).
 */
function firstReached(reached: (dt: number) => boolean, from: number, estimate: number): number {
  let lo: number; // not reached
  let hi: number; // reached
  if (reached(estimate)) {
    hi = estimate;
    let step = 1;
    while (hi - step > from && reached(hi - step)) {
      hi -= step;
      step *= 2;
    }
    lo = Math.max(from, hi - step);
  } else {
    lo = estimate;
    let step = 1;
    while (!reached(lo + step)) {
      lo += step;
      step *= 2;
    }
    hi = lo + step;
  }
  for (;;) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (mid <= lo || mid >= hi) return hi;
    if (reached(mid)) hi = mid;
    else lo = mid;
  }
}

/** ⌊a / b⌋ for b > 0, corrected for float rounding of the quotient. */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}
