import { CstParser, type IToken } from 'chevrotain';
import * as T from './lexer';

const K = T.keywordTokens;

/** A number or time literal written with a sign: after an operand it reads as `+`/`-` (`a -1` is `a - 1`). */
function isSignedLiteral(t: IToken): boolean {
  const type = t.tokenType;
  return (type === T.NumberLiteral || type === T.Duration) && (t.image.startsWith('-') || t.image.startsWith('+'));
}

/**
 * The grammar of expressions (properties today, protocol code later), as a
 * base class the file grammar extends. Precedence, loosest first, as TLA+
 * and Quint readers expect: `implies` (right-associative), `or`, `and`,
 * `not`, comparison and `in` (not chained), `+ -`, `* / %`, unary `-`,
 * postfix `.name`, `.name(args)` and `[index]`. A quantifier's body and an
 * `if`'s `else` reach as far right as possible.
 */
export abstract class ExpressionRules extends CstParser {
  protected expression = this.RULE('expression', () => {
    this.SUBRULE(this.disjunction, { LABEL: 'lhs' });
    this.OPTION(() => {
      this.CONSUME(K.implies);
      this.SUBRULE(this.expression, { LABEL: 'rhs' });
    });
  });

  private disjunction = this.RULE('disjunction', () => {
    this.SUBRULE(this.conjunction, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(K.or);
      this.SUBRULE2(this.conjunction, { LABEL: 'operand' });
    });
  });

  private conjunction = this.RULE('conjunction', () => {
    this.SUBRULE(this.negation, { LABEL: 'operand' });
    this.MANY(() => {
      this.CONSUME(K.and);
      this.SUBRULE2(this.negation, { LABEL: 'operand' });
    });
  });

  private negation = this.RULE('negation', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(K.not);
          this.SUBRULE(this.negation, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.SUBRULE(this.comparison, { LABEL: 'operand' }) },
    ]);
  });

  private comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.additive, { LABEL: 'operand' });
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Less, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(T.LessEqual, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(T.Greater, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(T.GreaterEqual, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(T.EqualEqual, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(T.NotEqual, { LABEL: 'op' }) },
        { ALT: () => this.CONSUME(K.in, { LABEL: 'op' }) },
      ]);
      this.SUBRULE2(this.additive, { LABEL: 'operand' });
    });
  });

  private additive = this.RULE('additive', () => {
    this.SUBRULE(this.multiplicative, { LABEL: 'operand' });
    this.MANY({
      GATE: () => {
        const next = this.LA(1);
        return next.tokenType === T.Plus || next.tokenType === T.Minus || isSignedLiteral(next);
      },
      DEF: () => this.SUBRULE(this.addTail, { LABEL: 'tail' }),
    });
  });

  // `+ b`, `- b`, or a signed literal `-1` (with its own `* / %` tail: `a -2 * b` is `a - 2 * b`)
  private addTail = this.RULE('addTail', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Plus, { LABEL: 'op' }) }, { ALT: () => this.CONSUME(T.Minus, { LABEL: 'op' }) }]);
          this.SUBRULE(this.multiplicative, { LABEL: 'operand' });
        },
      },
      {
        ALT: () => {
          this.OR3([{ ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: 'signed' }) }, { ALT: () => this.CONSUME(T.Duration, { LABEL: 'signed' }) }]);
          this.MANY(() => this.SUBRULE(this.mulTail, { LABEL: 'tail' }));
        },
      },
    ]);
  });

  private multiplicative = this.RULE('multiplicative', () => {
    this.SUBRULE(this.unary, { LABEL: 'operand' });
    this.MANY(() => this.SUBRULE(this.mulTail, { LABEL: 'tail' }));
  });

  private mulTail = this.RULE('mulTail', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Star, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Slash, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Modulo, { LABEL: 'op' }) },
    ]);
    this.SUBRULE(this.unary, { LABEL: 'operand' });
  });

  private unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus, { LABEL: 'op' });
          this.SUBRULE(this.unary, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.SUBRULE(this.postfix, { LABEL: 'operand' }) },
    ]);
  });

  private postfix = this.RULE('postfix', () => {
    this.SUBRULE(this.primary, { LABEL: 'operand' });
    this.MANY(() => this.SUBRULE(this.postfixTail, { LABEL: 'tail' }));
  });

  private postfixTail = this.RULE('postfixTail', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Dot);
          this.CONSUME(T.Name, { LABEL: 'name' });
          this.OPTION(() => this.SUBRULE(this.callArgs, { LABEL: 'args' }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          this.SUBRULE(this.expression, { LABEL: 'index' });
          this.CONSUME(T.RBracket);
        },
      },
    ]);
  });

  private primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.Duration, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(K.true, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(K.false, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(K.none, { LABEL: 'literal' }) },
      { ALT: () => this.CONSUME(K.nodes, { LABEL: 'name' }) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: 'name' });
          this.OPTION(() => this.SUBRULE(this.callArgs, { LABEL: 'args' }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression, { LABEL: 'inner' });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.braces, { LABEL: 'braces' }) },
      { ALT: () => this.SUBRULE(this.listLiteral, { LABEL: 'list' }) },
      { ALT: () => this.SUBRULE(this.quantified, { LABEL: 'quantified' }) },
      { ALT: () => this.SUBRULE(this.conditional, { LABEL: 'conditional' }) },
    ]);
  });

  // (a, b) | (x in S where P) | (x in S: e)
  private callArgs = this.RULE('callArgs', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'arg' }) });
      this.OPTION2(() => {
        this.OR([{ ALT: () => this.CONSUME(K.where, { LABEL: 'clause' }) }, { ALT: () => this.CONSUME(T.Colon, { LABEL: 'clause' }) }]);
        this.SUBRULE2(this.expression, { LABEL: 'clauseBody' });
      });
    });
    this.CONSUME(T.RParen);
  });

  // {} | {a, b} (a set) | { term: 3, leader: n1 } (a record)
  private braces = this.RULE('braces', () => {
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.recordField, { LABEL: 'field' }) });
          },
        },
        { ALT: () => this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'item' }) }) },
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  private recordField = this.RULE('recordField', () => {
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  private listLiteral = this.RULE('listLiteral', () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: 'item' }) });
    this.CONSUME(T.RBracket);
  });

  // forall a, b in raft: P
  private quantified = this.RULE('quantified', () => {
    this.OR([{ ALT: () => this.CONSUME(K.forall, { LABEL: 'quantifier' }) }, { ALT: () => this.CONSUME(K.exists, { LABEL: 'quantifier' }) }]);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier, { LABEL: 'variable' }) });
    this.CONSUME(K.in);
    this.SUBRULE(this.additive, { LABEL: 'over' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression, { LABEL: 'body' });
  });

  private conditional = this.RULE('conditional', () => {
    this.CONSUME(K.if);
    this.SUBRULE(this.expression, { LABEL: 'cond' });
    this.CONSUME(K.then);
    this.SUBRULE2(this.expression, { LABEL: 'then' });
    this.CONSUME(K.else);
    this.SUBRULE3(this.expression, { LABEL: 'else' });
  });

  // always P | never P | eventually within T P | whenever P then within T Q | P (always)
  protected temporal = this.RULE('temporal', () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(K.always, { LABEL: 'form' }) }, { ALT: () => this.CONSUME(K.never, { LABEL: 'form' }) }]);
          this.SUBRULE(this.expression, { LABEL: 'body' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.eventually, { LABEL: 'form' });
          this.CONSUME(K.within);
          this.CONSUME(T.Duration, { LABEL: 'within' });
          this.SUBRULE2(this.expression, { LABEL: 'body' });
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.whenever, { LABEL: 'form' });
          this.SUBRULE3(this.expression, { LABEL: 'trigger' });
          this.CONSUME(K.then);
          this.CONSUME2(K.within);
          this.CONSUME2(T.Duration, { LABEL: 'within' });
          this.SUBRULE4(this.expression, { LABEL: 'body' });
        },
      },
      { ALT: () => this.SUBRULE5(this.expression, { LABEL: 'body' }) },
    ]);
  });
}
