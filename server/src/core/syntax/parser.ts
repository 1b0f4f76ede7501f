import type { IOrAlt, IToken, TokenType } from 'chevrotain';
import { NO_RANGE, type SourceRange } from '../source';
import type * as A from './ast';
import type { Built } from './actionParser';
import { FaultAndClientRules } from './faultsAndClientsParser';
import * as T from './lexer';
import { isReal, name, span, stringLit } from './tokenAst';

const K = T.keywordTokens;

/**
 * The DSync grammar as one Chevrotain parser with embedded actions: each
 * rule builds its piece of the AST as it recognises it (no CST, no second
 * pass). It only recognises shape; meaning (which option a block takes,
 * which names exist) belongs to the checker, so protocol blocks of later
 * issues need no grammar change: `nodes n1..n5 run raft { ... }` and
 * `sync ntp { ... }` take generic options.
 *
 * Error recovery is on: a broken statement is skipped up to the next
 * statement keyword and the rest of the file is still parsed. A statement
 * holding a piece the parser had to invent or skip is left out of the AST
 * (its syntax error is reported), except a node list, which keeps the names
 * written before the error: dropping them would turn one syntax error into
 * DS110 on every later line.
 */
export class DsyncParser extends FaultAndClientRules {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  /** The statements of the current input, in order. */
  public statements: A.Statement[] = [];

  /** A node list being read: what it keeps if an error cuts it short. */
  private partialNodes: { start: IToken; refs: A.NodeRef[] } | undefined;

  /** The reports' length before the statement being read, dropped with it. */
  private statementMark = 0;

  override reset(): void {
    super.reset();
    this.statements = [];
    this.partialNodes = undefined;
    this.statementMark = 0;
  }

  /** The range of everything the parser consumed (an empty range at the start when nothing). */
  public fileRange(): SourceRange {
    return this.firstConsumed && this.lastConsumed ? span(this.firstConsumed, this.lastConsumed) : NO_RANGE;
  }

  /** The node list an error cut short, as far as it was written (see the class comment). */
  private takePartialNodes(): A.NodesDecl | null {
    const partial = this.partialNodes;
    this.partialNodes = undefined;
    return partial ? { kind: 'nodes', refs: partial.refs, range: this.rangeFrom(partial.start) } : null;
  }

  public file = this.RULE(
    'file',
    (): void => {
      this.MANY(() => {
        this.ACTION(() => {
          this.statementMark = this.reports.length;
        });
        const s = this.SUBRULE(this.statement);
        this.ACTION(() => {
          if (s !== null) this.statements.push(s);
          else this.reports.length = this.statementMark;
        });
      });
    },
    {
      recoveryValueFunc: () => {
        // An error no rule re-synchronised at ends the file: the statement it cut short is dropped, or kept partly (a node list).
        this.reports.length = this.statementMark;
        const partial = this.takePartialNodes();
        if (partial) this.statements.push(partial);
      },
    },
  );

  private statementKinds: IOrAlt<Built<A.Statement>>[] | undefined;

  private statement = this.RULE(
    'statement',
    (): Built<A.Statement> => {
      // The alternatives hold no state of one call: made once, not on every statement (Chevrotain's performance guide).
      const s = this.OR((this.statementKinds ??= [
        { ALT: () => this.SUBRULE(this.scenarioDecl) },
        { ALT: () => this.SUBRULE(this.nodesDecl) },
        { ALT: () => this.SUBRULE(this.networkDecl) },
        { ALT: () => this.SUBRULE(this.linkDecl) },
        { ALT: () => this.SUBRULE(this.clockDecl) },
        { ALT: () => this.SUBRULE(this.atStmt) },
        { ALT: () => this.SUBRULE(this.everyStmt) },
        { ALT: () => this.SUBRULE(this.onStmt) },
        { ALT: () => this.SUBRULE(this.faultsBlock) },
        { ALT: () => this.SUBRULE(this.syncDecl) },
        { ALT: () => this.SUBRULE(this.invariantDecl) },
        { ALT: () => this.SUBRULE(this.expectDecl) },
        { ALT: () => this.SUBRULE(this.clientDecl) },
        { ALT: () => this.SUBRULE(this.protocolDecl) },
      ]));
      this.OPTION(() => this.CONSUME(T.Semicolon));
      return s;
    },
    { recoveryValueFunc: () => this.takePartialNodes() },
  );

