/**
 * PTP's best master clock algorithm (IEEE 1588 §9.3), simplified to the
 * fields that decide in practice: priority1, then clock quality (clockClass),
 * then identity. Lower wins everywhere. Identity here is the node's position
 * in the declaration order, so ties break the same way on every node.
 */
export interface ClockDataset {
  readonly name: string;
  /** priority1: 0..255, default 128. */
  readonly priority: number;
  /** clockClass: 6 = locked to a primary reference, 7 = holdover, 248 = default, 255 = slave only. */
  readonly quality: number;
  readonly order: number;
}

export const DEFAULT_PRIORITY = 128;
export const DEFAULT_QUALITY = 248;
/** clockClass 255: the clock never becomes master. */
export const SLAVE_ONLY = 255;

/** Negative when `a` is the better master. */
export function compareDatasets(a: ClockDataset, b: ClockDataset): number {
  return a.priority - b.priority || a.quality - b.quality || a.order - b.order;
}

export function canBeMaster(d: ClockDataset): boolean {
  return d.quality < SLAVE_ONLY;
}

/** The best master among the candidates that may be master, or undefined. */
export function bestMaster(candidates: readonly ClockDataset[]): ClockDataset | undefined {
  let best: ClockDataset | undefined;
  for (const c of candidates) if (canBeMaster(c) && (!best || compareDatasets(c, best) < 0)) best = c;
  return best;
}

export function describeDataset(d: ClockDataset): string {
  return `priority ${d.priority}, quality ${d.quality}`;
}
