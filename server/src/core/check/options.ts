import type * as A from '../syntax/ast';
import { diagnostic, withFix, type Diagnostic } from '../diagnostics';
import { formatDuration } from '../units';
import { closestName } from './suggest';

/**
 * Typed option schemas. Every `{ key value … }` block (network, link, clock,
 * scenario header, protocol bindings) is validated against one, so the
 * grammar never needs to learn a new key and completion can list them.
 */
export type OptionType =
  | 'duration' // 10ms, may be signed when `signed` is set
  | 'duration-range' // 150ms..300ms or a single duration
  | 'latency' // 10ms | 5ms..20ms | normal(10ms, 2ms) | exponential(5ms)
  | 'percent'
  | 'ppm'
  | 'integer'
  | 'number'
  | 'bool'
  | 'string'
  | 'node' // one declared node
  | 'nodes' // a list of declared nodes (comma separated, ranges allowed)
  | 'choice' // one of `choices`
  | 'choices' // several of `choices`
  | 'node-numbers'; // `M1 = 1, M2 = 2`

export interface OptionSpec {
  readonly key: string;
  readonly type: OptionType;
  readonly doc: string;
  readonly required?: boolean;
  readonly signed?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  /** Shown by completion and hover, e.g. `50ms`. */
  readonly example?: string;
}

