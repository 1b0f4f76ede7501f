import type { NodeContext } from '../protocol';
import { formatDuration } from '../../units';

export interface DisciplineConfig {
  /** An estimated error larger than this (in magnitude) is stepped; a smaller one is slewed. 0: always step; Infinity: never. */
  readonly stepThreshold: number;
  /** The same for the very first estimate (a receiver setting its time on acquisition); defaults to `stepThreshold`. */
  readonly firstStepThreshold?: number;
  /** The fastest the clock may be slewed, ppm (phase and frequency correction together). */
  readonly maxSlewPpm: number;
  /**
   * Fraction of the observed frequency error corrected at each update
   * (0: no frequency tracking, the clock only has its phase corrected).
   */
  readonly frequencyGain: number;
}

/** Why the discipline is being told something: shown in the clock-adjust event, e.g. `offset -1.2ms from S`. */
export type Reason = string;

/**
 * Steers a node's clock from offset estimates, the part NTP calls the clock
 * discipline and PTP the servo; shared by every clock synchronisation
 * protocol so they all behave alike.
 *
 * Each update gives a correction (source − own clock, i.e. what to add).
 * Large corrections are stepped. Small ones are slewed away over `over`
 * (the protocol's update interval) with a timer that stops the phase slew
 * when it is done, so a late update cannot make it overshoot. On top of the
 * phase slew runs a frequency correction (a type-II loop): whatever error is
 * left at the next update beyond what was still being slewed must come from
 * the clock's rate, so `frequencyGain` of it is added to the frequency
 * correction. With gain g the rate error shrinks by (1 − g) per update.
 *
 * The discipline also keeps the phase it has applied so far (steps plus the
 * phase part of slewing), so a protocol can bring an older estimate up to
 * date: `correction − (phaseApplied() − phaseAtEstimate)`.
 */
export class ClockDiscipline {
  static readonly TIMER = 'discipline:phase-done';

  private frequencyPpm = 0;
  private phasePpm = 0;
  /** Phase correction still being slewed at `phaseSince` (local ns). */
  private pending = 0;
  private phaseSince = 0;
  private phaseDone = 0;
  private lastUpdate: number | undefined;
  private timer: number | undefined;
  private updates = 0;
  private appliedPpm: number | undefined;

  constructor(
    private readonly ctx: Pick<NodeContext, 'now' | 'clock' | 'setTimer' | 'cancelTimer'>,
    private readonly config: DisciplineConfig,
  ) {}

  /** The frequency correction currently applied, ppm (≈ minus the clock's drift once locked). */
  get frequency(): number {
    return this.frequencyPpm;
  }

  /** Phase correction applied so far, ns: every step plus the phase part of every slew up to now. */
  phaseApplied(): number {
    return this.phaseDone + this.slewedSince(this.ctx.now());
  }

  /**
   * A new estimate: add `correction` ns to the clock (already brought up to
   * date by the caller). Slews it away over `over` local ns unless it is
   * beyond the step threshold. Returns what it did.
   */
  update(correction: number, over: number, why: Reason): 'step' | 'slew' {
    const now = this.ctx.now();
    this.settle(now);
    const threshold = this.updates === 0 ? (this.config.firstStepThreshold ?? this.config.stepThreshold) : this.config.stepThreshold;
    this.updates++;
    if (this.lastUpdate !== undefined && this.config.frequencyGain > 0 && now > this.lastUpdate) {
      // What is left beyond the phase still being slewed accumulated through the rate error.
      const rateError = ((correction - this.pending) / (now - this.lastUpdate)) * 1e6;
      this.frequencyPpm = clamp(this.frequencyPpm + this.config.frequencyGain * rateError, this.config.maxSlewPpm);
    }
    this.lastUpdate = now;
    this.stopTimer();
    if (Math.abs(correction) > threshold) {
      const delta = Math.round(correction);
      this.pending = 0;
      this.phasePpm = 0;
      this.phaseDone += delta;
      this.ctx.clock.step(delta, why);
      this.applySlew(why);
      return 'step';
    }
    this.pending = correction;
    const total = clamp(this.frequencyPpm + (correction / Math.max(1, over)) * 1e6, this.config.maxSlewPpm);
    this.phasePpm = total - this.frequencyPpm;
    this.applySlew(why);
    if (this.phasePpm !== 0) this.timer = this.ctx.setTimer(ClockDiscipline.TIMER, Math.max(1, Math.ceil((this.pending / this.phasePpm) * 1e6)));
    return 'slew';
  }

  /** Stops any phase slew, keeping the frequency correction (holdover). */
  hold(why: Reason): void {
    this.settle(this.ctx.now());
    this.stopTimer();
    this.pending = 0;
    if (this.phasePpm !== 0) {
      this.phasePpm = 0;
      this.applySlew(why);
    }
  }

  /** True when the timer was the discipline's own (the phase slew is done). */
  onTimer(name: string): boolean {
    if (name !== ClockDiscipline.TIMER) return false;
    this.timer = undefined;
    this.settle(this.ctx.now());
    this.pending = 0;
    this.phasePpm = 0;
    this.applySlew(`phase corrected, frequency ${formatPpmShort(this.frequencyPpm)}`);
    return true;
  }

  private slewedSince(now: number): number {
    const slewed = (this.phasePpm * (now - this.phaseSince)) / 1e6;
    // Never past what was asked: the timer that ends the slew may fire a nanosecond late.
    return this.pending >= 0 ? Math.min(slewed, this.pending) : Math.max(slewed, this.pending);
  }

  /** Moves what was slewed since `phaseSince` from pending to done. */
  private settle(now: number): void {
    const slewed = this.slewedSince(now);
    this.phaseDone += slewed;
    this.pending -= slewed;
    this.phaseSince = now;
  }

  private applySlew(why: Reason): void {
    this.phaseSince = this.ctx.now();
    const ppm = this.frequencyPpm + this.phasePpm;
    // The first call always sets it: a restarted node's clock may still carry the slew of its previous life.
    if (ppm === this.appliedPpm) return;
    this.appliedPpm = ppm;
    this.ctx.clock.slew(ppm, why);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.ctx.cancelTimer(this.timer);
    this.timer = undefined;
  }
}

function clamp(ppm: number, max: number): number {
  return Math.max(-max, Math.min(max, ppm));
}

function formatPpmShort(ppm: number): string {
  return `${ppm >= 0 ? '+' : ''}${Math.round(ppm * 1000) / 1000}ppm`;
}

/** `+1.2ms` style for corrections and offsets in reasons and notes (fractions of a ns rounded). */
export function signedDuration(ns: number): string {
  return formatDuration(Math.round(ns), true);
}
