/**
 * Hybrid logical clocks (Kulkarni, Demirbas et al., "Logical Physical Clocks",
 * 2014). A timestamp is a pair (l, c): `l` is the largest physical clock
 * reading the node has heard of (its own or through messages), `c` counts
 * events since `l` last changed. HLC order refines happened-before like a
 * Lamport clock, while `l` stays within the clock skew of physical time and
 * never goes backwards, even when the node's own clock is stepped back.
 *
 * `pt` is the node's physical clock reading at the event (its `local` time).
 */
export interface Hlc {
  readonly l: number;
  readonly c: number;
}

export const HLC_ZERO: Hlc = { l: 0, c: 0 };

/** A send or local event: l = max(l, pt); c counts on while l stands still. */
export function hlcTick(h: Hlc, pt: number): Hlc {
  const l = Math.max(h.l, pt);
  return { l, c: l === h.l ? h.c + 1 : 0 };
}

/** Receiving a message stamped `m`: l = max(l, m.l, pt) and c from whichever parts held the maximum. */
export function hlcReceive(h: Hlc, m: Hlc, pt: number): Hlc {
  const l = Math.max(h.l, m.l, pt);
  if (l === h.l && l === m.l) return { l, c: Math.max(h.c, m.c) + 1 };
  if (l === h.l) return { l, c: h.c + 1 };
  if (l === m.l) return { l, c: m.c + 1 };
  return { l, c: 0 };
}

/** HLC order: by l, then c. Negative when a < b. */
export function compareHlc(a: Hlc, b: Hlc): number {
  return a.l !== b.l ? a.l - b.l : a.c - b.c;
}

export function formatHlc(h: Hlc): string {
  return `${h.l}.${h.c}`;
}