  // scenario NAME { seed 7  run for 2s  <option>* }
  private scenarioDecl = this.rule('scenarioDecl', (): Built<A.ScenarioDecl> => {
    const options: A.OptionSetting[] = [];
    let duration: Built<A.Value> | undefined;
    const start = this.CONSUME(K.scenario);
    const scenario = this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(K.run);
            this.CONSUME(K.for);
            const d = this.SUBRULE(this.value);
            // The first `run for` is the duration (the checker reports a second one).
            this.ACTION(() => {
              if (duration === undefined) duration = d;
            });
          },
        },
        {
          ALT: () => {
            const o = this.SUBRULE(this.optionItem);
            this.ACTION(() => {
              if (o !== null) options.push(o);
            });
          },
        },
      ]);
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() =>
      duration === null ? null : { kind: 'scenario', name: name(scenario), ...(duration ? { duration } : {}), options, range: this.rangeFrom(start) },
    );
  });

  // nodes A, B, n1..n5 [run PROTOCOL [{ options }]]
  private nodesDecl = this.RULE(
    'nodesDecl',
    (): Built<A.NodesDecl> => {
      const start = this.CONSUME(K.nodes);
      const partial = this.ACTION(() => (this.partialNodes = { start, refs: [] as A.NodeRef[] }));
      this.AT_LEAST_ONE_SEP({
        SEP: T.Comma,
        DEF: () => {
          const ref = this.SUBRULE(this.nodeRef);
          this.ACTION(() => {
            if (ref !== null) partial.refs.push(ref);
          });
        },
      });
      const protocol = this.OPTION(() => {
        this.CONSUME(K.run);
        const protocolName = this.CONSUME(T.Name);
        const block = this.OPTION2(() => this.SUBRULE(this.optionBlock));
        return this.ACTION(() => (block === null ? null : this.binding(protocolName, block)));
      });
      return this.ACTION(() => {
        this.partialNodes = undefined;
        return protocol === null ? null : { kind: 'nodes', refs: partial.refs, ...(protocol ? { protocol } : {}), range: this.rangeFrom(start) };
      });
    },
    { recoveryValueFunc: () => this.takePartialNodes() },
  );

  private networkDecl = this.rule('networkDecl', (): Built<A.NetworkDecl> => {
    const start = this.CONSUME(K.network);
    const options = this.SUBRULE(this.optionBlock);
    return this.ACTION(() => (options === null ? null : { kind: 'network', options, range: this.rangeFrom(start) }));
  });

  // link A -> B { options }   or   link A <-> B { options }
  private linkDecl = this.rule('linkDecl', (): Built<A.LinkDecl> => {
    const start = this.CONSUME(K.link);
    const link = this.SUBRULE(this.linkRef);
    const options = this.SUBRULE(this.optionBlock);
    return this.ACTION(() => (link === null || options === null ? null : { kind: 'link', link, options, range: this.rangeFrom(start) }));
  });

  // clock A, B { offset +3ms drift +50ppm }
  private clockDecl = this.rule('clockDecl', (): Built<A.ClockDecl> => {
    const refs: Built<A.NodeRef>[] = [];
    const start = this.CONSUME(K.clock);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => this.keep(refs, this.SUBRULE(this.nodeRef)),
    });
    const options = this.SUBRULE(this.optionBlock);
    return this.ACTION(() => (refs.includes(null) || options === null ? null : { kind: 'clock', nodes: refs as A.NodeRef[], options, range: this.rangeFrom(start) }));
  });

  // sync ntp { servers S; poll 1s }
  private syncDecl = this.rule('syncDecl', (): Built<A.SyncDecl> => {
    const start = this.CONSUME(K.sync);
    const protocolName = this.CONSUME(T.Name);
    const block = this.SUBRULE(this.optionBlock);
    return this.ACTION(() => (block === null ? null : { kind: 'sync', protocol: this.binding(protocolName, block), range: this.rangeFrom(start) }));
  });

  // at 10ms A -> B "hello"
  private atStmt = this.rule('atStmt', (): Built<A.AtStmt> => {
    const start = this.CONSUME(K.at);
    const time = this.SUBRULE(this.value);
    const action = this.SUBRULE(this.nodeAction);
    return this.ACTION(() => (time === null || action === null ? null : { kind: 'at', time, action, range: this.rangeFrom(start) }));
  });

  // every 100ms A -> B "ping" [from 1s] [until 2s]
  private everyStmt = this.rule('everyStmt', (): Built<A.EveryStmt> => {
    const start = this.CONSUME(K.every);
    const period = this.SUBRULE(this.value);
    const action = this.SUBRULE(this.nodeAction);
    const from = this.OPTION(() => {
      this.CONSUME(K.from);
      return this.SUBRULE2(this.value);
    });
    const until = this.OPTION2(() => {
      this.CONSUME(K.until);
      return this.SUBRULE3(this.value);
    });
    return this.ACTION(() =>
      period === null || action === null || from === null || until === null
        ? null
        : { kind: 'every', period, action, ...(from ? { start: from } : {}), ...(until ? { stop: until } : {}), range: this.rangeFrom(start) },
    );
  });

  // A -> B "label"  |  A -> * "label"  |  A local "label"
  private nodeAction = this.rule('nodeAction', (): Built<A.NodeAction> => {
    const actor = this.CONSUME(T.Identifier);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Arrow);
          const target = this.OR2([{ ALT: () => this.CONSUME2(T.Identifier) }, { ALT: () => this.CONSUME(T.Star) }]);
          const label = this.CONSUME(T.StringLiteral);
          return this.ACTION((): A.NodeAction => ({
            kind: 'send',
            node: name(actor),
            target: target.tokenType === T.Star ? 'everyone' : name(target),
            label: stringLit(label),
            range: this.rangeFrom(actor),
          }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.local);
          const label = this.CONSUME2(T.StringLiteral);
          return this.ACTION((): A.NodeAction => ({ kind: 'local', node: name(actor), label: stringLit(label), range: this.rangeFrom(actor) }));
        },
      },
    ]);
  });

  // on B receive "hello" [from A] { actions }
  private onStmt = this.rule('onStmt', (): Built<A.OnStmt> => {
    const actions: A.RuleAction[] = [];
    const start = this.CONSUME(K.on);
    const node = this.CONSUME(T.Identifier);
    this.CONSUME(K.receive);
    const label = this.OR([{ ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.CONSUME(K.any) }]);
    const sender = this.OPTION(() => {
      this.CONSUME(K.from);
      return this.CONSUME2(T.Identifier);
    });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const action = this.SUBRULE(this.ruleAction);
      this.ACTION(() => {
        if (action !== null) actions.push(action);
      });
      this.OPTION2(() => this.CONSUME(T.Semicolon));
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION((): Built<A.OnStmt> => {
      if (!isReal(close)) return null;
      return {
        kind: 'on',
        node: name(node),
        ...(label.tokenType === T.StringLiteral ? { label: stringLit(label) } : {}),
        ...(sender ? { sender: name(sender) } : {}),
        actions,
        range: this.rangeFrom(start),
      };
    });
  });

  // send [B ->] C "fwd" | reply "ack" | broadcast "x" | local "x" | after 5ms <action>
  private ruleActionKinds: IOrAlt<Built<A.RuleAction>>[] | undefined;

  private ruleAction = this.rule('ruleAction', (): Built<A.RuleAction> =>
    this.OR((this.ruleActionKinds ??= [
      {
        ALT: () => {
          const after = this.CONSUME(K.after);
          const delay = this.SUBRULE(this.value);
          const then = this.SUBRULE(this.ruleAction);
          return this.ACTION((): Built<A.RuleAction> => (delay === null || then === null ? null : { kind: 'after', delay, then, range: this.rangeFrom(after) }));
        },
      },
      {
        ALT: () => {
          const send = this.CONSUME(K.send);
          const first = this.CONSUME(T.Identifier);
          const second = this.OPTION(() => {
            this.CONSUME(T.Arrow);
            return this.CONSUME2(T.Identifier);
          });
          const label = this.CONSUME(T.StringLiteral);
          return this.ACTION((): A.RuleAction =>
            second
              ? { kind: 'send', from: name(first), target: name(second), label: stringLit(label), range: this.rangeFrom(send) }
              : { kind: 'send', target: name(first), label: stringLit(label), range: this.rangeFrom(send) },
          );
        },
      },
      {
        ALT: () => {
          const verb = this.OR2([{ ALT: () => this.CONSUME(K.reply) }, { ALT: () => this.CONSUME(K.broadcast) }, { ALT: () => this.CONSUME(K.local) }]);
          const label = this.CONSUME2(T.StringLiteral);
          return this.ACTION((): A.RuleAction => ({ kind: verb.image as 'reply' | 'broadcast' | 'local', label: stringLit(label), range: this.rangeFrom(verb) }));
        },
      },
    ])),
  );

  /** Tokens a broken statement is skipped up to during recovery. */
  override canTokenTypeBeInsertedInRecovery(tokType: TokenType): boolean {
    return tokType === T.RCurly || tokType === T.RParen;
  }
}

/** The one parser instance; Chevrotain parsers are meant to be reused. */
export const dsyncParser = new DsyncParser();
