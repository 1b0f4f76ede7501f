import type { OptionSpec } from '../../check/options';
import type { NodeContext } from '../protocol';
import { formatDuration } from '../../units';

export interface DisciplineConfig {
  /** An estimated error larger than this (in magnitude) is stepped; a smaller one is slewed. 0: always step; Infinity: never. */
  readonly stepThreshold: number;
  /** The same for the very first estimate (a receiver setting its time on acquisition); defaults to `stepThreshold`. */
  readonly firstStepThreshold?: number;
  /** The fastest the clock may be slewed, ppm (phase and frequency correction together). */
  readonly maxSlewPpm: number;
  /** Fraction of each correction slewed away over the following update interval, 0 < a ≤ 1. */
  readonly phaseGain: number;
  /** Fraction of each measured rate error added to the frequency correction, 0 ≤ g ≤ 1; 0: no frequency tracking. */
  readonly frequencyGain: number;
}

/** For precise estimates (PTP, a reference clock): fast convergence. */
export const FAST_LOOP = { phaseGain: 0.7, frequencyGain: 0.5 } as const;

/** Why the discipline is being told something: shown in the clock-adjust event, e.g. `offset -1.2ms from S`. */
export type Reason = string;

/**
 * Steers a node's clock from offset estimates, the part NTP calls the clock
 * discipline and PTP the servo; shared by every clock synchronisation
 * protocol so they all behave alike.
 *
 * Each update gives a correction θ (source − own clock: what to add),
 * expected about once per `interval`. A θ beyond the step threshold is
 * stepped. Otherwise `phaseGain`·θ is slewed away over the next interval (a
 * timer stops the phase slew when it is done, so a late update cannot make
 * it overshoot). Frequency is tracked apart from phase: at the next update
 * the discipline knows what θ should have become (the old θ minus the phase
 * applied since); what differs accumulated through the clock's rate error,
 * so `frequencyGain` of that rate is added to the frequency correction.
 * Phase error then shrinks by (1 − phaseGain) and rate error by
 * (1 − frequencyGain) per update, without overshoot, and a large initial
 * offset is not mistaken for a rate error. Noisy estimates call for small
 * gains: a gain turns estimate noise into clock noise.
 *
 * The discipline also keeps the phase it has applied so far (steps plus the
 * phase part of slewing), so a protocol can bring an older estimate up to
 * date: `θ − (phaseApplied() − phaseAtEstimate)`.
 */
export class ClockDiscipline {
  static readonly TIMER = 'discipline:phase-done';

  private frequencyPpm = 0;
  private phasePpm = 0;
  /** Phase correction still being slewed at `phaseSince` (local ns). */
  private pending = 0;
  private phaseSince = 0;
  private phaseDone = 0;
  private timer: number | undefined;
  private updates = 0;
  /** The last update: when (local), its correction, and the phase applied by then. */
  private last: { readonly at: number; readonly correction: number; readonly phase: number } | undefined;
  /**
   * The slew last set. A restarted node's clock may still carry the slew of
   * its previous life; the first slew the new discipline sets replaces it.
   */
  private appliedPpm = 0;

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

  /** A new estimate: add `correction` ns to the clock (already brought up to date by the caller). Returns what it did. */
  update(correction: number, interval: number, why: Reason): 'step' | 'slew' {
    const now = this.ctx.now();
    this.settle(now);
    const threshold = this.updates === 0 ? (this.config.firstStepThreshold ?? this.config.stepThreshold) : this.config.stepThreshold;
    this.updates++;
    this.stopTimer();
    const max = this.config.maxSlewPpm;
    if (this.last && this.config.frequencyGain > 0 && now > this.last.at) {
      const expected = this.last.correction - (this.phaseDone - this.last.phase);
      const elapsed = now - this.last.at;
      const ratePpm = ((correction - expected) / elapsed) * 1e6;
      // A rate measured over a longer baseline is less noisy: trust it more (fully after 1/g intervals).
      const gain = Math.min(1, (this.config.frequencyGain * elapsed) / Math.max(1, interval));
      this.frequencyPpm = clamp(this.frequencyPpm + gain * ratePpm, max);
    }
    this.last = { at: now, correction, phase: this.phaseDone };
    if (Math.abs(correction) > threshold) {
      const delta = Math.round(correction);
      this.pending = 0;
      this.phasePpm = 0;
      this.phaseDone += delta;
      this.ctx.clock.step(delta, why);
      this.applySlew(why);
      return 'step';
    }
    this.pending = this.config.phaseGain * correction;
    this.phasePpm = clamp(this.frequencyPpm + (this.pending / Math.max(1, interval)) * 1e6, max) - this.frequencyPpm;
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

/** The `adjust` option of the classic algorithms (Cristian, Berkeley): how a correction is applied. */
export const ADJUST_OPTION: OptionSpec = {
  key: 'adjust',
  type: 'choice',
  choices: ['step', 'slew'],
  doc: 'step: set the clock at once (it may go backwards); slew: run it faster or slower until corrected, over one interval at most 500ppm (default step)',
  example: 'slew',
};

/** A discipline that applies each correction whole, by stepping or by slewing, without frequency tracking. */
export function oneShotDiscipline(ctx: ConstructorParameters<typeof ClockDiscipline>[0], adjust: string): ClockDiscipline {
  return new ClockDiscipline(ctx, { stepThreshold: adjust === 'slew' ? Infinity : 0, maxSlewPpm: 500, phaseGain: 1, frequencyGain: 0 });
}