export type LatencyModel =
  | { readonly kind: 'fixed'; readonly ns: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  | { readonly kind: 'exponential'; readonly mean: number };

export type OptionValueOut =
  | number
  | boolean
  | string
  | readonly string[]
  | { readonly low: number; readonly high: number }
  | LatencyModel
  | ReadonlyMap<string, number>;

export interface ParsedOptions {
  readonly values: ReadonlyMap<string, OptionValueOut>;
  readonly ranges: ReadonlyMap<string, A.OptionSetting>;
}

/** What the option checker needs from the checker: node resolution. */
export interface OptionContext {
  resolveNodes(refs: readonly A.Value[]): string[] | undefined;
  readonly diagnostics: Diagnostic[];
}

export function describeLatency(l: LatencyModel): string {
  switch (l.kind) {
    case 'fixed': return formatDuration(l.ns);
    case 'uniform': return `${formatDuration(l.low)}..${formatDuration(l.high)}`;
    case 'normal': return `normal(${formatDuration(l.mean)}, ${formatDuration(l.sd)})`;
    case 'exponential': return `exponential(${formatDuration(l.mean)})`;
  }
}

export function checkOptions(
  settings: readonly A.OptionSetting[],
  schema: readonly OptionSpec[],
  where: string,
  ctx: OptionContext,
  blockRange: A.Located['range'],
): ParsedOptions {
  const values = new Map<string, OptionValueOut>();
  const ranges = new Map<string, A.OptionSetting>();
  for (const setting of settings) {
    const spec = schema.find((s) => s.key === setting.key.text);
    if (!spec) {
      const known = schema.map((s) => s.key).join(', ') || 'none';
      const close = closestName(setting.key.text, schema.map((s) => s.key));
      const report = diagnostic('DS126', `${where} has no option '${setting.key.text}'${close ? `; did you mean '${close}'? It takes` : '; it takes'}: ${known}`, setting.key.range);
      ctx.diagnostics.push(close ? withFix(report, { title: `Change to '${close}'`, range: setting.key.range, newText: close }) : report);
      continue;
    }
    if (ranges.has(spec.key)) {
      ctx.diagnostics.push(diagnostic('DS128', `option '${spec.key}' is set twice in ${where}; keep one`, setting.key.range, [
        { message: 'first set here', range: ranges.get(spec.key)!.range },
      ]));
      continue;
    }
    ranges.set(spec.key, setting);
    const parsed = parseOption(setting, spec, ctx);
    if (parsed !== undefined) values.set(spec.key, parsed);
  }
  for (const spec of schema) {
    if (spec.required && !ranges.has(spec.key)) {
      ctx.diagnostics.push(diagnostic('DS127', `${where} needs option '${spec.key}' (${spec.doc}), e.g. '${spec.key} ${spec.example ?? '…'}'`, blockRange));
    }
  }
  return { values, ranges };
}

function parseOption(setting: A.OptionSetting, spec: OptionSpec, ctx: OptionContext): OptionValueOut | undefined {
  const report = (code: Parameters<typeof diagnostic>[0], message: string, range = setting.range): undefined => {
    ctx.diagnostics.push(diagnostic(code, message, range));
    return undefined;
  };
  const first = setting.values[0]!;
  const multi = spec.type === 'nodes' || spec.type === 'choices' || spec.type === 'node-numbers';
  if (!multi && setting.values.length > 1) {
    return report('DS121', `option '${spec.key}' takes one value, not ${setting.values.length}`, setting.values[1]!.range);
  }
  if (spec.type !== 'node-numbers') {
    const withAssignment = setting.values.find((v) => v.assigned);
    if (withAssignment) return report('DS121', `option '${spec.key}' takes no '= value'`, withAssignment.range);
  }
  const v = first.value;
  switch (spec.type) {
    case 'duration': {
      const ns = expectDuration(v, `'${spec.key}'`, ctx);
      if (ns === undefined) return undefined;
      if (ns < 0 && !spec.signed) return report('DS122', `'${spec.key}' cannot be negative`, v.range);
      return bounded(ns, spec, v, ctx, formatDuration);
    }
    case 'duration-range': {
      if (v.kind === 'range') {
        const low = expectDuration(v.low, `'${spec.key}'`, ctx);
        const high = expectDuration(v.high, `'${spec.key}'`, ctx);
        if (low === undefined || high === undefined) return undefined;
        if (low < 0) return report('DS122', `'${spec.key}' cannot be negative`, v.range);
        if (low > high) return report('DS125', `range ${formatDuration(low)}..${formatDuration(high)} is inverted; write the smaller bound first`, v.range);
        return { low, high };
      }
      const ns = expectDuration(v, `'${spec.key}'`, ctx);
      if (ns === undefined) return undefined;
      if (ns < 0) return report('DS122', `'${spec.key}' cannot be negative`, v.range);
      return { low: ns, high: ns };
    }
    case 'latency': return parseLatency(v, spec.key, ctx);
    case 'percent': {
      if (v.kind !== 'percent') return wrongKind(v, spec, 'a percentage such as 1%', ctx);
      if (v.fraction < 0 || v.fraction > 1) return report('DS124', `${v.text} is not a percentage between 0% and 100%`, v.range);
      return v.fraction;
    }
    case 'ppm': {
      if (v.kind === 'number') return report('DS120', `'${spec.key} ${v.text}' needs a unit: write ${v.text}ppm`, v.range);
      if (v.kind !== 'ppm') return wrongKind(v, spec, 'a rate such as +50ppm', ctx);
      return bounded(v.ppm, spec, v, ctx, (x) => `${x}ppm`);
    }
    case 'integer':
    case 'number': {
      if (v.kind !== 'number') return wrongKind(v, spec, spec.type === 'integer' ? 'a whole number' : 'a number', ctx);
      if (spec.type === 'integer' && !Number.isSafeInteger(v.value)) return report('DS121', `'${spec.key}' takes a whole number, not ${v.text}`, v.range);
      return bounded(v.value, spec, v, ctx, String);
    }
    case 'bool':
      if (v.kind !== 'bool') return wrongKind(v, spec, 'true or false', ctx);
      return v.value;
    case 'string':
      if (v.kind !== 'string') return wrongKind(v, spec, 'a quoted string', ctx);
      return v.value;
    case 'choice':
    case 'choices': {
      const picked: string[] = [];
      for (const item of setting.values) {
        const c = item.value;
        if (c.kind !== 'name' || c.args || !spec.choices!.includes(c.name)) {
          return report('DS121', `'${spec.key}' takes ${spec.type === 'choice' ? 'one of' : 'any of'}: ${spec.choices!.join(', ')}`, c.range);
        }
        picked.push(c.name);
      }
      return spec.type === 'choice' ? picked[0]! : picked;
    }
    case 'node':
    case 'nodes': {
      const names = ctx.resolveNodes(setting.values.map((x) => x.value));
      return names === undefined ? undefined : spec.type === 'node' ? names[0]! : names;
    }
    case 'node-numbers': {
      const out = new Map<string, number>();
      for (const item of setting.values) {
        if (!item.assigned || item.assigned.kind !== 'number') {
          return report('DS121', `'${spec.key}' takes 'NODE = number' pairs, e.g. '${spec.key} ${spec.example ?? 'A = 1'}'`, item.range);
        }
        const names = ctx.resolveNodes([item.value]);
        if (names === undefined) return undefined;
        for (const n of names) out.set(n, item.assigned.value);
      }
      return out;
    }
  }
}

function bounded<V extends number>(x: V, spec: OptionSpec, v: A.Value, ctx: OptionContext, show: (n: number) => string): V | undefined {
  if ((spec.min !== undefined && x < spec.min) || (spec.max !== undefined && x > spec.max)) {
    const lo = spec.min !== undefined ? show(spec.min) : '-∞';
    const hi = spec.max !== undefined ? show(spec.max) : '∞';
    ctx.diagnostics.push(diagnostic('DS129', `'${spec.key}' must be between ${lo} and ${hi}`, v.range));
    return undefined;
  }
  return x;
}

function wrongKind(v: A.Value, spec: OptionSpec, wanted: string, ctx: OptionContext): undefined {
  ctx.diagnostics.push(diagnostic('DS121', `'${spec.key}' takes ${wanted}, not ${describeValueKind(v)}`, v.range));
  return undefined;
}

export function describeValueKind(v: A.Value): string {
  switch (v.kind) {
    case 'duration': return `a time (${v.text})`;
    case 'ppm': return `a rate (${v.text})`;
    case 'percent': return `a percentage (${v.text})`;
    case 'number': return `a number (${v.text})`;
    case 'string': return 'a string';
    case 'bool': return 'true/false';
    case 'name': return `the name '${v.name}'`;
    case 'range': return 'a range';
  }
}

/**
 * A time value; reports DS120 for a bare number and DS121 for anything else.
 * `what` is shown as given: quote a keyword or key yourself (`'latency'`).
 */
export function expectDuration(v: A.Value, what: string, ctx: { diagnostics: Diagnostic[] }): number | undefined {
  if (v.kind === 'duration') return v.ns;
  if (v.kind === 'number') {
    ctx.diagnostics.push(withFix(diagnostic('DS120', `${what} needs a time unit: write ${v.text}ms or ${v.text}s (units: ns, us, ms, s, min)`, v.range), { title: `Write ${v.text}ms`, range: v.range, newText: `${v.text}ms` }));
  } else {
    ctx.diagnostics.push(diagnostic('DS121', `${what} takes a time such as 10ms, not ${describeValueKind(v)}`, v.range));
  }
  return undefined;
}

function parseLatency(v: A.Value, key: string, ctx: OptionContext): LatencyModel | undefined {
  const report = (message: string): undefined => {
    ctx.diagnostics.push(diagnostic('DS121', message, v.range));
    return undefined;
  };
  if (v.kind === 'range') {
    const low = expectDuration(v.low, `'${key}'`, ctx);
    const high = expectDuration(v.high, `'${key}'`, ctx);
    if (low === undefined || high === undefined) return undefined;
    if (low < 0) return nonNegative(v, key, ctx);
    if (low > high) {
      ctx.diagnostics.push(diagnostic('DS125', `range ${formatDuration(low)}..${formatDuration(high)} is inverted; write the smaller bound first`, v.range));
      return undefined;
    }
    return { kind: 'uniform', low, high };
  }
  if (v.kind === 'name' && v.args) {
    const args = v.args.map((a) => expectDuration(a, `'${key}'`, ctx));
    if (args.some((a) => a === undefined)) return undefined;
    const [a, b] = args as number[];
    if (args.some((x) => x! < 0)) return nonNegative(v, key, ctx);
    if (v.name === 'normal' && args.length === 2) return { kind: 'normal', mean: a!, sd: b! };
    if ((v.name === 'exponential' || v.name === 'exp') && args.length === 1) return { kind: 'exponential', mean: a! };
    if (v.name === 'uniform' && args.length === 2) return a! <= b! ? { kind: 'uniform', low: a!, high: b! } : report('uniform(low, high) needs low <= high');
    return report(`unknown latency '${v.name}(…)'; use 10ms, 5ms..20ms, normal(mean, sd), exponential(mean) or uniform(low, high)`);
  }
  const ns = expectDuration(v, `'${key}'`, ctx);
  if (ns === undefined) return undefined;
  if (ns < 0) return nonNegative(v, key, ctx);
  return { kind: 'fixed', ns };
}

function nonNegative(v: A.Value, key: string, ctx: OptionContext): undefined {
  ctx.diagnostics.push(diagnostic('DS122', `'${key}' cannot be negative`, v.range));
  return undefined;
}
