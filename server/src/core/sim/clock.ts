import type { ClockModel } from '../model';

/**
 * A node's physical clock: a piecewise-linear function of true time.
 * Between changes it reads `baseLocal + (t - baseTrue) * rate`, with
 * rate = 1 + (drift + slew) · 10⁻⁶. Jumps, drift changes and protocol
 * adjustments start a new piece at the instant they happen; pieces are
 * never rewritten, so a reading for any past time in the current piece is
 * exact. The rate is kept positive by the checker (|drift| < 10⁶ ppm).
 */
export class LocalClock {
  private baseTrue = 0;
  private baseLocal: number;
  private drift: number;
  private slewPpm = 0;
  private rate: number;
  private readonly resolution: number;
  /** Increases on every change, so timers scheduled by the old rate can be re-planned. */
  generation = 0;

  constructor(model: ClockModel) {
    this.baseLocal = model.offset;
    this.drift = model.driftPpm;
    this.resolution = model.resolution;
    this.rate = 1 + model.driftPpm * 1e-6;
  }

  /** The exact (unrounded) reading at true time t. */
  exact(t: number): number {
    return this.baseLocal + (t - this.baseTrue) * this.rate;
  }

  /** What the node sees at true time t: integer ns, floored to the clock's resolution. */
  read(t: number): number {
    const x = Math.floor(this.exact(t));
    return this.resolution > 1 ? x - (((x % this.resolution) + this.resolution) % this.resolution) : x;
  }

  /** Offset from true time at t (local − true), exact. */
  offset(t: number): number {
    return this.exact(t) - t;
  }

  get driftPpm(): number {
    return this.drift;
  }

  get totalRatePpm(): number {
    return this.drift + this.slewPpm;
  }

  /** Rate of local time per true nanosecond in the current piece. */
  get currentRate(): number {
    return this.rate;
  }

  jump(now: number, delta: number): void {
    this.rebase(now);
    this.baseLocal += delta;
    this.generation++;
  }

  setDrift(now: number, ppm: number): void {
    this.rebase(now);
    this.drift = ppm;
    this.rate = 1 + (this.drift + this.slewPpm) * 1e-6;
    this.generation++;
  }

  setSlew(now: number, ppm: number): void {
    this.rebase(now);
    this.slewPpm = ppm;
    this.rate = 1 + (this.drift + this.slewPpm) * 1e-6;
    this.generation++;
  }

  /**
   * The earliest integer true time ≥ now at which the exact reading reaches
   * `local`. Timers use it: they fire by the node's clock, so drift and jumps
   * change when they fire in true time.
   */
  trueTimeAt(now: number, local: number): number {
    const current = this.exact(now);
    if (current >= local) return now;
    const t = Math.ceil(now + (local - current) / this.rate);
    // Float rounding may leave the reading a hair short; never fire early.
    return this.exact(t) >= local ? t : t + 1;
  }

  private rebase(now: number): void {
    this.baseLocal = this.exact(now);
    this.baseTrue = now;
  }
}
