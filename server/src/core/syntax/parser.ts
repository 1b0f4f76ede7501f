import type { CstNode, IToken, TokenType } from 'chevrotain';
import type { Statement } from './ast';
import { fastStatement } from './fastStatements';
import * as T from './lexer';
import { ProtocolRules } from './protocolParser';
import { dsyncLexer } from './scanner';

const K = T.keywordTokens;

/** What the fast path needs of Chevrotain beyond its typed API: the node being built and the token position (LexerAdapter, TreeBuilder). */
interface ParserInternals {
  readonly CST_STACK: CstNode[];
  exportLexerState(): number;
  importLexerState(index: number): void;
}

/**
 * The DSync grammar as a Chevrotain CST parser. It only recognises shape;
 * meaning (which option a block takes, which names exist) belongs to the
 * checker, so protocol blocks of later issues need no grammar change:
 * `nodes n1..n5 run raft { ... }` and `sync ntp { ... }` take generic options.
 *
 * Error recovery is on: a broken statement is skipped up to the next
 * statement keyword and the rest of the file is still parsed.
 */
export class DsyncParser extends ProtocolRules {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, nodeLocationTracking: 'full', maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  /**
   * Whether `statement` first tries the fast path (fastStatements.ts). Off
   * only in the test that compares the fast path with the grammar.
   */
  public readFastStatements = true;

  /**
   * The statements the fast path read during the current parse, by the
   * `statement` node that stands for each (a node with a location and no
   * children): cstToAst takes them as they are. A new map for every input.
   */
  public prebuilt = new Map<CstNode, Statement>();

  override reset(): void {
    super.reset();
    this.prebuilt = new Map();
  }

  public file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  private statement = this.RULE('statement', () => {
    if (!this.RECORDING_PHASE && this.readFastStatements && this.readFast()) return;
    this.OR([
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
    ]);
    this.OPTION(() => this.CONSUME(T.Semicolon));
  });

