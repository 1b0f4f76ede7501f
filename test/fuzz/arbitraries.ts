import fc from 'fast-check';

/**
 * fast-check arbitraries for DSync text: a grammar-aware scenario generator
 * (mostly valid files, so the checker and simulator are reached) and
 * mutators that break text the ways an editor does (random edits,
 * truncation, huge numbers, deep nesting, arbitrary Unicode).
 */

/** Node names: ASCII, Unicode letters of several scripts, underscores, keyword look-alikes. */
const NODE_NAMES = ['A', 'B', 'C', 'D', 'Zürich', '北京', 'ñandú', 'Ωmega', '_x1', 'node_2', 'Ärger', 'δ', 'scenarioX', 'москва'];
const LABELS = ['hello', 'hi', 'ping', 'pong', 'x', '<script>alert(1)</script>', '../../etc/passwd', 'ünï', '', 'a b c'];
const INVARIANT_FORMS = ['causal_delivery', 'max_skew < 10ms', 'max_skew <= 1s', 'monotonic_clocks', 'no_message_lost', 'max_offset < 5ms'];
/** Wrong forms, drawn rarely: they exercise the checker's messages, not the simulator. */
const WRONG_INVARIANT_FORMS = ['max_skew', 'causal_delivery < 3', 'nonexistent_invariant', 'converges within 1s'];

