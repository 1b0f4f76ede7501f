import type { CstNode, IToken, TokenType } from 'chevrotain';
import * as T from './lexer';
import { FaultAndClientRules } from './faultsAndClientsParser';
import { dsyncLexer } from './scanner';

const K = T.keywordTokens;

/**
 * The DSync grammar as a Chevrotain CST parser. It only recognises shape;
 * meaning (which option a block takes, which names exist) belongs to the
 * checker, so protocol blocks of later issues need no grammar change:
 * `nodes n1..n5 run raft { ... }` and `sync ntp { ... }` take generic options.
 *
 * Error recovery is on: a broken statement is skipped up to the next
 * statement keyword and the rest of the file is still parsed.
 */
export class DsyncParser extends FaultAndClientRules {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, nodeLocationTracking: 'full', maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  public file = this.RULE('file', () => {
    this.MANY(() => this.SUBRULE(this.statement));
  });

  private statement = this.RULE('statement', () => {
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

  protected nodeRef = this.RULE('nodeRef', () => {
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

  protected linkRef = this.RULE('linkRef', () => {
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

  protected argList = this.RULE('argList', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.value) });
    this.CONSUME(T.RParen);
  });

  // an atom, a range `a..b`, or a call `normal(10ms, 2ms)`
  protected value = this.RULE('value', () => {
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
