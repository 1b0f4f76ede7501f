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
const INVARIANT_FORMS = [
  'causal_delivery', 'max_skew < 10ms', 'max_skew <= 1s', 'monotonic_clocks', 'no_message_lost', 'max_offset < 5ms',
  'converges within 1s', 'max_skew', 'causal_delivery < 3', 'nonexistent_invariant',
];

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
  const latency = fc.oneof(duration, fc.tuple(duration, duration).map(([a, b]) => `${a}..${b}`), fc.tuple(duration, duration).map(([m, s]) => `normal(${m}, ${s})`), duration.map((m) => `exponential(${m})`));
  const action = fc.oneof(
    fc.tuple(node, label).map(([n, l]) => `send ${n} ${l}`),
    label.map((l) => `reply ${l}`),
    label.map((l) => `broadcast ${l}`),
    label.map((l) => `local ${l}`),
    fc.tuple(duration, node, label).map(([d, n, l]) => `after ${d} send ${n} ${l}`),
  );
  const fault = fc.oneof(
    fc.tuple(when, node, node).map(([t, a, b]) => `at ${t} partition {${a}} | {${b}}`),
    when.map((t) => `at ${t} heal`),
    fc.tuple(when, node).map(([t, n]) => `at ${t} crash ${n}`),
    fc.tuple(when, node).map(([t, n]) => `at ${t} restart ${n}`),
    fc.tuple(when, node, duration, fc.boolean()).map(([t, n, d, neg]) => `at ${t} clock ${n} jump ${neg ? '-' : '+'}${d}`),
    fc.tuple(when, node, ppm).map(([t, n, p]) => `at ${t} clock ${n} drift ${p}`),
    fc.tuple(when, node, node, duration).map(([t, a, b, d]) => `at ${t} drop ${a} -> ${b} for ${d}`),
    fc.tuple(when, node, node, duration, duration).map(([t, a, b, d, f]) => `at ${t} delay ${a} <-> ${b} by ${d} for ${f}`),
  );
  return [
    fc.tuple(latency, percent, percent).map(([l, p, d]) => `network { latency ${l}  loss ${p}  duplicate ${d} }`),
    fc.tuple(node, node, fc.constantFrom('->', '<->'), duration).map(([a, b, arrow, d]) => `link ${a} ${arrow} ${b} { latency ${d} }`),
    fc.tuple(node, fc.integer({ min: -50, max: 50 }), ppm).map(([n, o, p]) => `clock ${n} { offset ${o >= 0 ? '+' : ''}${o}ms drift ${p} resolution 1us }`),
    fc.tuple(when, node, node, label).map(([t, a, b, l]) => `at ${t} ${a} -> ${b} ${l}`),
    fc.tuple(when, node, label).map(([t, a, l]) => `at ${t} ${a} local ${l}`),
    fc.tuple(duration, node, label, when).map(([d, a, l, u]) => `every ${d} ${a} -> * ${l} from 0s until ${u}`),
    fc.tuple(node, label, fc.option(node, { nil: undefined }), fc.array(action, { minLength: 1, maxLength: 3 }))
      .map(([n, l, from, acts]) => `on ${n} receive ${l}${from ? ` from ${from}` : ''} { ${acts.join('; ')} }`),
    fc.array(fault, { minLength: 1, maxLength: 4 }).map((fs) => `faults {\n  ${fs.join('\n  ')}\n}`),
    fc.constantFrom(...INVARIANT_FORMS).map((i) => `invariant ${i}`),
    fc.tuple(node, fc.constantFrom('lamport', 'clock', 'crashes', 'alive'), fc.constantFrom('>=', '<', '==', '!='), fc.integer({ min: 0, max: 10 }))
      .map(([n, p, c, v]) => `expect ${n}.${p} ${c} ${v} at end`),
  ];
}

/** A scenario file: header, nodes, then random statements over those nodes. Mostly valid. */
export const scenarioText: fc.Arbitrary<string> = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...NODE_NAMES), { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom('2s', '500ms', '1s'))
  .chain(([nodes, seed, length]) =>
    fc.array(fc.oneof(...statementsFor(nodes)), { maxLength: 10 }).map((body) =>
      [`scenario fuzz_${seed % 1000} {`, `  seed ${seed}`, `  run for ${length}`, '}', `nodes ${nodes.join(', ')}`, ...body, ''].join('\n'),
    ),
  );

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
  | { readonly kind: 'nest'; readonly at: number; readonly open: string; readonly depth: number; readonly closed: boolean };

/** Positions are fractions of the text's length so one mutation fits any text. */
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

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
  }
}

/** Text derived from a base (a sample or a generated scenario) by a few mutations. */
export function mutatedFrom(bases: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(bases, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => ms.reduce(mutate, text));
}

/** An incremental edit as the editor sends it: a range (as offsets, applied in order) and new text. */
export interface Edit {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

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
