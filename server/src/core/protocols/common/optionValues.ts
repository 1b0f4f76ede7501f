import type { OptionValueOut } from '../../check/options';

export interface DurationRange {
  readonly low: number;
  readonly high: number;
}

/**
 * Typed reads of a protocol's checked options. The checker has already
 * validated every value against the protocol's `OptionSpec`s, so a key is
 * either absent (the fallback applies) or holds a value of its declared type.
 */
export class OptionValues {
  constructor(private readonly values: ReadonlyMap<string, OptionValueOut>) {}

  has(key: string): boolean {
    return this.values.has(key);
  }
  number(key: string, fallback: number): number {
    return (this.values.get(key) as number | undefined) ?? fallback;
  }
  bool(key: string, fallback: boolean): boolean {
    return (this.values.get(key) as boolean | undefined) ?? fallback;
  }
  string(key: string, fallback: string): string {
    return (this.values.get(key) as string | undefined) ?? fallback;
  }
  node(key: string): string | undefined {
    return this.values.get(key) as string | undefined;
  }
  nodes(key: string): readonly string[] {
    return (this.values.get(key) as readonly string[] | undefined) ?? [];
  }
  /** A `duration-range` option (`20ms..40ms`, or one duration meaning low = high). */
  range(key: string, fallback: DurationRange): DurationRange {
    return (this.values.get(key) as DurationRange | undefined) ?? fallback;
  }
}

/** A whole number of nanoseconds drawn uniformly from [low, high] with the node's own stream. */
export function draw(range: DurationRange, random: () => number): number {
  return range.low === range.high ? range.low : range.low + Math.floor(random() * (range.high - range.low + 1));
}

/** Uniformly chosen element; `items` must not be empty. */
export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}
