import type { IOrAlt, IToken, ParserMethod, TokenType } from 'chevrotain';
import type { BinaryOp, Comprehension, Expr, ExprName, TemporalFormula } from '../expr/ast';
import { spanRanges } from '../source';
import { ActionParser, type Built } from './actionParser';
import * as T from './lexer';
import { exprName, isReal, literalToken, timeLiteral, tokenRange } from './tokenAst';

const K = T.keywordTokens;

/** A number or time literal written with a sign: after an operand it reads as `+`/`-` (`a -1` is `a - 1`). */
function isSignedLiteral(t: IToken): boolean {
  const type = t.tokenType;
  return (type === T.NumberLiteral || type === T.Duration) && (t.image.startsWith('-') || t.image.startsWith('+'));
}

/**
 * The grammar of expressions (properties today, protocol code later), as a
 * base class the file grammar extends, its actions building the expression
 * AST. Precedence, loosest
 * first, as TLA+ and Quint readers expect: `implies` (right-associative),
 * `or`, `and`, `not`, comparison and `in` (not chained), `+ -`, `* / %`,
 * unary `-`, postfix `.name`, `.name(args)` and `[index]`. A quantifier's
 * body and an `if`'s `else` reach as far right as possible.
 */
export abstract class ExpressionRules extends ActionParser {
  /**
   * The comparison operators, as OR alternatives made once: an expression's
   * comparison (which also takes `in`) and a client expectation's bound
   * (faultsAndClientsParser.ts `comparator`) read the same six.
   */
  protected readonly comparisonOperators = [T.Less, T.LessEqual, T.Greater, T.GreaterEqual, T.EqualEqual, T.NotEqual].map((t) => ({ ALT: () => this.CONSUME(t) }));
  private readonly comparisonOrIn = [...this.comparisonOperators, { ALT: () => this.CONSUME(K.in) }];

  protected expression = this.rule('expression', (): Built<Expr> => {
    const lhs = this.SUBRULE(this.disjunction);
    const rhs = this.OPTION(() => {
      this.CONSUME(K.implies);
      return this.SUBRULE(this.expression);
    });
    return this.ACTION(() => {
      if (lhs === null || rhs === null) return null;
      return rhs === undefined ? lhs : binary('implies', lhs, rhs);
    });
  });

  private disjunction = this.rule('disjunction', (): Built<Expr> => this.leftFold('or', K.or, this.conjunction));

  private conjunction = this.rule('conjunction', (): Built<Expr> => this.leftFold('and', K.and, this.negation));

  /** `operand (word operand)*`, folded to the left. */
  private leftFold(op: 'or' | 'and', word: TokenType, operand: ParserMethod<[], Built<Expr>>): Built<Expr> {
    let result = this.SUBRULE(operand);
    this.MANY(() => {
      this.CONSUME(word);
      const right = this.SUBRULE2(operand);
      this.ACTION(() => {
        result = result === null || right === null ? null : binary(op, result, right);
      });
    });
    return result;
  }

