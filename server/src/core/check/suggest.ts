/**
 * "Did you mean …?" for every unknown name (nodes, protocols, options,
 * properties, invariants). A suggestion must be plausibly what was meant:
 * case aside, at most one edit for names of 3 to 5 characters, two for
 * longer ones, none for one- or two-character names (`C` is not a typo of
 * `A`). Among several, the nearest wins, then the first listed.
 */
export function maxTypoDistance(length: number): number {
  return length <= 2 ? 0 : length <= 5 ? 1 : 2;
}

/**
 * Work one check pass may spend on suggestions, in edit-distance table cells.
 * Past it names are still reported, without a suggestion: 8,000 unknown
 * names against 1,000 nodes must not take seconds.
 */
export const SUGGESTION_BUDGET = 10_000_000;

/** Finds close names among a fixed candidate list: indexed by length, answers cached per name, within a shared budget. */
export class Suggester {
  private readonly byLength = new Map<number, { name: string; lower: string; order: number }[]>();
  private readonly answers = new Map<string, string | undefined>();

  constructor(candidates: readonly string[], private readonly budget: { cells: number } = { cells: SUGGESTION_BUDGET }) {
    candidates.forEach((name, order) => {
      const lower = name.toLowerCase();
      const bucket = this.byLength.get(lower.length);
      const entry = { name, lower, order };
      if (bucket) bucket.push(entry);
      else this.byLength.set(lower.length, [entry]);
    });
  }

  /** The candidate `name` most plausibly misspells, if any. */
  closest(name: string): string | undefined {
    if (this.answers.has(name)) return this.answers.get(name);
    const lower = name.toLowerCase();
    const limit = maxTypoDistance(lower.length);
    let best: { name: string; distance: number; order: number } | undefined;
    for (let len = lower.length - limit; len <= lower.length + limit; len++) {
      for (const c of this.byLength.get(len) ?? []) {
        if (this.budget.cells <= 0) break;
        this.budget.cells -= (lower.length + 1) * (2 * limit + 1);
        const d = boundedDistance(lower, c.lower, best ? Math.min(limit, best.distance) : limit);
        if (d === undefined) continue;
        if (!best || d < best.distance || (d === best.distance && c.order < best.order)) best = { name: c.name, distance: d, order: c.order };
      }
    }
    this.answers.set(name, best?.name);
    return best?.name;
  }
}

/** The candidate `name` most plausibly misspells, for short candidate lists (options, protocols, properties, invariants). */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  return new Suggester(candidates).closest(name);
}

/**
 * The Damerau (optimal string alignment) distance between `a` and `b` when it
 * is at most `limit`, else undefined. Only a band of width 2·limit+1 around
 * the diagonal is computed, so it costs O(|a| · limit).
 */
export function boundedDistance(a: string, b: string, limit: number): number | undefined {
  if (Math.abs(a.length - b.length) > limit) return undefined;
  if (limit === 0) return a === b ? 0 : undefined;
  const INF = limit + 1;
  const width = b.length + 1;
  // Three rows (two back, for transpositions) in one allocation.
  const rows = new Int32Array(3 * width).fill(INF);
  let prev2 = 0;
  let prev = width;
  let row = 2 * width;
  for (let j = 0; j <= Math.min(limit, b.length); j++) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i++) {
    rows.fill(INF, row, row + width);
    rows[row] = i <= limit ? i : INF;
    let rowMin = rows[row]!;
    const to = Math.min(b.length, i + limit);
    for (let j = Math.max(1, i - limit); j <= to; j++) {
      let d = Math.min(rows[prev + j]! + 1, rows[row + j - 1]! + 1, rows[prev + j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, rows[prev2 + j - 2]! + 1);
      rows[row + j] = Math.min(d, INF);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return undefined;
    const oldest = prev2;
    prev2 = prev;
    prev = row;
    row = oldest;
  }
  const d = rows[prev + b.length]!;
  return d <= limit ? d : undefined;
}
