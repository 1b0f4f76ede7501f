import type { OptionSpec, OptionType, OptionValueOut } from '../check/options';
import { BOOL, INT, LATENCY, NODE, setOf, STRING, TIME, type Type } from '../expr/types';
import { canonicalSet, type Value } from '../expr/values';
import { mapValue } from '../protocols/values';

/**
 * The option kinds a written protocol may declare (`option timeout:
 * duration range = 150ms..300ms`): each maps to an option schema type
 * (check/options.ts, so bindings get the DS12x checks, completion and hover
 * of built-in protocols) and to the type and value handlers read it as.
 */
export interface OptionKind {
  readonly words: string;
  readonly schema: OptionType;
  readonly type: Type;
  /** The value handlers see, from what the option checker produced. */
  readonly toValue: (v: OptionValueOut) => Value;
  readonly example: string;
}

/** A range of times as handlers read it: `random(timeout)` draws in it, `timeout.low` is its lower bound. */
export const TIME_RANGE: Type = { k: 'record', fields: [['low', TIME], ['high', TIME]] };

const same = (v: OptionValueOut): Value => v as Value;

export const OPTION_KINDS: readonly OptionKind[] = [
  { words: 'duration', schema: 'duration', type: TIME, toValue: same, example: '100ms' },
  { words: 'duration range', schema: 'duration-range', type: TIME_RANGE, toValue: (v) => ({ low: (v as { low: number }).low, high: (v as { high: number }).high }), example: '150ms..300ms' },
  // A delay model as the network takes it; handlers draw from it with random(x).
  { words: 'latency', schema: 'latency', type: LATENCY, toValue: same, example: '5ms..20ms' },
  { words: 'int', schema: 'integer', type: INT, toValue: same, example: '3' },
  // The expression language has whole numbers only: a `number` option is an int.
  { words: 'number', schema: 'integer', type: INT, toValue: same, example: '3' },
  { words: 'bool', schema: 'bool', type: BOOL, toValue: same, example: 'true' },
  { words: 'string', schema: 'string', type: STRING, toValue: same, example: '"x"' },
  { words: 'node', schema: 'node', type: NODE, toValue: same, example: 'n1' },
  { words: 'nodes', schema: 'nodes', type: setOf(NODE), toValue: (v) => canonicalSet(v as readonly string[]), example: 'n1, n2' },
  // Whole percent (30% reads as 30): `random(0, 99) < loss` draws with that chance.
  { words: 'percent', schema: 'percent', type: INT, toValue: (v) => Math.round((v as number) * 100), example: '30%' },
  { words: 'ppm', schema: 'ppm', type: INT, toValue: (v) => Math.round(v as number), example: '+50ppm' },
  // A number per node (`priority n1 = 1, n2 = 2`), read as a map: `self in priority` before `priority[self]`.
  { words: 'node numbers', schema: 'node-numbers', type: { k: 'map', key: NODE, value: INT }, toValue: (v) => mapValue([...(v as ReadonlyMap<string, number>)]) as Value, example: 'n1 = 1, n2 = 2' },
];

/** A choice among strings (`option mode: "fast" | "safe" = "safe"`): read as a string. */
export function choiceKind(choices: readonly string[]): OptionKind {
  return { words: choices.map((c) => JSON.stringify(c)).join(' | '), schema: 'choice', type: STRING, toValue: same, example: choices[0] ?? '' };
}

export function optionSpec(name: string, kind: OptionKind, doc: string, required: boolean, choices?: readonly string[]): OptionSpec {
  return {
    key: name,
    type: kind.schema,
    doc,
    ...(required ? { required: true } : {}),
    ...(choices ? { choices } : {}),
    ...(kind.schema === 'ppm' ? { min: -100_000, max: 100_000 } : {}),
    example: kind.example,
  };
}