  // scenario NAME { seed 7  run for 2s  <option>* }
  private scenarioDecl = this.RULE('scenarioDecl', () => {
    this.CONSUME(K.scenario);
    this.CONSUME(T.Name);
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(K.run);
            this.CONSUME(K.for);
            this.SUBRULE(this.value, { LABEL: 'duration' });
          },
        },
        { ALT: () => this.SUBRULE(this.optionItem) },
      ]);
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RCurly);
  });

  // nodes A, B, n1..n5 [run PROTOCOL [{ options }]]
  private nodesDecl = this.RULE('nodesDecl', () => {
    this.CONSUME(K.nodes);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.nodeRef) });
    this.OPTION(() => {
      this.CONSUME(K.run);
      this.CONSUME(T.Name, { LABEL: 'protocol' });
      this.OPTION2(() => this.SUBRULE(this.optionBlock));
    });
  });

  private nodeRef = this.RULE('nodeRef', () => {
    this.CONSUME(T.Identifier, { LABEL: 'first' });
    this.OPTION(() => {
      this.CONSUME(T.DotDot);
      this.CONSUME2(T.Identifier, { LABEL: 'last' });
    });
  });

  private networkDecl = this.RULE('networkDecl', () => {
    this.CONSUME(K.network);
    this.SUBRULE(this.optionBlock);
  });

  // link A -> B { options }   or   link A <-> B { options }
  private linkDecl = this.RULE('linkDecl', () => {
    this.CONSUME(K.link);
    this.SUBRULE(this.linkRef);
    this.SUBRULE(this.optionBlock);
  });

  private linkRef = this.RULE('linkRef', () => {
    this.CONSUME(T.Identifier, { LABEL: 'from' });
    this.OR([{ ALT: () => this.CONSUME(T.Arrow) }, { ALT: () => this.CONSUME(T.BiArrow) }]);
    this.CONSUME2(T.Identifier, { LABEL: 'to' });
  });

  // clock A, B { offset +3ms drift +50ppm }
  private clockDecl = this.RULE('clockDecl', () => {
    this.CONSUME(K.clock);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.nodeRef) });
    this.SUBRULE(this.optionBlock);
  });

  // sync ntp { servers S; poll 1s }
  private syncDecl = this.RULE('syncDecl', () => {
    this.CONSUME(K.sync);
    this.CONSUME(T.Name, { LABEL: 'protocol' });
    this.SUBRULE(this.optionBlock);
  });

  // at 10ms A -> B "hello"
  private atStmt = this.RULE('atStmt', () => {
    this.CONSUME(K.at);
    this.SUBRULE(this.value, { LABEL: 'time' });
    this.SUBRULE(this.nodeAction);
  });

  // every 100ms A -> B "ping" [from 1s] [until 2s]
  private everyStmt = this.RULE('everyStmt', () => {
    this.CONSUME(K.every);
    this.SUBRULE(this.value, { LABEL: 'period' });
    this.SUBRULE(this.nodeAction);
    this.OPTION(() => {
      this.CONSUME(K.from);
      this.SUBRULE2(this.value, { LABEL: 'start' });
    });
    this.OPTION2(() => {
      this.CONSUME(K.until);
      this.SUBRULE3(this.value, { LABEL: 'stop' });
    });
  });

  // A -> B "label"  |  A -> * "label"  |  A local "label"
  private nodeAction = this.RULE('nodeAction', () => {
    this.CONSUME(T.Identifier, { LABEL: 'node' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Arrow);
          this.OR2([
            { ALT: () => this.CONSUME2(T.Identifier, { LABEL: 'target' }) },
            { ALT: () => this.CONSUME(T.Star, { LABEL: 'everyone' }) },
          ]);
          this.CONSUME(T.StringLiteral, { LABEL: 'label' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.local);
          this.CONSUME2(T.StringLiteral, { LABEL: 'label' });
        },
      },
    ]);
  });

  // on B receive "hello" [from A] { actions }
  private onStmt = this.RULE('onStmt', () => {
    this.CONSUME(K.on);
    this.CONSUME(T.Identifier, { LABEL: 'node' });
    this.CONSUME(K.receive);
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'label' }) },
      { ALT: () => this.CONSUME(K.any) },
    ]);
    this.OPTION(() => {
      this.CONSUME(K.from);
      this.CONSUME2(T.Identifier, { LABEL: 'sender' });
    });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.ruleAction);
      this.OPTION2(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RCurly);
  });

  // send [B ->] C "fwd" | reply "ack" | broadcast "x" | local "x" | after 5ms <action>
  private ruleAction = this.RULE('ruleAction', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.after);
          this.SUBRULE(this.value, { LABEL: 'delay' });
          this.SUBRULE(this.ruleAction, { LABEL: 'then' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.send);
          this.CONSUME(T.Identifier, { LABEL: 'target' });
          this.OPTION(() => {
            this.CONSUME(T.Arrow);
            this.CONSUME2(T.Identifier, { LABEL: 'target2' });
          });
          this.CONSUME(T.StringLiteral, { LABEL: 'label' });
        },
      },
      {
        ALT: () => {
          this.OR2([
            { ALT: () => this.CONSUME(K.reply, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(K.broadcast, { LABEL: 'verb' }) },
            { ALT: () => this.CONSUME(K.local, { LABEL: 'verb' }) },
          ]);
          this.CONSUME2(T.StringLiteral, { LABEL: 'label' });
        },
      },
    ]);
  });

  // faults { at T <fault>* }   or   faults random { crash 1 per 2s [for 300ms]* }
  private faultsBlock = this.RULE('faultsBlock', () => {
    this.CONSUME(K.faults);
    let random = false;
    this.OPTION2({
      // `random` is a word only here, not a reserved keyword.
      GATE: () => this.LA(1).image === 'random',
      DEF: () => {
        this.CONSUME(T.Identifier, { LABEL: 'random' });
        random = true;
      },
    });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        { GATE: () => !random, ALT: () => this.SUBRULE(this.faultStmt) },
        { GATE: () => random, ALT: () => this.SUBRULE(this.randomFaultStmt) },
      ]);
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RCurly);
  });

  // crash 1 per 2s [for 300ms] | partition 1 per 5s [for 1s] | drop 2 per 1s [for 100ms]
  private randomFaultStmt = this.RULE('randomFaultStmt', () => {
    this.OR([
      { ALT: () => this.CONSUME(K.crash, { LABEL: 'verb' }) },
      { ALT: () => this.CONSUME(K.partition, { LABEL: 'verb' }) },
      { ALT: () => this.CONSUME(K.drop, { LABEL: 'verb' }) },
    ]);
    this.SUBRULE(this.value, { LABEL: 'count' });
    // `per` is a word only here: a gated single alternative makes anything else a syntax error.
    this.OR2([{ GATE: () => this.LA(1).image === 'per', ALT: () => this.CONSUME(T.Identifier, { LABEL: 'per' }) }]);
    this.SUBRULE2(this.value, { LABEL: 'period' });
    this.OPTION(() => this.SUBRULE(this.forWindow));
  });

  // at T <fault>
  private faultStmt = this.RULE('faultStmt', () => {
    this.CONSUME(K.at);
    this.SUBRULE(this.value, { LABEL: 'time' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.partition);
          this.AT_LEAST_ONE_SEP({ SEP: T.Pipe, DEF: () => this.SUBRULE(this.nodeGroup) });
          this.OPTION(() => this.SUBRULE(this.forWindow));
        },
      },
      { ALT: () => this.CONSUME(K.heal) },
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(K.crash, { LABEL: 'verb' }) }, { ALT: () => this.CONSUME(K.restart, { LABEL: 'verb' }) }]);
          this.CONSUME(T.Identifier, { LABEL: 'node' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.clock);
          this.CONSUME2(T.Identifier, { LABEL: 'node' });
          this.OR3([{ ALT: () => this.CONSUME(K.jump, { LABEL: 'change' }) }, { ALT: () => this.CONSUME(K.drift, { LABEL: 'change' }) }]);
          this.SUBRULE2(this.value, { LABEL: 'amount' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.drop);
          this.SUBRULE(this.linkRef);
          this.OPTION2(() => this.SUBRULE2(this.forWindow));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.delay);
          this.SUBRULE2(this.linkRef);
          this.CONSUME(K.by);
          this.SUBRULE3(this.value, { LABEL: 'extra' });
          this.OPTION3(() => this.SUBRULE3(this.forWindow));
        },
      },
    ]);
  });

  private forWindow = this.RULE('forWindow', () => {
    this.CONSUME(K.for);
    this.SUBRULE(this.value, { LABEL: 'length' });
  });

  private nodeGroup = this.RULE('nodeGroup', () => {
    this.CONSUME(T.LCurly);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.nodeRef) });
    this.CONSUME(T.RCurly);
  });

  // invariant NAME [(args)] [within T] [op value]   |   invariant NAME: <temporal formula>
  private invariantDecl = this.RULE('invariantDecl', () => {
    this.CONSUME(K.invariant);
    // `invariant n1.term <= 3`: a condition where the name belongs. Read whole, so the
    // checker can offer the property form (`invariant n1_term: always n1.term <= 3`)
    // instead of a cascade of syntax errors at the '.'.
    this.OR([
      { GATE: () => this.LA(2).tokenType === T.Dot, ALT: () => this.SUBRULE(this.expression, { LABEL: 'misplacedCondition' }) },
      { ALT: () => this.SUBRULE(this.namedInvariant) },
    ]);
  });

  private namedInvariant = this.RULE('namedInvariant', () => {
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          this.SUBRULE(this.temporal, { LABEL: 'formula' });
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.SUBRULE(this.argList));
          this.OPTION2(() => {
            this.CONSUME(K.within);
            this.SUBRULE(this.value, { LABEL: 'within' });
          });
          this.OPTION3(() => {
            this.SUBRULE(this.comparator);
            this.SUBRULE2(this.value, { LABEL: 'bound' });
          });
        },
      },
    ]);
  });

  // expect <expression> [at end | at 1s]   (e.g. `expect B.lamport >= 3 at end`)
  private expectDecl = this.RULE('expectDecl', () => {
    this.CONSUME(K.expect);
    this.SUBRULE(this.expression, { LABEL: 'condition' });
    this.OPTION(() => {
      this.CONSUME(K.at);
      this.OR([{ ALT: () => this.CONSUME(K.end) }, { ALT: () => this.SUBRULE(this.value, { LABEL: 'time' }) }]);
    });
  });

  // client c1 [to n1, n2 | to raft] { at 1s put x = 5; every 100ms get x [from T] [until T]; timeout 200ms }
  private clientDecl = this.RULE('clientDecl', () => {
    this.CONSUME(K.client);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION({
      // `to` is a word only here, not a reserved keyword.
      GATE: () => this.LA(1).image === 'to',
      DEF: () => {
        this.CONSUME2(T.Identifier, { LABEL: 'to' });
        this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.nodeRef) });
      },
    });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.clientItem);
      this.OPTION2(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RCurly);
  });

  private clientItem = this.RULE('clientItem', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.at);
          this.SUBRULE(this.value, { LABEL: 'time' });
          this.SUBRULE(this.clientOp);
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.every);
          this.SUBRULE2(this.value, { LABEL: 'period' });
          this.SUBRULE2(this.clientOp);
          this.OPTION(() => {
            this.CONSUME(K.from);
            this.SUBRULE3(this.value, { LABEL: 'start' });
          });
          this.OPTION2(() => {
            this.CONSUME(K.until);
            this.SUBRULE4(this.value, { LABEL: 'stop' });
          });
        },
      },
      {
        // a setting: `timeout 200ms`
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: 'key' });
          this.SUBRULE5(this.value, { LABEL: 'setting' });
        },
      },
    ]);
  });

  // put x = 5 | get x   (`put` and `get` are checked by the checker, not reserved words)
  private clientOp = this.RULE('clientOp', () => {
    this.CONSUME(T.Identifier, { LABEL: 'verb' });
    this.CONSUME2(T.Identifier, { LABEL: 'key' });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.value);
    });
  });

  private comparator = this.RULE('comparator', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.LessEqual) },
      { ALT: () => this.CONSUME(T.Greater) },
      { ALT: () => this.CONSUME(T.GreaterEqual) },
      { ALT: () => this.CONSUME(T.EqualEqual) },
      { ALT: () => this.CONSUME(T.NotEqual) },
    ]);
  });

  private optionBlock = this.RULE('optionBlock', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.optionItem);
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RCurly);
  });

  // key value [, value]*      e.g. `latency 5ms..20ms`, `servers S1, S2`, `priority M1 = 1`
  private optionItem = this.RULE('optionItem', () => {
    this.CONSUME(T.Name, { LABEL: 'key' });
    this.OPTION(() => this.CONSUME(T.Colon));
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.optionValue) });
  });

  protected optionValue = this.RULE('optionValue', () => {
    this.SUBRULE(this.value, { LABEL: 'value' });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE2(this.value, { LABEL: 'assigned' });
    });
  });

  private argList = this.RULE('argList', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.value) });
    this.CONSUME(T.RParen);
  });

  // an atom, a range `a..b`, or a call `normal(10ms, 2ms)`
  private value = this.RULE('value', () => {
    this.SUBRULE(this.atom, { LABEL: 'low' });
    this.OPTION(() => {
      this.CONSUME(T.DotDot);
      this.SUBRULE2(this.atom, { LABEL: 'high' });
    });
  });

  private atom = this.RULE('atom', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Duration) },
      { ALT: () => this.CONSUME(T.Ppm) },
      { ALT: () => this.CONSUME(T.Percent) },
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(K.true) },
      { ALT: () => this.CONSUME(K.false) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION(() => this.SUBRULE(this.argList));
        },
      },
    ]);
  });

  /**
   * Reads the next statement by the fast path if it can: the tokens it takes
   * are consumed, and the `statement` node gets their location (what the
   * grammar's CONSUMEs would have given it, so the file's range is the same).
   */
  private readFast(): boolean {
    const internals = this as unknown as ParserInternals;
    const next = internals.exportLexerState() + 1;
    const read = fastStatement(this.input, next);
    if (!read) return false;
    const first = this.input[next]!;
    const last = this.input[read.end - 1]!;
    // With recovery on, Chevrotain starts every node's location as NaN and widens it per token.
    const location = internals.CST_STACK[internals.CST_STACK.length - 1]!.location!;
    location.startOffset = first.startOffset;
    location.startLine = first.startLine;
    location.startColumn = first.startColumn;
    location.endOffset = last.endOffset;
    location.endLine = last.endLine;
    location.endColumn = last.endColumn;
    internals.importLexerState(read.end - 1);
    this.prebuilt.set(internals.CST_STACK[internals.CST_STACK.length - 1]!, read.statement);
    return true;
  }

  /** Tokens a broken statement is skipped up to during recovery. */
  override canTokenTypeBeInsertedInRecovery(tokType: TokenType): boolean {
    return tokType === T.RCurly || tokType === T.RParen;
  }
}

/** The one parser instance; Chevrotain parsers are meant to be reused. */
export const dsyncParser = new DsyncParser();

export interface CstParseResult {
  readonly cst: CstNode;
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly lexErrors: ReturnType<typeof dsyncLexer.tokenize>['errors'];
  readonly parseErrors: typeof dsyncParser.errors;
}

export function parseToCst(text: string): CstParseResult {
  const lexed = dsyncLexer.tokenize(text);
  dsyncParser.input = lexed.tokens;
  const cst = dsyncParser.file();
  return {
    cst,
    tokens: lexed.tokens,
    comments: (lexed.groups['comments'] ?? []) as IToken[],
    lexErrors: lexed.errors,
    parseErrors: [...dsyncParser.errors],
  };
}
