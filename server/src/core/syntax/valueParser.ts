import type { IOrAlt, IToken } from 'chevrotain';
import type * as A from './ast';
import type { Built } from './actionParser';
import { ExpressionRules } from './exprParser';
import * as T from './lexer';
import { isReal, literal, name, tokenRange } from './tokenAst';

const K = T.keywordTokens;

/**
 * The grammar of the values written in scenarios and option blocks
 * (`150ms..300ms`, `normal(10ms, 2ms)`, `n1 = 1`, `{ latency 5ms }`), node
 * and link references, with the actions that build them: shared by the
 * file's statements (parser.ts), faults and clients, and protocol option
 * defaults.
 */
export abstract class ValueRules extends ExpressionRules {
  protected nodeRef = this.rule('nodeRef', (): Built<A.NodeRef> => {
    const first = this.CONSUME(T.Identifier);
    const last = this.OPTION(() => {
      this.CONSUME(T.DotDot);
      return this.CONSUME2(T.Identifier);
    });
    return this.ACTION(() => (last ? { first: name(first), last: name(last), range: this.rangeFrom(first) } : { first: name(first), range: this.rangeFrom(first) }));
  });

  protected linkRef = this.rule('linkRef', (): Built<A.LinkRef> => {
    const from = this.CONSUME(T.Identifier);
    const arrow = this.OR([{ ALT: () => this.CONSUME(T.Arrow) }, { ALT: () => this.CONSUME(T.BiArrow) }]);
    const to = this.CONSUME2(T.Identifier);
    return this.ACTION(() => ({ from: name(from), to: name(to), bidirectional: arrow.tokenType === T.BiArrow && isReal(arrow), range: this.rangeFrom(from) }));
  });

  protected optionBlock = this.rule('optionBlock', (): Built<A.OptionSetting[]> => {
    const items: A.OptionSetting[] = [];
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const item = this.SUBRULE(this.optionItem);
      this.ACTION(() => {
        if (item !== null) items.push(item);
      });
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => (isReal(close) ? items : null));
  });

  // key value [, value]*      e.g. `latency 5ms..20ms`, `servers S1, S2`, `priority M1 = 1`
  protected optionItem = this.rule('optionItem', (): Built<A.OptionSetting> => {
    const values: Built<A.OptionValue>[] = [];
    const key = this.CONSUME(T.Name);
    this.OPTION(() => this.CONSUME(T.Colon));
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => this.keep(values, this.SUBRULE(this.optionValue)),
    });
    return this.ACTION(() => (values.length === 0 || values.includes(null) ? null : { key: name(key), values: values as A.OptionValue[], range: this.rangeFrom(key) }));
  });

  protected optionValue = this.rule('optionValue', (): Built<A.OptionValue> => {
    const first = this.ACTION(() => this.next());
    const value = this.SUBRULE(this.value);
    const assigned = this.OPTION(() => {
      this.CONSUME(T.Equals);
      return this.SUBRULE2(this.value);
    });
    return this.ACTION(() => (value === null || assigned === null ? null : { value, ...(assigned ? { assigned } : {}), range: this.rangeFrom(first) }));
  });

  protected argList = this.rule('argList', (): Built<A.Value[]> => {
    const values: Built<A.Value>[] = [];
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => this.keep(values, this.SUBRULE(this.value)),
    });
    const close = this.CONSUME(T.RParen);
    return this.ACTION(() => (!isReal(close) || values.includes(null) ? null : (values as A.Value[])));
  });

  /** `.. atom`: made once, not on every value (it holds no state of one call). */
  private readonly rangeHigh = (): Built<A.Value> => {
    this.CONSUME(T.DotDot);
    return this.SUBRULE2(this.atom);
  };

  // an atom, a range `a..b`, or a call `normal(10ms, 2ms)`
  protected value = this.rule('value', (): Built<A.Value> => {
    const first = this.ACTION(() => this.next());
    const low = this.SUBRULE(this.atom);
    const high = this.OPTION(this.rangeHigh);
    return this.ACTION((): Built<A.Value> => {
      if (low === null || high === null) return null;
      return high ? { kind: 'range', low, high, range: this.rangeFrom(first) } : low;
    });
  });

  private atomKinds: IOrAlt<Built<A.Value>>[] | undefined;

  private atom = this.rule('atom', (): Built<A.Value> =>
    // Made once, not on every value: the alternatives hold no state of one call.
    this.OR((this.atomKinds ??= [
      { ALT: () => this.literalValue(this.CONSUME(T.Duration)) },
      { ALT: () => this.literalValue(this.CONSUME(T.Ppm)) },
      { ALT: () => this.literalValue(this.CONSUME(T.Percent)) },
      { ALT: () => this.literalValue(this.CONSUME(T.NumberLiteral)) },
      { ALT: () => this.literalValue(this.CONSUME(T.StringLiteral)) },
      { ALT: () => this.literalValue(this.CONSUME(K.true)) },
      { ALT: () => this.literalValue(this.CONSUME(K.false)) },
      {
        ALT: () => {
          const t = this.CONSUME(T.Identifier);
          const args = this.OPTION(() => this.SUBRULE(this.argList));
          return this.ACTION((): Built<A.Value> => {
            if (args === null) return null;
            return args ? { kind: 'name', name: t.image, args, range: this.rangeFrom(t) } : { kind: 'name', name: t.image, range: tokenRange(t) };
          });
        },
      },
    ])),
  );

  /** `run raft { … }` / `sync ntp { … }`: the protocol's name and its options (read just now: the range ends at the last token consumed). */
  protected binding(protocolName: IToken, block: A.OptionSetting[] | undefined): A.ProtocolBinding {
    const protocol = name(protocolName);
    return { name: protocol, options: block ?? [], range: block ? this.rangeFrom(protocolName) : protocol.range };
  }

  /**
   * The largest magnitude in ns of the durations read since the input was
   * set (NaN once one was not a number). Every `kind: 'duration'` value of
   * the AST is made here, so no duration of it is longer: the checker skips
   * its walk for too-long durations when this is within the limit.
   */
  public largestDurationNs = 0;

  override reset(): void {
    super.reset();
    this.largestDurationNs = 0;
  }

  private literalValue(t: IToken): A.Value {
    return this.ACTION(() => {
      const value = literal(t)!;
      // Math.max keeps NaN: a duration that is not a number is never taken as short.
      if (value.kind === 'duration') this.largestDurationNs = Math.max(this.largestDurationNs, Math.abs(value.ns));
      return value;
    });
  }

}
