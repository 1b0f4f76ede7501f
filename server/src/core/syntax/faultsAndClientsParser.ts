import type { CstNode, ParserMethod } from 'chevrotain';
import * as T from './lexer';
import { ProtocolRules } from './protocolParser';

const K = T.keywordTokens;

/**
 * The grammar of the statements that open their own block or formula:
 * faults (scripted and random), invariants, expectations and clients.
 * Part of the file grammar (parser.ts extends this class), kept apart so
 * each grammar file stays small; the rules shared with the rest of the file
 * (values, node and link references, argument lists) are parser.ts's.
 */
export abstract class FaultAndClientRules extends ProtocolRules {
  protected abstract value: ParserMethod<[], CstNode>;
  protected abstract nodeRef: ParserMethod<[], CstNode>;
  protected abstract linkRef: ParserMethod<[], CstNode>;
  protected abstract argList: ParserMethod<[], CstNode>;

  // faults { at T <fault>* }   or   faults random { crash 1 per 2s [for 300ms]* }
  protected faultsBlock = this.RULE('faultsBlock', () => {
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
  protected invariantDecl = this.RULE('invariantDecl', () => {
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
  protected expectDecl = this.RULE('expectDecl', () => {
    this.CONSUME(K.expect);
    this.SUBRULE(this.expression, { LABEL: 'condition' });
    this.OPTION(() => {
      this.CONSUME(K.at);
      this.OR([{ ALT: () => this.CONSUME(K.end) }, { ALT: () => this.SUBRULE(this.value, { LABEL: 'time' }) }]);
    });
  });

  // client c1 [to n1, n2 | to raft] { at 1s put x = 5; every 100ms get x [from T] [until T]; timeout 200ms }
  protected clientDecl = this.RULE('clientDecl', () => {
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
}
