import { compileInFrame } from '../expr/compile';
import { typeToString } from '../expr/types';
import type { ProtocolDefinition } from '../protocols/protocol';
import type * as A from '../syntax/ast';
import type { CHandler } from './checkedStmt';
import { compileHandler, type CompiledHandler } from './compile';
import type { Declarations } from './declarations';
import { WrittenNode, type CompiledProtocol } from './runtime';

/** Marks a definition built from a protocol written in the file (hover, docs and tests tell them apart). */
export interface WrittenProtocolDefinition extends ProtocolDefinition {
  readonly written: {
    readonly range: A.ProtocolDecl['range'];
    readonly nameRange: A.ProtocolDecl['range'];
    /** Each const's type as the checker inferred it (hover shows it; the declaration may omit it). */
    readonly constTypes: ReadonlyMap<string, string>;
  };
}

export function isWrittenProtocol(d: ProtocolDefinition): d is WrittenProtocolDefinition {
  return 'written' in d;
}

/**
 * A checked protocol as an ordinary ProtocolDefinition: its options are an
 * option schema (bindings get the DS12x checks, completion and hover of the
 * built-in protocols), every `stable` and `var` a property (so `expect`,
 * written invariants, hovers, the timeline and --json read them like any
 * protocol's), its sent message types its `messages`. `handlers` is
 * undefined when the protocol has errors: the definition still names its
 * options and properties for the rest of the file, but never runs.
 */
export function writtenDefinition(decl: A.ProtocolDecl, decls: Declarations, handlers: readonly CHandler[] | undefined, sent: ReadonlySet<string>, frameSize: () => number): WrittenProtocolDefinition {
  let compiled: CompiledProtocol | undefined;
  const name = decl.name.text;
  return {
    name,
    summary: `protocol ${name}, written in this file (line ${decl.range.startLine})`,
    binding: 'nodes',
    options: decls.options.map((o) => o.spec),
    properties: decls.state.map((s) => ({ name: s.name, type: typeToString(s.type), doc: `${s.durability === 'stable' ? 'stable (kept across a crash)' : 'var (fresh after a restart)'} ${s.name}: ${s.typeText}` })),
    messages: [...decls.messages.values()].filter((m) => sent.has(m.name)).map((m) => m.wire),
    ...(decl.serves?.text === 'kv' ? { serves: 'kv' as const } : {}),
    written: { range: decl.range, nameRange: decl.name.range, constTypes: new Map(decls.consts.map((c) => [c.name, typeToString(c.value.type)])) },
    createNode(ctx) {
      if (!handlers) throw new Error(`protocol ${name} has errors and cannot run`);
      compiled ??= compileProtocol(name, decls, handlers, frameSize());
      return new WrittenNode(compiled, ctx);
    },
  };
}

/** Compiles every handler and initial value once per check (all nodes of all runs of the file share them). */
function compileProtocol(name: string, decls: Declarations, handlers: readonly CHandler[], frameSize: number): CompiledProtocol {
  const compiledHandlers = handlers.map(compileHandler);
  const timers = new Map<string, CompiledHandler>();
  const messages = new Map<string, CompiledHandler[]>();
  let start: CompiledHandler | undefined;
  for (const h of compiledHandlers) {
    const src = h.source;
    if (src.trigger === 'start') start = h;
    else if (src.trigger === 'timer') timers.set(src.name, h);
    else {
      const wire = src.message!.wire;
      const list = messages.get(wire);
      if (list) list.push(h);
      else messages.set(wire, [h]);
    }
  }
  return {
    name,
    frameSize,
    selfSlot: decls.selfSlot,
    membersSlot: decls.membersSlot,
    options: decls.options,
    consts: decls.consts.map((c) => ({ slot: c.slot, value: compileInFrame(c.value), range: c.range })),
    state: decls.state.map((s) => ({ name: s.name, stable: s.durability === 'stable', slot: s.slot, initial: compileInFrame(s.initial), range: s.range })),
    start,
    timers,
    messages,
    stateSlots: new Map(decls.state.map((s) => [s.name, s.slot])),
  };
}
