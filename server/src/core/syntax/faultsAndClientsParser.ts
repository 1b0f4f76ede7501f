import type { IOrAlt } from 'chevrotain';
import type * as A from './ast';
import type { Built } from './actionParser';
import * as T from './lexer';
import { ProtocolRules } from './protocolParser';
import { isReal, name } from './tokenAst';

const K = T.keywordTokens;

/** Built lists: `null` when any item is missing (the list's owner is then left out). */
function all<X>(items: readonly Built<X>[]): X[] | null {
  return items.includes(null) ? null : (items as X[]);
}

/**
 * The grammar of the statements that open their own block or formula:
 * faults (scripted and random), invariants, expectations and clients, with
 * the actions that build their AST. Part of the file grammar (parser.ts
 * extends this class), kept apart so each grammar file stays small; values,
 * node and link references and argument lists are valueParser.ts's.
 */
export abstract class FaultAndClientRules extends ProtocolRules {
  // faults { at T <fault>* }   or   faults random { crash 1 per 2s [for 300ms]* }
  protected faultsBlock = this.rule('faultsBlock', (): Built<A.FaultsBlock> => {
    const faults: A.Fault[] = [];
    const randomFaults: A.RandomFault[] = [];
    const start = this.CONSUME(K.faults);
    let random = false;
    this.OPTION2({
      // `random` is a word only here, not a reserved keyword.
      GATE: () => this.LA(1).image === 'random',
      DEF: () => {
        this.CONSUME(T.Identifier);
        random = true;
      },
    });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        {
          GATE: () => !random,
          ALT: () => {
            const f = this.SUBRULE(this.faultStmt);
            this.ACTION(() => {
              if (f !== null) faults.push(f);
            });
          },
        },
        {
          GATE: () => random,
          ALT: () => {
            const f = this.SUBRULE(this.randomFaultStmt);
            this.ACTION(() => {
              if (f !== null) randomFaults.push(f);
            });
          },
        },
      ]);
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RCurly);
    return this.ACTION(() => (random ? { kind: 'faults', faults, random: randomFaults, range: this.rangeFrom(start) } : { kind: 'faults', faults, range: this.rangeFrom(start) }));
  });

  // crash 1 per 2s [for 300ms] | partition 1 per 5s [for 1s] | drop 2 per 1s [for 100ms]
  private randomFaultStmt = this.rule('randomFaultStmt', (): Built<A.RandomFault> => {
    const verb = this.OR([{ ALT: () => this.CONSUME(K.crash) }, { ALT: () => this.CONSUME(K.partition) }, { ALT: () => this.CONSUME(K.drop) }]);
    const count = this.SUBRULE(this.value);
    // `per` is a word only here: a gated single alternative makes anything else a syntax error.
    this.OR2([{ GATE: () => this.LA(1).image === 'per', ALT: () => this.CONSUME(T.Identifier) }]);
    const period = this.SUBRULE2(this.value);
    const window = this.OPTION(() => this.SUBRULE(this.forWindow));
    return this.ACTION(() =>
      count === null || period === null || window === null
        ? null
        : { kind: verb.image as A.RandomFault['kind'], count, period, ...(window ? { window } : {}), range: this.rangeFrom(verb) },
    );
  });

  private faultKinds: IOrAlt<Built<A.FaultAction>>[] | undefined;

  // at T <fault>
  private faultStmt = this.rule('faultStmt', (): Built<A.Fault> => {
    const at = this.CONSUME(K.at);
    const time = this.SUBRULE(this.value);
    // Made once, not on every fault: the alternatives hold no state of one call.
    const fault = this.OR((this.faultKinds ??= [
      {
        ALT: () => {
          const groups: Built<A.NodeRef[]>[] = [];
          this.CONSUME(K.partition);
          this.AT_LEAST_ONE_SEP({
            SEP: T.Pipe,
            DEF: () => this.keep(groups, this.SUBRULE(this.nodeGroup)),
          });
          const window = this.OPTION(() => this.SUBRULE(this.forWindow));
          return this.ACTION((): Built<A.FaultAction & { window?: A.Value }> => {
            const built = all(groups);
            return built === null || window === null ? null : { kind: 'partition', groups: built, ...(window ? { window } : {}) };
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.heal);
          return this.ACTION((): A.FaultAction => ({ kind: 'heal' }));
        },
      },
      {
        ALT: () => {
          const verb = this.OR2([{ ALT: () => this.CONSUME(K.crash) }, { ALT: () => this.CONSUME(K.restart) }]);
          const node = this.CONSUME(T.Identifier);
          return this.ACTION((): A.FaultAction => ({ kind: verb.image as 'crash' | 'restart', node: name(node) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.clock);
          const node = this.CONSUME2(T.Identifier);
          const change = this.OR3([{ ALT: () => this.CONSUME(K.jump) }, { ALT: () => this.CONSUME(K.drift) }]);
          const amount = this.SUBRULE2(this.value);
          return this.ACTION((): Built<A.FaultAction> => (amount === null ? null : { kind: change.image === 'jump' ? 'clock-jump' : 'clock-drift', node: name(node), amount }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.drop);
          const link = this.SUBRULE(this.linkRef);
          const window = this.OPTION2(() => this.SUBRULE2(this.forWindow));
          return this.ACTION((): Built<A.FaultAction> => (link === null || window === null ? null : { kind: 'drop', link, ...(window ? { window } : {}) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.delay);
          const link = this.SUBRULE2(this.linkRef);
          this.CONSUME(K.by);
          const extra = this.SUBRULE3(this.value);
          const window = this.OPTION3(() => this.SUBRULE3(this.forWindow));
          return this.ACTION((): Built<A.FaultAction> =>
            link === null || extra === null || window === null ? null : { kind: 'delay', link, extra, ...(window ? { window } : {}) },
          );
        },
      },
    ]));
    return this.ACTION((): Built<A.Fault> => (time === null || fault === null ? null : { time, range: this.rangeFrom(at), ...fault }));
  });

  private forWindow = this.rule('forWindow', (): Built<A.Value> => {
    this.CONSUME(K.for);
    return this.SUBRULE(this.value);
  });

  private nodeGroup = this.rule('nodeGroup', (): Built<A.NodeRef[]> => {
    const refs: Built<A.NodeRef>[] = [];
    this.CONSUME(T.LCurly);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => this.keep(refs, this.SUBRULE(this.nodeRef)),
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => (isReal(close) ? all(refs) : null));
  });

  // invariant NAME [(args)] [within T] [op value]   |   invariant NAME: <temporal formula>
  protected invariantDecl = this.rule('invariantDecl', (): Built<A.InvariantDecl> => {
    const start = this.CONSUME(K.invariant);
    // `invariant n1.term <= 3`: a condition where the name belongs. Read whole, so the
    // checker can offer the property form (`invariant n1_term: always n1.term <= 3`)
    // instead of a cascade of syntax errors at the '.'.
    return this.OR([
      {
        GATE: () => this.LA(2).tokenType === T.Dot,
        ALT: () => {
          const first = this.ACTION(() => this.next());
          // Only its place matters (the checker reports it): kept even when the condition itself is broken.
          this.SUBRULE(this.expression);
          return this.ACTION((): A.InvariantDecl => ({ kind: 'invariant', name: name(first), misplacedCondition: this.rangeFrom(first), args: [], range: this.rangeFrom(start) }));
        },
      },
      {
        ALT: () => {
          const named = this.SUBRULE(this.namedInvariant);
          return this.ACTION((): Built<A.InvariantDecl> => (named === null ? null : { ...named, range: this.rangeFrom(start) }));
        },
      },
    ]);
  });

  private namedInvariant = this.rule('namedInvariant', (): Built<Omit<A.InvariantDecl, 'range'>> => {
    const declared = this.CONSUME(T.Name);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Colon);
          const formula = this.SUBRULE(this.temporal);
          return this.ACTION(() => (formula === null ? null : { kind: 'invariant' as const, name: name(declared), formula, args: [] }));
        },
      },
      {
        ALT: () => {
          const args = this.OPTION(() => this.SUBRULE(this.argList));
          const within = this.OPTION2(() => {
            this.CONSUME(K.within);
            return this.SUBRULE(this.value);
          });
          const bound = this.OPTION3(() => {
            const comparator = this.SUBRULE(this.comparator);
            const value = this.SUBRULE2(this.value);
            return this.ACTION(() => (value === null ? null : { comparator, bound: value }));
          });
          return this.ACTION(() =>
            args === null || within === null || bound === null
              ? null
              : { kind: 'invariant' as const, name: name(declared), args: args ?? [], ...(within ? { within } : {}), ...(bound ?? {}) },
          );
        },
      },
    ]);
  });

  // expect <expression> [at end | at 1s]   (e.g. `expect B.lamport >= 3 at end`)
  protected expectDecl = this.rule('expectDecl', (): Built<A.ExpectDecl> => {
    const start = this.CONSUME(K.expect);
    const condition = this.SUBRULE(this.expression);
    const at = this.OPTION(() => {
      this.CONSUME(K.at);
      return this.OR([
        {
          ALT: () => {
            this.CONSUME(K.end);
            return 'end' as const;
          },
        },
        { ALT: () => this.SUBRULE(this.value) },
      ]);
    });
    return this.ACTION(() => (condition === null || at === null ? null : { kind: 'expect', condition, at: at ?? 'end', range: this.rangeFrom(start) }));
  });

  // client c1 [to n1, n2 | to raft] { at 1s put x = 5; every 100ms get x [from T] [until T]; timeout 200ms }
  protected clientDecl = this.rule('clientDecl', (): Built<A.ClientDecl> => {
    const targets: Built<A.NodeRef>[] = [];
    const items: A.ClientItem[] = [];
    const settings: A.OptionSetting[] = [];
    const start = this.CONSUME(K.client);
    const client = this.CONSUME(T.Identifier);
    this.OPTION({
      // `to` is a word only here, not a reserved keyword.
      GATE: () => this.LA(1).image === 'to',
      DEF: () => {
        this.CONSUME2(T.Identifier);
        this.AT_LEAST_ONE_SEP({
          SEP: T.Comma,
          DEF: () => this.keep(targets, this.SUBRULE(this.nodeRef)),
        });
      },
    });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      const item = this.SUBRULE(this.clientItem);
      this.ACTION(() => {
        if (item === null) return;
        if ('op' in item) items.push(item);
        else settings.push(item);
      });
      this.OPTION2(() => this.CONSUME(T.Semicolon));
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION((): Built<A.ClientDecl> => {
      const built = all(targets);
      if (!isReal(close) || built === null) return null;
      return { kind: 'client', name: name(client), targets: built, items, settings, range: this.rangeFrom(start) };
    });
  });

  /** An operation (`at …` / `every …`) or a setting (`timeout 200ms`). */
  private clientItem = this.rule('clientItem', (): Built<A.ClientItem | A.OptionSetting> =>
    this.OR([
      {
        ALT: () => {
          const at = this.CONSUME(K.at);
          const time = this.SUBRULE(this.value);
          const op = this.SUBRULE(this.clientOp);
          return this.ACTION((): Built<A.ClientItem> => (time === null || op === null ? null : { kind: 'at', time, op, range: this.rangeFrom(at) }));
        },
      },
      {
        ALT: () => {
          const every = this.CONSUME(K.every);
          const period = this.SUBRULE2(this.value);
          const op = this.SUBRULE2(this.clientOp);
          const start = this.OPTION(() => {
            this.CONSUME(K.from);
            return this.SUBRULE3(this.value);
          });
          const stop = this.OPTION2(() => {
            this.CONSUME(K.until);
            return this.SUBRULE4(this.value);
          });
          return this.ACTION((): Built<A.ClientItem> =>
            period === null || op === null || start === null || stop === null
              ? null
              : { kind: 'every', period, op, ...(start ? { start } : {}), ...(stop ? { stop } : {}), range: this.rangeFrom(every) },
          );
        },
      },
      {
        // a setting: `timeout 200ms`
        ALT: () => {
          const key = this.CONSUME(T.Identifier);
          const setting = this.SUBRULE5(this.value);
          return this.ACTION((): Built<A.OptionSetting> =>
            setting === null ? null : { key: name(key), values: [{ value: setting, range: setting.range }], range: this.rangeFrom(key) },
          );
        },
      },
    ]),
  );

  // put x = 5 | get x   (`put` and `get` are checked by the checker, not reserved words)
  private clientOp = this.rule('clientOp', (): Built<A.ClientOp> => {
    const verb = this.CONSUME(T.Identifier);
    const key = this.CONSUME2(T.Identifier);
    const value = this.OPTION(() => {
      this.CONSUME(T.Equals);
      return this.SUBRULE(this.value);
    });
    return this.ACTION(() => (value === null ? null : { verb: name(verb), key: name(key), ...(value ? { value } : {}), range: this.rangeFrom(verb) }));
  });

  private comparator = this.rule('comparator', (): A.Comparator => {
    const t = this.OR(this.comparisonOperators);
    return this.ACTION(() => t.image as A.Comparator);
  });
}