  private negation = this.rule('negation', (): Built<Expr> =>
    this.OR([
      {
        ALT: () => {
          const not = this.CONSUME(K.not);
          const operand = this.SUBRULE(this.negation);
          return this.ACTION(() => (operand === null ? null : { kind: 'unary', op: 'not', operand, range: this.rangeFrom(not) }));
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]),
  );

  private comparison = this.rule('comparison', (): Built<Expr> => {
    const left = this.SUBRULE(this.additive);
    const right = this.OPTION(() => {
      const op = this.OR(this.comparisonOrIn);
      const operand = this.SUBRULE2(this.additive);
      return this.ACTION(() => (left === null || operand === null ? null : binary(op.image as BinaryOp, left, operand)));
    });
    return right === undefined ? left : right;
  });

  private additive = this.rule('additive', (): Built<Expr> => {
    let result = this.SUBRULE(this.multiplicative);
    this.MANY({
      GATE: () => {
        const next = this.LA(1);
        return next.tokenType === T.Plus || next.tokenType === T.Minus || isSignedLiteral(next);
      },
      DEF: () => {
        result = this.SUBRULE(this.addTail, { ARGS: [result] });
      },
    });
    return result;
  });

  // `+ b`, `- b`, or a signed literal `-1` (with its own `* / %` tail: `a -2 * b` is `a - 2 * b`)
  private addTail = this.rule('addTail', (left: Built<Expr>): Built<Expr> =>
    this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
          const right = this.SUBRULE(this.multiplicative);
          return this.ACTION(() => (left === null || right === null ? null : binary(op.image as '+' | '-', left, right)));
        },
      },
      {
        ALT: () => {
          const signed = this.OR3([{ ALT: () => this.CONSUME(T.NumberLiteral) }, { ALT: () => this.CONSUME2(T.Duration) }]);
          // `a -2 * b`: the sign is the operator, the literal without it the first operand.
          let right = this.ACTION((): Built<Expr> => {
            const r = tokenRange(signed);
            return literalToken(signed, signed.image.slice(1), { ...r, startOffset: r.startOffset + 1, startColumn: r.startColumn + 1 });
          });
          this.MANY(() => {
            right = this.SUBRULE(this.mulTail, { ARGS: [right] });
          });
          return this.ACTION(() => (left === null || right === null ? null : binary(signed.image[0] as '+' | '-', left, right)));
        },
      },
    ]),
  );

  private multiplicative = this.rule('multiplicative', (): Built<Expr> => {
    let result = this.SUBRULE(this.unary);
    this.MANY(() => {
      result = this.SUBRULE(this.mulTail, { ARGS: [result] });
    });
    return result;
  });

  private mulTail = this.rule('mulTail', (left: Built<Expr>): Built<Expr> => {
    const op = this.OR([{ ALT: () => this.CONSUME(T.Star) }, { ALT: () => this.CONSUME(T.Slash) }, { ALT: () => this.CONSUME(T.Modulo) }]);
    const right = this.SUBRULE(this.unary);
    return this.ACTION(() => (left === null || right === null ? null : binary(op.image as '*' | '/' | '%', left, right)));
  });

  private unary = this.rule('unary', (): Built<Expr> =>
    this.OR([
      {
        ALT: () => {
          const minus = this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION(() => (operand === null ? null : { kind: 'unary', op: '-', operand, range: this.rangeFrom(minus) }));
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]),
  );

  private postfix = this.rule('postfix', (): Built<Expr> => {
    let result = this.SUBRULE(this.primary);
    this.MANY(() => {
      result = this.SUBRULE(this.postfixTail, { ARGS: [result] });
    });
    return result;
  });

  private postfixTail = this.rule('postfixTail', (target: Built<Expr>): Built<Expr> =>
    this.OR([
      {
        ALT: () => {
          const dot = this.CONSUME(T.Dot);
          const field = this.CONSUME(T.Name);
          const args = this.OPTION(() => this.SUBRULE(this.callArgs));
          return this.ACTION((): Built<Expr> => {
            if (target === null || args === null) return null;
            const range = spanRanges(target.range, this.rangeFrom(dot));
            const callee = exprName(field);
            return args ? { kind: 'call', callee, target, ...args, range } : { kind: 'field', target, name: callee, range };
          });
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(T.LBracket);
          const index = this.SUBRULE(this.expression);
          this.CONSUME(T.RBracket);
          return this.ACTION(() => (target === null || index === null ? null : { kind: 'index', target, index, range: spanRanges(target.range, this.rangeFrom(open)) }));
        },
      },
    ]),
  );

  private primaryKinds: IOrAlt<Built<Expr>>[] | undefined;

  private primary = this.rule('primary', (): Built<Expr> =>
    // Made once, not on every operand: the alternatives hold no state of one call.
    this.OR((this.primaryKinds ??= [
      { ALT: () => this.literal(this.CONSUME(T.NumberLiteral)) },
      { ALT: () => this.literal(this.CONSUME2(T.Duration)) },
      { ALT: () => this.literal(this.CONSUME(T.StringLiteral)) },
      { ALT: () => this.literal(this.CONSUME(K.true)) },
      { ALT: () => this.literal(this.CONSUME(K.false)) },
      { ALT: () => this.literal(this.CONSUME(K.none)) },
      {
        ALT: () => {
          const t = this.CONSUME(K.nodes);
          return this.ACTION((): Expr => ({ kind: 'name', name: exprName(t), range: tokenRange(t) }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Identifier);
          const args = this.OPTION2(() => this.SUBRULE(this.callArgs));
          return this.ACTION((): Built<Expr> => {
            if (args === null) return null;
            const callee = exprName(t);
            return args ? { kind: 'call', callee, ...args, range: this.rangeFrom(t) } : { kind: 'name', name: callee, range: tokenRange(t) };
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expression);
          const close = this.CONSUME(T.RParen);
          return this.ACTION(() => (isReal(close) ? inner : null));
        },
      },
      { ALT: () => this.SUBRULE(this.braces) },
      { ALT: () => this.SUBRULE(this.listLiteral) },
      { ALT: () => this.SUBRULE(this.quantified) },
      { ALT: () => this.SUBRULE(this.conditional) },
    ])),
  );

  private literal(t: IToken): Expr {
    return this.ACTION(() => literalToken(t, t.image, tokenRange(t)));
  }

  /**
   * `(a, b)` | `(x in S where P)` | `(x in S: e)`: arguments, or a
   * comprehension when a clause is written. A clause after anything but one
   * `name in set` keeps an empty variable name, which the checker reports.
   */
  private callArgs = this.rule('callArgs', (): Built<{ args: Expr[]; comprehension?: Comprehension }> => {
    const args: Built<Expr>[] = [];
    this.CONSUME(T.LParen);
    const clause = this.OPTION(() => {
      this.AT_LEAST_ONE_SEP({
        SEP: T.Comma,
        DEF: () => this.keep(args, this.SUBRULE(this.expression)),
      });
      return this.OPTION2(() => {
        const word = this.OR([{ ALT: () => this.CONSUME(K.where) }, { ALT: () => this.CONSUME(T.Colon) }]);
        const body = this.SUBRULE2(this.expression);
        return this.ACTION(() => ({ word, body }));
      });
    });
    const close = this.CONSUME(T.RParen);
    return this.ACTION(() => {
      if (!isReal(close) || clause === null) return null;
      if (args.includes(null)) return null;
      const built = args as Expr[];
      if (!clause) return { args: built };
      if (clause.body === null) return null;
      const head = built[0];
      if (head === undefined) return null;
      const shaped = built.length === 1 && head.kind === 'binary' && head.op === 'in' && head.left.kind === 'name';
      const variable = shaped && head.kind === 'binary' && head.left.kind === 'name' ? head.left.name : { text: '', range: head.range };
      const over = shaped && head.kind === 'binary' ? head.right : head;
      return { args: [], comprehension: { variable, over, ...(clause.word.image === 'where' ? { where: clause.body } : { map: clause.body }) } };
    });
  });

  // {} | {a, b} (a set) | { term: 3, leader: n1 } (a record)
  private braces = this.rule('braces', (): Built<Expr> => {
    const fields: Built<{ name: ExprName; value: Expr }>[] = [];
    const items: Built<Expr>[] = [];
    const open = this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.OR([
        {
          ALT: () => {
            this.AT_LEAST_ONE_SEP({
              SEP: T.Comma,
              DEF: () => this.keep(fields, this.SUBRULE(this.recordField)),
            });
          },
        },
        {
          ALT: () =>
            this.AT_LEAST_ONE_SEP2({
              SEP: T.Comma,
              DEF: () => this.keep(items, this.SUBRULE(this.expression)),
            }),
        },
      ]);
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION((): Built<Expr> => {
      if (!isReal(close)) return null;
      const range = this.rangeFrom(open);
      if (fields.length > 0) return fields.includes(null) ? null : { kind: 'record', fields: fields as { name: ExprName; value: Expr }[], range };
      return items.includes(null) ? null : { kind: 'set', items: items as Expr[], range };
    });
  });

  private recordField = this.rule('recordField', (): Built<{ name: ExprName; value: Expr }> => {
    const name = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => (value === null ? null : { name: exprName(name), value }));
  });

  private listLiteral = this.rule('listLiteral', (): Built<Expr> => {
    const items: Built<Expr>[] = [];
    const open = this.CONSUME(T.LBracket);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => this.keep(items, this.SUBRULE(this.expression)),
    });
    const close = this.CONSUME(T.RBracket);
    return this.ACTION(() => (!isReal(close) || items.includes(null) ? null : { kind: 'list', items: items as Expr[], range: this.rangeFrom(open) }));
  });

  // forall a, b in raft: P
  private quantified = this.rule('quantified', (): Built<Expr> => {
    const variables: ExprName[] = [];
    const quantifier = this.OR([{ ALT: () => this.CONSUME(K.forall) }, { ALT: () => this.CONSUME(K.exists) }]);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const v = this.CONSUME(T.Identifier);
        this.ACTION(() => variables.push(exprName(v)));
      },
    });
    this.CONSUME(K.in);
    const over = this.SUBRULE(this.additive);
    this.CONSUME(T.Colon);
    const body = this.SUBRULE(this.expression);
    return this.ACTION(() =>
      over === null || body === null ? null : { kind: 'quantifier', quantifier: quantifier.image as 'forall' | 'exists', variables, over, body, range: this.rangeFrom(quantifier) },
    );
  });

  private conditional = this.rule('conditional', (): Built<Expr> => {
    const start = this.CONSUME(K.if);
    const cond = this.SUBRULE(this.expression);
    this.CONSUME(K.then);
    const then = this.SUBRULE2(this.expression);
    this.CONSUME(K.else);
    const otherwise = this.SUBRULE3(this.expression);
    return this.ACTION(() => (cond === null || then === null || otherwise === null ? null : { kind: 'if', cond, then, else: otherwise, range: this.rangeFrom(start) }));
  });

  // always P | never P | eventually within T P | whenever P then within T Q | P (always)
  protected temporal = this.rule('temporal', (): Built<TemporalFormula> => {
    const first = this.ACTION(() => this.next());
    return this.OR([
      {
        ALT: () => {
          const form = this.OR2([{ ALT: () => this.CONSUME(K.always) }, { ALT: () => this.CONSUME(K.never) }]);
          const body = this.SUBRULE(this.expression);
          return this.ACTION(() => (body === null ? null : { kind: form.image as 'always' | 'never', body, range: this.rangeFrom(form) }));
        },
      },
      {
        ALT: () => {
          const form = this.CONSUME(K.eventually);
          this.CONSUME(K.within);
          const within = this.CONSUME(T.Duration);
          const body = this.SUBRULE2(this.expression);
          return this.ACTION(() => (body === null ? null : { kind: 'eventually', within: timeLiteral(within), body, range: this.rangeFrom(form) }));
        },
      },
      {
        ALT: () => {
          const form = this.CONSUME(K.whenever);
          const trigger = this.SUBRULE3(this.expression);
          this.CONSUME(K.then);
          this.CONSUME2(K.within);
          const within = this.CONSUME2(T.Duration);
          const body = this.SUBRULE4(this.expression);
          return this.ACTION(() =>
            trigger === null || body === null ? null : { kind: 'whenever', trigger, within: timeLiteral(within), body, range: this.rangeFrom(form) },
          );
        },
      },
      {
        ALT: () => {
          const body = this.SUBRULE5(this.expression);
          return this.ACTION(() => (body === null ? null : { kind: 'always', body, range: this.rangeFrom(first) }));
        },
      },
    ]);
  });
}

function binary(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right, range: spanRanges(left.range, right.range) };
}
