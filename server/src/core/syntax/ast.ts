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
  | ClientDecl
  | ProtocolDecl;

export interface DsyncFile extends Located {
  readonly statements: readonly Statement[];
}

/**
 * The AST of a protocol written in .dsync (issue 15): the contract between
 * the parser (syntax/) and the protocol-language checker and compiler
 * (protocolLang/). Every node carries its source range. Names are resolved
 * by the checker, never by the parser. Expressions are the one expression
 * language of the project (expr/ast.ts): guards, right-hand sides, payload
 * fields and helper bodies are all `Expr`.
 *
 * Concrete syntax (statements in a block are separated by `;` or newlines;
 * `//` and `/* *\/` comments anywhere):
 *
 *   protocol leader_election [serves kv] {
 *     option timeout: duration range = 150ms..300ms
 *     const quorum_extra = 1
 *     message RequestVote { term: int }           // fields separated by `,` `;` or newlines
 *     message Ping                                 // no fields
 *     stable term: int = 0                         // survives a crash (the node's disk)
 *     var role: "follower" | "candidate" | "leader" = "follower"
 *     fn majority(n: int): int = n / 2 + 1         // pure, an expression body
 *     on start { … }
 *     on timer election { … }
 *     on RequestVote(m) from p when m.term > term { … }   // `(m)`, `from p`, `when …` each optional
 *   }
 *
 * Statements:
 *   x = e; log[i] = e; rec.field = e; m[k] = e   (assignment to a state variable or a part of one)
 *   let x = e; let x: T = e
 *   if c { … } else if c2 { … } else { … }
 *   for x in e { … }
 *   send M { f: e, … } to e
 *   broadcast M { … }                             (to every member but self)
 *   reply M { … }                                 (to the sender of the message being handled)
 *   timer NAME after e                            (by the node's local clock; re-arming replaces)
 *   cancel NAME
 *   note "leader of term {term}"                  (`{expr}` interpolates; `{{` `}}` are literal braces)
 *   clock.step(e); clock.slew(e)                  (clock control, for clock-synchronisation protocols)
 */

/**
 * A type as written, in the expression language's type syntax (`int`,
 * `node?`, `set<node>`, `map<string, int>`, `list<{ term: int, cmd: string }>`,
 * `"follower" | "candidate"`, `duration` = `time`). `text` is the type's
 * tokens joined in a canonical spacing that `parseTypeText` (expr/types.ts)
 * reads; the checker reports a bad type at `range`.
 */
export interface TypeRef extends Located {
  readonly text: string;
}

export interface ProtocolDecl extends Located {
  readonly kind: 'protocol';
  readonly name: Name;
  /** `protocol store serves kv { … }`: the client convention it answers (only `kv` exists). */
  readonly serves?: Name;
  readonly members: readonly ProtocolMember[];
  /** The `{` … `}` of the body (folding, outline). */
  readonly bodyRange: SourceRange;
}

export type ProtocolMember = OptionMember | ConstMember | MessageMember | StateMember | FnMember | HandlerMember;

/**
 * `option timeout: duration range = 150ms..300ms`. The kind is written as
 * words (`duration`, `duration range`, `latency`, `int`, `number`, `bool`,
 * `string`, `node`, `nodes`, `node numbers`, `percent`, `ppm`) or as choices
 * (`"fast" | "safe"`); the checker maps it to an option schema entry
 * (check/options.ts), so bindings get the same DS12x checks as built-ins.
 * The default uses the option value syntax of bindings (not an expression).
 */
export interface OptionMember extends Located {
  readonly kind: 'option';
  readonly name: Name;
  /** The kind's words as written, e.g. ['duration', 'range']; empty when choices are given. */
  readonly optionKind: readonly Name[];
  /** `"fast" | "safe"`: a choice among these strings. */
  readonly choices?: readonly { readonly value: string; readonly range: SourceRange }[];
  /** The default, in binding option syntax (`150ms..300ms`, `3`, `true`, `"x"`, `n1, n2`). */
  readonly defaultValue?: readonly OptionValue[];
}

export interface ConstMember extends Located {
  readonly kind: 'const';
  readonly name: Name;
  readonly type?: TypeRef;
  readonly value: Expr;
}

export interface MessageField extends Located {
  readonly name: Name;
  readonly type: TypeRef;
}

export interface MessageMember extends Located {
  readonly kind: 'message';
  readonly name: Name;
  readonly fields: readonly MessageField[];
}

/** `stable NAME: T = e` (kept across a crash) or `var NAME: T = e` (fresh after a restart). */
export interface StateMember extends Located {
  readonly kind: 'state';
  readonly durability: 'stable' | 'var';
  readonly name: Name;
  readonly type: TypeRef;
  readonly initial: Expr;
}

export interface FnParam extends Located {
  readonly name: Name;
  readonly type: TypeRef;
}

export interface FnMember extends Located {
  readonly kind: 'fn';
  readonly name: Name;
  readonly params: readonly FnParam[];
  readonly result: TypeRef;
  readonly body: Expr;
}

export type HandlerTrigger =
  | (Located & { readonly kind: 'start' })
  | (Located & { readonly kind: 'timer'; readonly timer: Name })
  | (Located & {
      readonly kind: 'message';
      readonly message: Name;
      /** `(m)`: the name the payload is bound to in the guard and body. */
      readonly payload?: Name;
      /** `from p`: the name the sender is bound to. */
      readonly sender?: Name;
    });

export interface HandlerMember extends Located {
  readonly kind: 'handler';
  readonly trigger: HandlerTrigger;
  /** `when …`: the handler runs only when it holds (messages only; ignored otherwise with a parse error). */
  readonly guard?: Expr;
  readonly body: Block;
}

export interface Block extends Located {
  readonly statements: readonly ProtoStmt[];
}

/** `M { f: e, … }`: a message value in send/broadcast/reply. */
export interface MessageValue extends Located {
  readonly message: Name;
  readonly fields: readonly { readonly name: Name; readonly value: Expr; readonly range: SourceRange }[];
}

/** A piece of a `note` text: literal text, or an interpolated `{expr}`. */
export type NotePart = { readonly text: string } | { readonly expr: Expr };

export type ProtoStmt = Located &
  (
    | {
        readonly kind: 'assign';
        /** A name, optionally followed by `.field` and `[index]` steps (an Expr of kind name/field/index). */
        readonly target: Expr;
        readonly value: Expr;
      }
    | { readonly kind: 'let'; readonly name: Name; readonly type?: TypeRef; readonly value: Expr }
    | { readonly kind: 'if'; readonly cond: Expr; readonly then: Block; readonly else?: Block }
    | { readonly kind: 'for'; readonly variable: Name; readonly over: Expr; readonly body: Block }
    | { readonly kind: 'send'; readonly value: MessageValue; readonly to: Expr }
    | { readonly kind: 'broadcast' | 'reply'; readonly value: MessageValue }
    | { readonly kind: 'timer'; readonly timer: Name; readonly after: Expr }
    | { readonly kind: 'cancel'; readonly timer: Name }
    | { readonly kind: 'note'; readonly parts: readonly NotePart[] }
    | { readonly kind: 'clock'; readonly action: 'step' | 'slew'; readonly amount: Expr }
  );

export type ProtoStmtKind = ProtoStmt['kind'];