export const duration = fc.oneof(
  fc.constantFrom('0ms', '1ms', '5ms', '10ms', '250us', '100ns', '1.5s', '2s', '40ms', '1us'),
  fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.constantFrom('ns', 'us', 'ms', 's')).map(([n, u]) => `${n}${u}`),
);
/** Times inside a 2 s run (mostly), so scripted events actually happen. */
const when = fc.integer({ min: 0, max: 1900 }).map((ms) => `${ms}ms`);
const percent = fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`);
const ppm = fc.integer({ min: -500, max: 500 }).map((p) => `${p >= 0 ? '+' : ''}${p}ppm`);
const label = fc.constantFrom(...LABELS).map((l) => JSON.stringify(l));

function statementsFor(nodes: readonly string[]): fc.Arbitrary<string>[] {
  const node = fc.constantFrom(...nodes);
  // Two different nodes when there are two (links and partitions need them); else the same one, an error the checker reports.
  const pair = fc.shuffledSubarray([...nodes], { minLength: Math.min(2, nodes.length), maxLength: Math.min(2, nodes.length) }).map((p) => [p[0]!, p[1] ?? p[0]!] as const);
  const ordered = fc.tuple(duration, duration).map(([a, b]) => (durationNs(a) <= durationNs(b) ? `${a}..${b}` : `${b}..${a}`));
  const latency = fc.oneof(duration, ordered, fc.tuple(duration, duration).map(([m, s]) => `normal(${m}, ${s})`), duration.map((m) => `exponential(${m})`));
  const action = fc.oneof(
    fc.tuple(node, label).map(([n, l]) => `send ${n} ${l}`),
    label.map((l) => `reply ${l}`),
    label.map((l) => `broadcast ${l}`),
    label.map((l) => `local ${l}`),
    fc.tuple(duration, node, label).map(([d, n, l]) => `after ${d} send ${n} ${l}`),
  );
  const fault = fc.oneof(
    fc.tuple(when, pair).map(([t, [a, b]]) => `at ${t} partition {${a}} | {${b}}`),
    when.map((t) => `at ${t} heal`),
    fc.tuple(when, node).map(([t, n]) => `at ${t} crash ${n}`),
    fc.tuple(when, node).map(([t, n]) => `at ${t} restart ${n}`),
    fc.tuple(when, node, duration, fc.boolean()).map(([t, n, d, neg]) => `at ${t} clock ${n} jump ${neg ? '-' : '+'}${d}`),
    fc.tuple(when, node, ppm).map(([t, n, p]) => `at ${t} clock ${n} drift ${p}`),
    fc.tuple(when, pair, duration).map(([t, [a, b], d]) => `at ${t} drop ${a} -> ${b} for ${d}`),
    fc.tuple(when, pair, duration, duration).map(([t, [a, b], d, f]) => `at ${t} delay ${a} <-> ${b} by ${d} for ${f}`),
  );
  return [
    fc.tuple(pair, fc.constantFrom('->', '<->'), latency).map(([[a, b], arrow, d]) => `link ${a} ${arrow} ${b} { latency ${d} }`),
    fc.tuple(node, fc.integer({ min: -50, max: 50 }), ppm).map(([n, o, p]) => `clock ${n} { offset ${o >= 0 ? '+' : ''}${o}ms drift ${p} resolution 1us }`),
    fc.tuple(when, node, node, label).map(([t, a, b, l]) => `at ${t} ${a} -> ${b} ${l}`),
    fc.tuple(when, node, label).map(([t, a, l]) => `at ${t} ${a} local ${l}`),
    fc.tuple(fc.integer({ min: 1, max: 500 }), node, label, when).map(([d, a, l, u]) => `every ${d}ms ${a} -> * ${l} from 0s until ${u}`),
    fc.tuple(node, label, fc.option(node, { nil: undefined }), fc.array(action, { minLength: 1, maxLength: 3 }))
      .map(([n, l, from, acts]) => `on ${n} receive ${l}${from ? ` from ${from}` : ''} { ${acts.join('; ')} }`),
    fc.array(fault, { minLength: 1, maxLength: 4 }).map((fs) => `faults {\n  ${fs.join('\n  ')}\n}`),
    fc.constantFrom(...INVARIANT_FORMS).map((i) => `invariant ${i}`),
    fc.tuple(node, fc.constantFrom('lamport', 'crashes'), fc.constantFrom('>=', '<', '==', '!='), fc.integer({ min: 0, max: 10 }))
      .map(([n, p, c, v]) => `expect ${n}.${p} ${c} ${v} at end`),
    fc.tuple(node, fc.boolean(), when).map(([n, b, t]) => `expect ${n}.alive == ${b} at ${t}`),
  ];
}

/** Statements that are usually wrong (the checker's side); drawn rarely. */
function wrongStatementsFor(nodes: readonly string[]): fc.Arbitrary<string> {
  const node = fc.constantFrom(...nodes);
  return fc.oneof(
    fc.constantFrom(...WRONG_INVARIANT_FORMS).map((i) => `invariant ${i}`),
    node.map((n) => `link ${n} <-> ${n} { latency 1ms }`),
    fc.tuple(node, fc.constantFrom('clock', 'alive')).map(([n, p]) => `expect ${n}.${p} >= 3 at end`),
    node.map((n) => `at 5s ${n} local "late"`),
    node.map((n) => `every 0ms ${n} -> * "spin"`),
  );
}

const UNITS_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
function durationNs(text: string): number {
  const m = /^([\d.]+)(ns|us|ms|s)$/.exec(text)!;
  return Number(m[1]) * UNITS_NS[m[2]!]!;
}

/** A scenario file: header, nodes, then random statements over those nodes. Mostly valid. */
export const scenarioText: fc.Arbitrary<string> = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...NODE_NAMES), { minLength: 2, maxLength: 5 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom('2s', '3s'))
  .chain(([nodes, seed, length]) => {
    const network = fc.tuple(fc.oneof(duration, fc.constant('5ms..20ms')), percent, percent).map(([l, p, d]) => `network { latency ${l}  loss ${p}  duplicate ${d} }`);
    const statement = fc.oneof({ weight: 12, arbitrary: fc.oneof(...statementsFor(nodes)) }, { weight: 1, arbitrary: wrongStatementsFor(nodes) });
    return fc.tuple(fc.option(network, { nil: undefined }), fc.array(statement, { maxLength: 10 })).map(([net, body]) =>
      [`scenario fuzz_${seed % 1000} {`, `  seed ${seed}`, `  run for ${length}`, '}', `nodes ${nodes.join(', ')}`, ...(net ? [net] : []), ...body, ''].join('\n'),
    );
  });

// ---- mutators -------------------------------------------------------------

const SNIPPETS = ['{', '}', '(', ')', '->', '<->', '..', '"', '/*', '*/', '//', '\n', ';', ',', '|', '*', '=', 'at', 'nodes', 'scenario', 'faults', 'on', '1e308ms', '99999999999999999999s', '-1ms', '0ppm', '1e-400s', '100%', '1000000%', 'NaN', 'Infinity', '\u0000', '\uFEFF', '\uD800', '😀', 'é', '\r\n', '\t'];

/** Any text: printable, Unicode, control characters, lone surrogates. */
export const randomText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.array(fc.constantFrom(...SNIPPETS), { maxLength: 60 }).map((parts) => parts.join(' ')),
);

export type Mutation =
  | { readonly kind: 'edit'; readonly at: number; readonly remove: number; readonly insert: string }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'huge-number'; readonly nth: number; readonly value: string }
  | { readonly kind: 'nest'; readonly at: number; readonly open: string; readonly depth: number; readonly closed: boolean }
  | HostileMutation;

/**
 * The hostile shapes of issue 13, each aimed at a limit: calls and `after`
 * chains nested past MAX_NESTING (the grammar recurses on them), node ranges
 * past 2^53 or hundreds of digits long, a line repeated hundreds of times
 * (the diagnostics cap, checks linear in the text), and files whose lines end
 * in CR only or CRLF.
 */
export type HostileMutation =
  | { readonly kind: 'nest-calls'; readonly at: number; readonly depth: number; readonly closed: boolean; readonly chain: boolean }
  | { readonly kind: 'huge-range'; readonly nth: number; readonly range: string }
  | { readonly kind: 'repeat-line'; readonly nth: number; readonly times: number }
  | { readonly kind: 'line-ends'; readonly eol: '\r' | '\r\n' };

/** Positions are fractions of the text's length so one mutation fits any text. */
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

/** One hostile shape (see HostileMutation), as one mutation family among the others. */
const hostileMutation: fc.Arbitrary<HostileMutation> = fc.oneof(
  fc.record({ kind: fc.constant('nest-calls' as const), at: fraction, depth: fc.integer({ min: 50, max: 3000 }), closed: fc.boolean(), chain: fc.boolean() }),
  fc.record({
    kind: fc.constant('huge-range' as const),
    nth: fc.nat(10),
    range: fc.constantFrom('n9007199254740992..n9007199254740994', `n1${'0'.repeat(400)}..n9${'0'.repeat(400)}`, 'n1..n99999999999999999999', 'n0..n1000', 'n1..n1000', 'x007..x009', 'n5..n1'),
  }),
  fc.record({ kind: fc.constant('repeat-line' as const), nth: fc.nat(60), times: fc.integer({ min: 2, max: 250 }) }),
  fc.record({ kind: fc.constant('line-ends' as const), eol: fc.constantFrom('\r' as const, '\r\n' as const) }),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), at: fraction, remove: fc.integer({ min: 0, max: 30 }), insert: fc.oneof(fc.constantFrom(...SNIPPETS), randomText) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('huge-number' as const),
      nth: fc.nat(40),
      value: fc.constantFrom('1e308', '99999999999999999999', '1e-400', '0.000000000001', '18446744073709551617', '9007199254740993', '1' + '0'.repeat(400)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), at: fraction, open: fc.constantFrom('{', '(', '{(', '['), depth: fc.integer({ min: 1, max: 3000 }), closed: fc.boolean() }) },
  { weight: 1, arbitrary: hostileMutation },
);

const CLOSER: Readonly<Record<string, string>> = { '{': '}', '(': ')', '[': ']' };

/** Applies one mutation; total and deterministic. */
export function mutate(text: string, m: Mutation): string {
  const pos = (f: number): number => Math.min(text.length, Math.floor(f * (text.length + 1)));
  switch (m.kind) {
    case 'edit': {
      const at = pos(m.at);
      return text.slice(0, at) + m.insert + text.slice(at + m.remove);
    }
    case 'truncate':
      return text.slice(0, pos(m.at));
    case 'huge-number': {
      const numbers = [...text.matchAll(/\d+(\.\d+)?/g)];
      if (numbers.length === 0) return text + ` ${m.value}`;
      const hit = numbers[m.nth % numbers.length]!;
      return text.slice(0, hit.index) + m.value + text.slice(hit.index! + hit[0].length);
    }
    case 'nest': {
      const at = pos(m.at);
      const opens = m.open.repeat(m.depth);
      const closes = m.closed ? [...opens].reverse().map((c) => CLOSER[c] ?? c).join('') : '';
      return text.slice(0, at) + opens + closes + text.slice(at);
    }
    case 'nest-calls': {
      const at = pos(m.at);
      const deep = m.chain ? `on A receive "x" { ${'after 1ms '.repeat(m.depth)}send B "y" }\n` : `network { latency ${'f('.repeat(m.depth)}1ms${m.closed ? ')'.repeat(m.depth) : ''} }\n`;
      return text.slice(0, at) + deep + text.slice(at);
    }
    case 'huge-range': {
      const declarations = [...text.matchAll(/\bnodes\s+[^\s,]+/g)];
      if (declarations.length === 0) return `${text}\nnodes ${m.range}\n`;
      const hit = declarations[m.nth % declarations.length]!;
      return `${text.slice(0, hit.index)}nodes ${m.range}${text.slice(hit.index! + hit[0].length)}`;
    }
    case 'repeat-line': {
      const lines = text.split('\n');
      const i = m.nth % lines.length;
      lines.splice(i, 0, ...Array.from({ length: m.times }, () => lines[i]!));
      return lines.join('\n');
    }
    case 'line-ends':
      return text.replace(/\r?\n/g, m.eol);
  }
}

/** Text derived from a base (a sample or a generated scenario) by a few mutations. */
export function mutatedFrom(bases: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(bases, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => ms.reduce(mutate, text));
}

/** Editor edits: a position (fraction of the current text), how much to replace, and the new text. */
export const edits: fc.Arbitrary<{ readonly at: number; readonly length: number; readonly insert: string }[]> = fc.array(
  fc.record({ at: fraction, length: fc.integer({ min: 0, max: 20 }), insert: fc.oneof(fc.constantFrom(...SNIPPETS, ''), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })) }),
  { minLength: 1, maxLength: 8 },
);

/** Every input family the properties draw from, given the sample texts. */
export function anyInput(samples: readonly string[]): fc.Arbitrary<string> {
  const sample = fc.constantFrom(...samples);
  return fc.oneof(
    { weight: 3, arbitrary: scenarioText },
    { weight: 3, arbitrary: mutatedFrom(sample) },
    { weight: 2, arbitrary: mutatedFrom(scenarioText) },
    { weight: 1, arbitrary: randomText },
  );
}
