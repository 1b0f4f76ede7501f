/**
 * NTP's system process (RFC 5905, section 11.2): from the peers' filtered
 * samples, which servers to believe and what offset to steer by.
 *
 * Each candidate is a server with its offset θ (server minus client) and its
 * root distance λ: the most its θ can be wrong (half the round trip, the
 * dispersion grown since the sample, the server's own distance from its
 * source). [θ − λ, θ + λ] is its correctness interval: a server telling the
 * truth has true time in it.
 *
 * 1. Selection (11.2.1, Marzullo's intersection algorithm as NTP adapts
 *    it): the smallest interval that intersects the correctness intervals of
 *    a majority, allowing f = 0, 1, … falsetickers while 2f < n. Candidates
 *    whose θ lies inside it are truechimers, the rest falsetickers. When no
 *    majority agrees (two servers whose intervals do not overlap), nothing is
 *    selected: the client does not follow either.
 * 2. Clustering (11.2.2): while more than MIN_SURVIVORS remain, drop the
 *    survivor with the largest selection jitter (RMS distance of its θ from
 *    the others'), unless that is already below the smallest peer jitter.
 * 3. Combining (11.2.3): the system offset is the survivors' θ weighted by
 *    1/λ; the system peer is the best survivor by stratum, then λ.
 */

/** RFC 5905 MINDISP: a root distance is at least this half round trip (10ms / 2). */
export const MIN_DISPERSION = 10_000_000;
/** RFC 5905 NMIN (MINCLOCK): clustering stops at this many survivors. */
export const MIN_SURVIVORS = 3;
/** RFC 5905 MAXDIST, ns: ranks stratum before distance in the survivors' order. */
const MAX_DISTANCE = 1_000_000_000;

export interface Candidate {
  readonly name: string;
  readonly stratum: number;
  /** θ: the server's clock minus this node's, brought up to date. */
  readonly offset: number;
  /** λ: root distance, > 0. */
  readonly distance: number;
  /** ψ: the peer's own jitter (RMS of its filter's offsets about the best). */
  readonly jitter: number;
}

export type Selection =
  | { readonly kind: 'selected'; readonly survivors: readonly Candidate[]; readonly falsetickers: readonly Candidate[]; readonly outliers: readonly Candidate[]; readonly offset: number; readonly systemPeer: Candidate }
  | { readonly kind: 'no-majority'; readonly candidates: readonly Candidate[] }
  | { readonly kind: 'none' };

/** The intersection interval [low, high] of a majority, or undefined when none exists (RFC 5905 A.5.5.1). */
export function intersection(candidates: readonly Candidate[]): { low: number; high: number } | undefined {
  const n = candidates.length;
  if (n === 0) return undefined;
  // Endpoints: lower −1, midpoint 0, upper +1; sorted by value (at equal values lower ends first, so touching intervals meet).
  const edges = candidates.flatMap((c) => [
    { value: c.offset - c.distance, type: -1 },
    { value: c.offset, type: 0 },
    { value: c.offset + c.distance, type: 1 },
  ]);
  edges.sort((a, b) => a.value - b.value || a.type - b.type);
  for (let allow = 0; 2 * allow < n; allow++) {
    let found = 0;
    let chime = 0;
    let low = Infinity;
    for (const e of edges) {
      chime -= e.type;
      if (chime >= n - allow) {
        low = e.value;
        break;
      }
      if (e.type === 0) found++;
    }
    chime = 0;
    let high = -Infinity;
    for (let i = edges.length - 1; i >= 0; i--) {
      const e = edges[i]!;
      chime += e.type;
      if (chime >= n - allow) {
        high = e.value;
        break;
      }
      if (e.type === 0) found++;
    }
    // More midpoints outside than falsetickers allowed: allow one more.
    if (found > allow) continue;
    if (high >= low) return { low, high };
  }
  return undefined;
}

/** Selection, clustering and combining over the candidates; `current` is the system peer so far (kept while it survives, against clock hopping). */
export function selectAndCombine(candidates: readonly Candidate[], current: string | undefined): Selection {
  if (candidates.length === 0) return { kind: 'none' };
  const interval = intersection(candidates);
  if (!interval) return { kind: 'no-majority', candidates };
  const truechimers = candidates.filter((c) => c.offset >= interval.low && c.offset <= interval.high);
  const falsetickers = candidates.filter((c) => !truechimers.includes(c));
  if (truechimers.length === 0) return { kind: 'no-majority', candidates };
  const survivors = [...truechimers].sort((a, b) => metric(a) - metric(b));
  const outliers: Candidate[] = [];
  while (survivors.length > MIN_SURVIVORS) {
    let worst = 0;
    let worstJitter = -1;
    for (let i = 0; i < survivors.length; i++) {
      const jitter = selectionJitter(survivors, i);
      if (jitter > worstJitter) [worst, worstJitter] = [i, jitter];
    }
    const leastPeerJitter = Math.min(...survivors.map((c) => c.jitter));
    if (worstJitter <= leastPeerJitter) break;
    outliers.push(...survivors.splice(worst, 1));
  }
  let weights = 0;
  let sum = 0;
  for (const c of survivors) {
    weights += 1 / c.distance;
    sum += c.offset / c.distance;
  }
  // One survivor: its own offset, without the rounding of a weighted mean of one.
  const offset = survivors.length === 1 ? survivors[0]!.offset : sum / weights;
  const kept = survivors.find((c) => c.name === current);
  const systemPeer = kept && kept.stratum === survivors[0]!.stratum ? kept : survivors[0]!;
  return { kind: 'selected', survivors, falsetickers, outliers, offset, systemPeer };
}

function metric(c: Candidate): number {
  return MAX_DISTANCE * c.stratum + c.distance;
}

/** φ_i: the RMS difference of survivor i's offset from the others' (RFC 5905 11.2.2). */
function selectionJitter(survivors: readonly Candidate[], i: number): number {
  let sum = 0;
  for (const c of survivors) sum += (c.offset - survivors[i]!.offset) ** 2;
  return Math.sqrt(sum / (survivors.length - 1));
}
