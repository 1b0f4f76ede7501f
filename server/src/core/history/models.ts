import type { SequentialModel } from '../linearizability/history';
import { fail } from './located';
import { impossibleRegisterOps, mayWrite, needs, shows } from './staleReads';
import { describeOp, NIL, type HistoryOp, type OpInput, type OpKind, type OpOutput, type Value } from './operations';

/**
 * The sequential specifications `dsync lin --model` offers, over the
 * operations of operations.ts. Every model keeps one register per key
 * (operations without a key share one) and is checked key by key:
 *  - register: read and write; a register never written reads nil;
 *  - cas-register: plus compare-and-set [expected new], which writes `new`
 *    when the register holds `expected` and otherwise returns false;
 *  - kv: get and put on a map; a key never written reads as empty ("" or nil);
 *  - append-kv: plus append, which concatenates strings (Porcupine's kv model).
 */
export type ModelName = 'register' | 'cas-register' | 'kv' | 'append-kv';
export const MODEL_NAMES: readonly ModelName[] = ['register', 'cas-register', 'kv', 'append-kv'];

const ALLOWED: Readonly<Record<ModelName, readonly OpKind[]>> = {
  register: ['read', 'write'],
  'cas-register': ['read', 'write', 'cas'],
  kv: ['read', 'write'],
  'append-kv': ['read', 'write', 'append'],
};

export type HistoryModel = SequentialModel<unknown, OpInput, OpOutput>;

/** The model for this history; an operation the model does not have is bad input, reported where it is. */
export function modelFor(name: ModelName, ops: readonly HistoryOp[]): HistoryModel {
  for (const op of ops) {
    if (!ALLOWED[name].includes(op.input.kind)) {
      const suggestion = op.input.kind === 'cas' ? 'cas-register' : op.input.kind === 'append' ? 'append-kv' : undefined;
      fail(op.callAt, `the ${name} model has no ${op.input.kind} (${describeOp(op)})${suggestion ? `; use --model ${suggestion}` : ''}`);
    }
  }
  return name === 'append-kv' ? appendModel(ops) : registerModel(name === 'kv');
}

/** Registers whose state is a value, numbered as first seen: states compare as small integers. */
function registerModel(emptyIsNil: boolean): HistoryModel {
  const ids = new Map<string, number>([['nil', 0]]);
  if (emptyIsNil) ids.set('s:', 0);
  const id = (v: Value): number => {
    let n = ids.get(v.key);
    if (n === undefined) ids.set(v.key, (n = ids.size)); // every id in use is below the size: a fresh one
    return n;
  };
  const valueOf = (v: Value | undefined): number => id(v ?? NIL);
  const model: SequentialModel<number, OpInput, OpOutput> = {
    init: () => 0,
    step(state, input, output) {
      switch (input.kind) {
        case 'read': return !output.known || id(output.value!) === state ? state : undefined;
        case 'write': return id(input.value!);
        case 'cas': {
          const matches = id(input.expected!) === state;
          if (output.known && output.casSucceeded !== matches) return undefined;
          return matches ? id(input.value!) : state;
        }
        default: return undefined;
      }
    },
    hashState: (s) => s,
    sameState: (a, b) => a === b,
    // A compare-and-set known to have failed changes nothing: like a read, it only constrains the value (it differs from `expected`).
    isReadOnly: (input, output) => input.kind === 'read' || (input.kind === 'cas' && output.known && output.casSucceeded === false),
    sameInput,
    impossible: (ops) => impossibleRegisterOps(ops, valueOf),
    registerRoles: {
      valueOf: (state) => state,
      roles: (op) => ({ needs: needs(op, valueOf), shows: shows(op, valueOf), writes: mayWrite(op, valueOf) }),
    },
    partition: byKey,
  };
  return model as HistoryModel;
}

/**
 * A string per key. The state carries its polynomial hash, updated in O(|v|)
 * by an append (h(s·v) = h(s)·B^|v| + h(v) mod 2^32), so the memo cache never
 * rehashes a long value; equal hashes are confirmed by comparing the strings.
 */
interface AppendState {
  readonly text: string;
  readonly hash: number;
}

const BASE = 0x01000193;

function polyHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) >>> 0;
  return h;
}

function powBase(n: number): number {
  let result = 1;
  let b = BASE;
  for (let e = n; e > 0; e >>>= 1) {
    if (e & 1) result = Math.imul(result, b) >>> 0;
    b = Math.imul(b, b) >>> 0;
  }
  return result;
}

function appendModel(ops: readonly HistoryOp[]): HistoryModel {
  for (const op of ops) {
    const v = op.input.kind === 'read' ? (op.output.known ? op.output.value : undefined) : op.input.value;
    if (v && v.key !== 'nil' && v.string === undefined) fail(op.callAt, `the append-kv model holds strings: ${describeOp(op)} is not one`);
  }
  const text = (v: Value | undefined): string => v?.string ?? '';
  const model: SequentialModel<AppendState, OpInput, OpOutput> = {
    init: () => ({ text: '', hash: 0 }),
    step(state, input, output) {
      switch (input.kind) {
        case 'read': {
          if (!output.known) return state;
          const read = text(output.value);
          return read.length === state.text.length && read === state.text ? state : undefined;
        }
        case 'write': {
          const v = text(input.value);
          return { text: v, hash: polyHash(v) };
        }
        case 'append': {
          const v = text(input.value);
          return { text: state.text + v, hash: (Math.imul(state.hash, powBase(v.length)) + polyHash(v)) >>> 0 };
        }
        default: return undefined;
      }
    },
    hashState: (s) => (s.hash ^ Math.imul(s.text.length, 0x9e3779b1)) >>> 0,
    sameState: (a, b) => a.hash === b.hash && a.text === b.text,
    isReadOnly: (input) => input.kind === 'read',
    sameInput,
    partition: byKey,
  };
  return model as HistoryModel;
}

function sameInput(a: OpInput, b: OpInput): boolean {
  return a.kind === b.kind && a.key === b.key && a.value?.key === b.value?.key && a.expected?.key === b.expected?.key;
}

function byKey<Op extends { readonly input: OpInput }>(ops: readonly Op[]): Op[][] {
  const parts = new Map<string | undefined, Op[]>();
  for (const op of ops) {
    const list = parts.get(op.input.key);
    if (list) list.push(op);
    else parts.set(op.input.key, [op]);
  }
  return [...parts.keys()].sort((a, b) => (a === undefined ? -1 : b === undefined ? 1 : a < b ? -1 : a > b ? 1 : 0)).map((k) => parts.get(k)!);
}
