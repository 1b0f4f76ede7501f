import type { Expr, TemporalFormula } from '../expr/ast';
import type { SourceRange } from '../source';

/**
 * The typed AST. Every node carries the source range it was built from, so
 * diagnostics, hovers and trace events can point back at the text. Statements
 * the parser could only partly recover are left out; their syntax error has
 * already been reported.
 */
export interface Located {
  readonly range: SourceRange;
}

export interface Name extends Located {
  readonly text: string;
}

export interface StringLit extends Located {
  readonly value: string;
}

export type Value =
  | (Located & { readonly kind: 'duration'; readonly ns: number; readonly text: string })
  | (Located & { readonly kind: 'ppm'; readonly ppm: number; readonly text: string })
  | (Located & { readonly kind: 'percent'; readonly fraction: number; readonly text: string })
  | (Located & { readonly kind: 'number'; readonly value: number; readonly text: string })
  | (Located & { readonly kind: 'string'; readonly value: string })
  | (Located & { readonly kind: 'bool'; readonly value: boolean })
  | (Located & { readonly kind: 'name'; readonly name: string; readonly args?: readonly Value[] })
  | (Located & { readonly kind: 'range'; readonly low: Value; readonly high: Value });

export type ValueKind = Value['kind'];

export interface OptionValue extends Located {
  readonly value: Value;
  /** `priority M1 = 1`: `M1` is the value, `1` the assigned part. */
  readonly assigned?: Value;
}

export interface OptionSetting extends Located {
  readonly key: Name;
  readonly values: readonly OptionValue[];
}

export interface NodeRef extends Located {
  readonly first: Name;
  /** `n1..n5`: the last name of a numbered range. */
  readonly last?: Name;
}

export interface LinkRef extends Located {
  readonly from: Name;
  readonly to: Name;
  readonly bidirectional: boolean;
}

export interface ScenarioDecl extends Located {
  readonly kind: 'scenario';
  readonly name: Name;
  readonly duration?: Value;
  readonly options: readonly OptionSetting[];
}

export interface ProtocolBinding extends Located {
  readonly name: Name;
  readonly options: readonly OptionSetting[];
}

export interface NodesDecl extends Located {
  readonly kind: 'nodes';
  readonly refs: readonly NodeRef[];
  readonly protocol?: ProtocolBinding;
}

export interface NetworkDecl extends Located {
  readonly kind: 'network';
  readonly options: readonly OptionSetting[];
}

export interface LinkDecl extends Located {
  readonly kind: 'link';
  readonly link: LinkRef;
  readonly options: readonly OptionSetting[];
}

export interface ClockDecl extends Located {
  readonly kind: 'clock';
  readonly nodes: readonly NodeRef[];
  readonly options: readonly OptionSetting[];
}

export interface SyncDecl extends Located {
  readonly kind: 'sync';
  readonly protocol: ProtocolBinding;
}

export type NodeAction =
  | (Located & { readonly kind: 'send'; readonly node: Name; readonly target: Name | 'everyone'; readonly label: StringLit })
  | (Located & { readonly kind: 'local'; readonly node: Name; readonly label: StringLit });

export interface AtStmt extends Located {
  readonly kind: 'at';
  readonly time: Value;
  readonly action: NodeAction;
}

export interface EveryStmt extends Located {
  readonly kind: 'every';
  readonly period: Value;
  readonly action: NodeAction;
  readonly start?: Value;
  readonly stop?: Value;
}

export type RuleAction =
  | (Located & { readonly kind: 'send'; readonly from?: Name; readonly target: Name; readonly label: StringLit })
  | (Located & { readonly kind: 'reply' | 'broadcast' | 'local'; readonly label: StringLit })
  | (Located & { readonly kind: 'after'; readonly delay: Value; readonly then: RuleAction });

export interface OnStmt extends Located {
  readonly kind: 'on';
  readonly node: Name;
  /** Undefined for `receive any`. */
  readonly label?: StringLit;
  readonly sender?: Name;
  readonly actions: readonly RuleAction[];
}

export type FaultAction =
  | { readonly kind: 'partition'; readonly groups: readonly (readonly NodeRef[])[]; readonly window?: Value }
  | { readonly kind: 'heal' }
  | { readonly kind: 'crash' | 'restart'; readonly node: Name }
  | { readonly kind: 'clock-jump'; readonly node: Name; readonly amount: Value }
  | { readonly kind: 'clock-drift'; readonly node: Name; readonly amount: Value }
  | { readonly kind: 'drop'; readonly link: LinkRef; readonly window?: Value }
  | { readonly kind: 'delay'; readonly link: LinkRef; readonly extra: Value; readonly window?: Value };

export type Fault = Located & { readonly time: Value } & FaultAction;

export interface FaultsBlock extends Located {
  readonly kind: 'faults';
  readonly faults: readonly Fault[];
  /** `faults random { … }`: faults drawn per seed (then `faults` is empty). */
  readonly random?: readonly RandomFault[];
}

/** `crash 1 per 2s [for 300ms]`: `count` faults in every `period` of the run, each lasting `window`. */
export interface RandomFault extends Located {
  readonly kind: 'crash' | 'partition' | 'drop';
  readonly count: Value;
  readonly period: Value;
  readonly window?: Value;
}

export type Comparator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface InvariantDecl extends Located {
  readonly kind: 'invariant';
  readonly name: Name;
  /** `invariant NAME: always …`: a written property (then args, within and bound are absent). */
  readonly formula?: TemporalFormula;
  /**
   * `invariant n1.term <= 3`: a condition written where the name belongs, from
   * the name to its end (never run; the checker offers the property form).
   */
  readonly misplacedCondition?: SourceRange;
  readonly args: readonly Value[];
  readonly within?: Value;
  readonly comparator?: Comparator;
  readonly bound?: Value;
}

export interface ExpectDecl extends Located {
  readonly kind: 'expect';
  /** Any boolean expression; `B.lamport >= 3` is the common case. */
  readonly condition: Expr;
  /** `at end` (the default) or a true time. */
  readonly at: 'end' | Value;
}

/** `put x = 5` / `get x`: the verb is checked by the checker (put needs a value, get takes none). */
export interface ClientOp extends Located {
  readonly verb: Name;
  readonly key: Name;
  readonly value?: Value;
}

export type ClientItem =
  | (Located & { readonly kind: 'at'; readonly time: Value; readonly op: ClientOp })
  | (Located & { readonly kind: 'every'; readonly period: Value; readonly op: ClientOp; readonly start?: Value; readonly stop?: Value });

/** `client c1 [to n1, n2 | to raft] { every 100ms put k = counter; timeout 200ms }`: declares node c1. */
export interface ClientDecl extends Located {
  readonly kind: 'client';
  readonly name: Name;
  /** Nodes, or the name of a bound protocol, after `to`; empty when not written. */
  readonly targets: readonly NodeRef[];
  readonly items: readonly ClientItem[];
  readonly settings: readonly OptionSetting[];
}

export type Statement =
  | ScenarioDecl
  | NodesDecl
  | NetworkDecl
  | LinkDecl
  | ClockDecl
  | SyncDecl
  | AtStmt
  | EveryStmt
  | OnStmt
  | FaultsBlock
  | InvariantDecl
  | ExpectDecl
  | ClientDecl;

export interface DsyncFile extends Located {
  readonly statements: readonly Statement[];
}
