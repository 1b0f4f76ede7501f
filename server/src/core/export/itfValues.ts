import { parseTypeText, TypeSyntaxError, type Type } from '../expr/types';
import type { Model } from '../model';
import type { PropertyValue } from '../protocols/protocol';

/**
 * DSync values as expressions of the Informal Trace Format (Apalache
 * ADR-015, as Quint and Apalache write it): every integer as
 * `{"#bigint": "…"}` (Quint's form; exact at any size), strings and booleans
 * as themselves, a list as an array, a set as `{"#set": […]}`, a map as
 * `{"#map": [[key, value], …]}`, a record as an object, and an optional as
 * Quint's Option variant `{"tag": "Some", "value": v}` or
 * `{"tag": "None", "value": {"#tup": []}}`. ITF has no null and no
 * fractions: a value with no ITF form is `{"#unserializable": "<text>"}`.
 */
export type ItfValue = string | boolean | readonly ItfValue[] | { readonly [key: string]: ItfValue };

export function itfInt(n: number): ItfValue {
  return Number.isInteger(n) ? { '#bigint': BigInt(n).toString() } : { '#unserializable': String(n) };
}

const NONE: ItfValue = { tag: 'None', value: { '#tup': [] } };

/** `value` by its declared type; without one (or where the type says `unknown`), by its run-time shape. */
export function itfValue(value: PropertyValue, type?: Type): ItfValue {
  if (value === null) return NONE;
  if (type?.k === 'optional') return { tag: 'Some', value: itfValue(value, type.of) };
  if (typeof value === 'number') return itfInt(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const list = value as readonly PropertyValue[];
    if (type?.k === 'set') return { '#set': list.map((v) => itfValue(v, type.of)) };
    return list.map((v) => itfValue(v, type?.k === 'list' ? type.of : undefined));
  }
  const entries = Object.entries(value as Readonly<Record<string, PropertyValue>>);
  if (type?.k === 'map') return { '#map': entries.map(([k, v]) => [mapKey(k, type.key), itfValue(v, type.value)]) };
  if (type?.k === 'record' || entries.every(([k]) => !k.startsWith('#'))) {
    const fields = type?.k === 'record' ? new Map(type.fields) : undefined;
    const record: Record<string, ItfValue> = {};
    for (const [k, v] of entries) record[k] = itfValue(v, fields?.get(k));
    return record;
  }
  // An object whose keys an ITF record cannot hold (`#…` is ITF's own): a map from string keys.
  return { '#map': entries.map(([k, v]) => [k, itfValue(v)]) };
}

/** A map's keys are object keys (strings) at run time; an int-keyed map's go back to integers. */
function mapKey(key: string, type: Type): ItfValue {
  if ((type.k === 'int' || type.k === 'time') && /^-?\d+$/.test(key)) return { '#bigint': key };
  return key;
}

/** Each node's protocol properties by name → their declared types (properties no bound protocol declares are left out: encoded by shape). */
export function propertyTypes(model: Model): ReadonlyMap<string, Type>[] {
  const types = model.nodes.map(() => new Map<string, Type>());
  for (const instance of model.protocols) {
    for (const spec of instance.definition.properties) {
      let type: Type;
      try {
        type = parseTypeText(spec.type);
      } catch (error) {
        if (error instanceof TypeSyntaxError) continue;
        throw error;
      }
      for (const node of instance.nodes) types[node]?.set(spec.name, type);
    }
  }
  return types;
}
