/**
 * Quantities. All times inside DSync are numbers of nanoseconds (float64 holds
 * every integer nanosecond up to ~104 days exactly). Drift is in parts per
 * million, loss and duplication as fractions in [0, 1].
 */
export const NS = 1;
export const US = 1_000;
export const MS = 1_000_000;
export const SECOND = 1_000_000_000;
export const MINUTE = 60 * SECOND;

export const TIME_UNITS: Readonly<Record<string, number>> = {
  ns: NS,
  us: US,
  µs: US,
  ms: MS,
  s: SECOND,
  min: MINUTE,
};

/** Parses the text of a Duration token such as `+3ms`, `1.5s`, `-40us`. */
export function parseDuration(text: string): number {
  // The common shape (digits, then a unit) without a regex: the parser reads one per time literal of a large file.
  const unit = durationUnit(text);
  if (unit !== undefined && isDecimal(text, text.length - unit.length)) return Math.round(Number(text.slice(0, text.length - unit.length)) * TIME_UNITS[unit]!);
  const match = /^([+-]?\d+(?:\.\d+)?)(ns|us|µs|ms|s|min)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Math.round(Number(match[1]) * TIME_UNITS[match[2]!]!);
}

/** The unit `text` ends with, if any (`min` and the two-letter units before `s`). */
function durationUnit(text: string): string | undefined {
  if (text.endsWith('min')) return 'min';
  for (const unit of ['ns', 'us', 'µs', 'ms']) if (text.endsWith(unit)) return unit;
  return text.endsWith('s') ? 's' : undefined;
}

/** Whether `text[0, end)` is `[+-]?\d+(\.\d+)?`. */
function isDecimal(text: string, end: number): boolean {
  let i = text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45 ? 1 : 0;
  const isDigit = (k: number): boolean => k < end && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57;
  if (!isDigit(i)) return false;
  while (isDigit(i)) i++;
  if (i === end) return true;
  if (text.charCodeAt(i) !== 46 || !isDigit(i + 1)) return false;
  i++;
  while (isDigit(i)) i++;
  return i === end;
}

/**
 * Formats nanoseconds for people: the largest unit that keeps the number
 * readable, at most 3 decimals, trailing zeros dropped. `1_710_000_000` →
 * `1.71s`, `14_200_000` → `14.2ms`.
 */
export function formatDuration(ns: number, signed = false): string {
  const sign = ns < 0 ? '-' : signed ? '+' : '';
  const abs = Math.abs(ns);
  let value: number;
  let unit: string;
  if (abs >= SECOND) [value, unit] = [abs / SECOND, 's'];
  else if (abs >= MS) [value, unit] = [abs / MS, 'ms'];
  else if (abs >= US) [value, unit] = [abs / US, 'us'];
  else [value, unit] = [abs, 'ns'];
  const text = value.toFixed(3).replace(/\.?0+$/, '');
  return `${sign}${text}${unit}`;
}

/**
 * Like formatDuration, but with every decimal a whole number of nanoseconds
 * needs, so two different times never read the same: `1_000_001` →
 * `1.000001ms` (formatDuration says `1ms`). For verdicts on exact times.
 */
export function formatDurationExact(ns: number, signed = false): string {
  if (!Number.isSafeInteger(ns)) return formatDuration(ns, signed);
  const sign = ns < 0 ? '-' : signed ? '+' : '';
  const abs = Math.abs(ns);
  const [unit, name] = abs >= SECOND ? [SECOND, 's'] : abs >= MS ? [MS, 'ms'] : abs >= US ? [US, 'us'] : [NS, 'ns'];
  const whole = Math.floor(abs / unit);
  const rest = abs - whole * unit;
  const decimals = rest === 0 ? '' : `.${String(rest).padStart(String(unit).length - 1, '0').replace(/0+$/, '')}`;
  return `${sign}${whole}${decimals}${name}`;
}

/** Fixed-width true-time column for timelines: seconds with 6 decimals. */
export function formatClockReading(ns: number): string {
  const sign = ns < 0 ? '-' : '';
  return `${sign}${(Math.abs(ns) / SECOND).toFixed(6)}s`;
}

export function parsePercent(text: string): number {
  return Number(text.slice(0, -1)) / 100;
}

export function parsePpm(text: string): number {
  return Number(text.slice(0, -3));
}

export function formatPpm(ppm: number): string {
  return `${ppm >= 0 ? '+' : ''}${ppm}ppm`;
}
