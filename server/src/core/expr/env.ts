import type { UserFunction } from './checked';
import type { Type } from './types';

/**
 * What an expression may name, given by where it is used: the scenario's
 * nodes and protocols for properties; later a protocol's own state for
 * handlers (issue 15 adds `variables`).
 */
export interface ExprEnv {
  /** Node names; a node's index is its position. */
  readonly nodes: readonly string[];
  /** Every protocol a set may name (bound or not: an unbound one is an empty set). */
  readonly protocols: readonly ProtocolView[];
  /** Properties every node has (`lamport`, `clock`, `vc(n)`, …). */
  readonly nodeProperties: readonly NodePropertyView[];
  /** Names the evaluator provides at run time (`now`), with their types. */
  readonly variables: ReadonlyMap<string, { readonly type: Type; readonly doc: string }>;
  /**
   * Set for code inside a written protocol (protocolLang/): names are the
   * protocol's own, nodes are values (a handler never reads another node's
   * state), and the protocol's `fn`s may be called. `random` is allowed only
   * when `random` is set too (handler bodies).
   */
  readonly protocolCode?: {
    readonly functions: ReadonlyMap<string, UserFunction>;
    /** Functions declared after the one being checked (a call of one is DS197, not "unknown"). */
    readonly laterFunctions?: ReadonlySet<string>;
    readonly random: boolean;
  };
}

export interface ProtocolView {
  readonly name: string;
  /** Indices of the nodes that run it, in every instance; empty when the scenario does not bind it. */
  readonly members: readonly number[];
  readonly properties: readonly PropertyView[];
}

export interface PropertyView {
  readonly name: string;
  readonly type: Type;
  readonly doc: string;
  /** Old names that still read it, with a DS138 warning and a rename fix. */
  readonly deprecatedAliases?: readonly string[];
}

export interface NodePropertyView extends PropertyView {
  /** `vc(n)` takes a node; `sent("label")` may take a label. */
  readonly arg?: 'node' | 'label';
}

/** Where a diagnostic goes; the checker never throws on bad input. */
export type ExprReport = (code: ExprCode, message: string, range: import('../source').SourceRange, fix?: ExprFix) => void;

/** An edit that fixes the problem (a quick fix in the editor): replace `range` (default: the reported range) with `newText`. */
export interface ExprFix {
  readonly title: string;
  readonly newText: string;
  readonly range?: import('../source').SourceRange;
}

/** The DS codes the expression checker reports (see diagnostics.ts). */
export type ExprCode = 'DS110' | 'DS121' | 'DS132' | 'DS138' | 'DS133' | 'DS180' | 'DS181' | 'DS182' | 'DS183' | 'DS184' | 'DS185' | 'DS186' | 'DS187' | 'DS197' | 'DS198';
