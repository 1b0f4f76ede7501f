/**
 * Text for times and clocks as the diagram shows them. Times are integer
 * nanoseconds of true time (or a node's local clock reading).
 */

const UNITS: readonly { readonly size: number; readonly name: string }[] = [
  { size: 1e9, name: 's' },
  { size: 1e6, name: 'ms' },
  { size: 1e3, name: 'µs' },
  { size: 1, name: 'ns' },
];

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** The unit whose size is at most |ns| (ns for zero). */
function unitFor(ns: number): { readonly size: number; readonly name: string } {
  const abs = Math.abs(ns);
  return UNITS.find((u) => abs >= u.size) ?? UNITS[UNITS.length - 1]!;
}

/**
 * Exact to the nanosecond, for tooltips: `17.361121ms`, `1.7s`, `-1.2µs`.
 * The largest unit that keeps the number ≥ 1; trailing zeros dropped.
 */
export function formatTime(ns: number, signed = false): string {
  const sign = ns < 0 ? '-' : signed && ns > 0 ? '+' : '';
  const abs = Math.abs(ns);
  const unit = unitFor(abs);
  const digits = Math.round(Math.log10(unit.size));
  return `${sign}${trimZeros((abs / unit.size).toFixed(digits))}${unit.name}`;
}

/** Short, for labels on the diagram: at most `decimals` decimals (default 3). */
export function formatTimeShort(ns: number, signed = false, decimals = 3): string {
  const sign = ns < 0 ? '-' : signed && ns > 0 ? '+' : '';
  const abs = Math.abs(ns);
  const unit = unitFor(abs);
  return `${sign}${trimZeros((abs / unit.size).toFixed(decimals))}${unit.name}`;
}

/**
 * Labels for axis ticks `step` apart in a window reaching `extent`: one unit
 * for the whole axis (chosen by the largest value shown) with just enough
 * decimals to tell neighbouring ticks apart, so ticks read `0, 0.25s, 0.5s`
 * or `1.70001s, 1.70002s` when zoomed in.
 */
export function tickFormatter(step: number, extent: number): (ns: number) => string {
  const unit = unitFor(Math.max(Math.abs(extent), step));
  const decimals = Math.max(0, Math.min(9, Math.ceil(-Math.log10(step / unit.size) - 1e-9)));
  return (ns) => {
    if (ns === 0) return '0';
    return `${trimZeros((ns / unit.size).toFixed(decimals))}${unit.name}`;
  };
}

/** A vector clock as `[A:1 B:2 C:0]`. */
export function formatVectorClock(vc: readonly number[], names: readonly string[]): string {
  return `[${vc.map((v, i) => `${names[i] ?? `#${i}`}:${v}`).join(' ')}]`;
}

/** Cuts long user text for on-diagram labels (the tooltip shows all of it). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
