/**
 * NTP's on-wire arithmetic and clock filter (RFC 5905, sections 8 and 10).
 *
 * One exchange gives four timestamps, each read from the clock of the node
 * that takes it: t1 client sends the request, t2 server receives it, t3
 * server sends the response, t4 client receives it. Then
 *
 *   offset θ = ((t2 − t1) + (t3 − t4)) / 2   the server's clock minus the client's
 *   delay  δ = (t4 − t1) − (t3 − t2)         the round trip minus the server's time
 *
 * θ is exact when both directions take equally long. If the request takes
 * d₁ and the response d₂, θ is off by (d₁ − d₂) / 2: half the asymmetry,
 * which no two-way exchange can see.
 */
export interface NtpTimestamps {
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly t4: number;
}

export function ntpOffset(ts: NtpTimestamps): number {
  return (ts.t2 - ts.t1 + (ts.t3 - ts.t4)) / 2;
}

export function ntpDelay(ts: NtpTimestamps): number {
  return ts.t4 - ts.t1 - (ts.t3 - ts.t2);
}

export interface FilterSample {
  /** θ of the exchange. */
  readonly offset: number;
  /** δ of the exchange. */
  readonly delay: number;
  /** The client's clock at t4. */
  readonly at: number;
  /** The discipline's applied phase at t4, to bring θ up to date later. */
  readonly phase: number;
}

/** RFC 5905's PHI: how fast a sample's dispersion grows with age, 15µs per second. */
export const PHI = 15e-6;

/**
 * The clock filter: the last `size` samples from one server; the best is the
 * one with the least delay, since the least-delayed exchange was the least
 * disturbed by queueing (and so the least asymmetric). As in RFC 5905 a
 * sample's age counts against it: its distance is δ/2 plus PHI·age, so of
 * nearly equal delays the newest wins, while a much shorter delay holds for
 * a while. Ties go to the newest.
 */
export class ClockFilter {
  private samples: FilterSample[] = [];

  constructor(readonly size = 8) {}

  add(sample: FilterSample): void {
    this.samples.unshift(sample);
    if (this.samples.length > this.size) this.samples.length = this.size;
  }

  /** The sample with the least distance at local time `now`. */
  best(now: number): FilterSample | undefined {
    let best: FilterSample | undefined;
    let bestDistance = Infinity;
    for (const s of this.samples) {
      const distance = s.delay / 2 + PHI * (now - s.at);
      if (distance < bestDistance) [best, bestDistance] = [s, distance];
    }
    return best;
  }

  /** ψ: the RMS difference of the stored offsets from the best one's (RFC 5905 peer jitter); 0 with one sample. */
  jitter(best: FilterSample): number {
    if (this.samples.length < 2) return 0;
    let sum = 0;
    for (const s of this.samples) sum += (s.offset - best.offset) ** 2;
    return Math.sqrt(sum / (this.samples.length - 1));
  }

  /** After a step every stored θ is stale (RFC 5905 clears the filter then). */
  clear(): void {
    this.samples = [];
  }

  get length(): number {
    return this.samples.length;
  }
}
