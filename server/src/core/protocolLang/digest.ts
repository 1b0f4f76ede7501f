import type { Value } from '../expr/values';

/**
 * A structural 53-bit digest of a written protocol's value, for the
 * exploration coverage hash (ProtocolNode.fingerprint): equal values have
 * equal digests, unequal ones differ but for hash collisions (two
 * independent 32-bit lanes, as explore/coverage.ts's stateHash).
 *
 * Why a digest and not the value itself fed to the hash: a node's state
 * (a Raft log of hundreds of records with strings) is hashed at every
 * sampling point of an exploration, yet between two points most of it is
 * unchanged. Values of written protocols are immutable (an assignment
 * builds a new list, map or record and shares every untouched part), so
 * the digest of a list, map or record is computed once per object and
 * remembered here: a new log `log + [e]` costs one lookup per entry, not a
 * walk over every character of every entry.
 *
 * Contract: only values that are never mutated after they are first
 * digested may be passed (every Value a written protocol holds).
 */
export function digestValue(v: Value): number {
  if (v === null || typeof v !== 'object') return scalarDigest(v);
  let d = cache.get(v);
  if (d === undefined) {
    d = collectionDigest(v);
    cache.set(v, d);
  }
  return d;
}

const cache = new WeakMap<object, number>();

// The two lanes of the digest under way. A collection's digest finishes the
// digests of its elements before it starts (each is a complete number), so
// one pair of module-level lanes serves all, without a closure per call.
let laneA = 0;
let laneB = 0;

function start(marker: number): void {
  laneA = Math.imul(0x811c9dc5 ^ marker, 0x01000193);
  laneB = Math.imul(0x5bd1e995 ^ marker, 0x5bd1e995);
}

function take(x: number): void {
  laneA = Math.imul(laneA ^ x, 0x01000193);
  laneB = Math.imul(laneB ^ x, 0x5bd1e995);
  laneB ^= laneB >>> 15;
}

/** A finished digest (a digest as a number to take into another). */
function takeDigest(d: number): void {
  take(d | 0);
  take((d / 4294967296) | 0);
}

function finish(): number {
  // A final avalanche on each lane, so digests differing in one bit spread.
  let a = laneA ^ (laneA >>> 16);
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  let b = laneB ^ (laneB >>> 16);
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 13;
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

function scalarDigest(v: null | boolean | number | string): number {
  if (typeof v === 'number') {
    start(0x23);
    take(v | 0);
    take((v / 4294967296) | 0);
  } else if (typeof v === 'string') {
    start(0x22);
    for (let i = 0; i < v.length; i++) take(v.charCodeAt(i));
    take(v.length);
  } else if (typeof v === 'boolean') {
    start(v ? 0x51 : 0x50);
  } else {
    start(0x4e);
  }
  return finish();
}

function collectionDigest(v: object): number {
  if (Array.isArray(v)) {
    const list = v as readonly Value[];
    const parts = new Array<number>(list.length);
    for (let i = 0; i < list.length; i++) parts[i] = digestValue(list[i]!);
    start(0x5b);
    for (let i = 0; i < parts.length; i++) takeDigest(parts[i]!);
    take(list.length);
    return finish();
  }
  const o = v as { readonly [k: string]: Value };
  const keys = Object.keys(o);
  const parts = new Array<number>(keys.length * 2);
  for (let i = 0; i < keys.length; i++) {
    parts[2 * i] = scalarDigest(keys[i]!);
    parts[2 * i + 1] = digestValue(o[keys[i]!]!);
  }
  start(0x7b);
  for (let i = 0; i < parts.length; i++) takeDigest(parts[i]!);
  take(keys.length);
  return finish();
}
