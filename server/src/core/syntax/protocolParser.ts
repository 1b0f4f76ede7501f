import { EOF, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import { diagnostic } from '../diagnostics';
import type { Expr } from '../expr/ast';
import { spanRanges } from '../source';
import type * as A from './ast';
import type { Built } from './actionParser';
import * as T from './lexer';
import { MEMBER_WORDS, unexpectedWord } from './protocolWords';
import { StatementRules } from './statementParser';
import { isReal, name, tokenRange, unquote } from './tokenAst';

const K = T.keywordTokens;

export { MEMBER_WORDS, PROTOCOL_CONTEXT_WORDS, unexpectedWord } from './protocolWords';

/** Every token type the parser can see, for skipping any token (categories and comments excluded). */
const ANY_TOKEN: readonly TokenType[] = T.allTokens.filter((t) => t !== T.Name && t !== T.WhiteSpace && t.GROUP === undefined && t.PATTERN !== undefined);

/**
 * The grammar of protocol declarations written in .dsync (issue 15; the
 * concrete syntax is in ast.ts): `protocol NAME { … }` and its members, on
 * top of the statements, blocks and types of statementParser.ts.
 *
 * Declared names (the protocol's, members', parameters, timers, `let`, `for`,
 * `(m)` and `from p`) take any name token: a keyword there is reported once
 * (DS114) and the declaration is kept. A member holding a syntax error the
 * parser repaired is left out, its error being reported.
 */
export abstract class ProtocolRules extends StatementRules {
  // protocol NAME [serves kv] { member* }
  protected protocolDecl = this.rule('protocolDecl', (): Built<A.ProtocolDecl> => {
    const members: A.ProtocolMember[] = [];
    const strays: IToken[] = [];
    const start = this.CONSUME(K.protocol);
    const declaredName = this.CONSUME(T.Name);
    const serves = this.OPTION({
      GATE: () => this.LA(1).image === 'serves',
      DEF: () => {
        this.CONSUME2(T.Identifier);
        return this.CONSUME3(T.Name);
      },
    });
    const open = this.CONSUME(T.LCurly);
    const mark = this.ACTION(() => {
      this.bodyEnd = this.matchingClose();
      return this.reports.length;
    });
    this.MANY({
      // Only the `}` matching the body's `{` ends it: one that recovery left behind inside
      // a broken handler is skipped as a stray token, not taken as the end of the protocol.
      GATE: () => this.LA(1) !== this.bodyEnd,
      DEF: () => {
        this.OR({
          MAX_LOOKAHEAD: 1,
          IGNORE_AMBIGUITIES: true,
          DEF: [
            {
              GATE: () => this.startsMember(),
              ALT: () => {
                const member = this.SUBRULE(this.protocolMember);
                this.ACTION(() => {
                  if (member !== null) members.push(member);
                });
              },
            },
            {
              ALT: () => {
                const stray = this.SUBRULE(this.strayTokens);
                this.ACTION(() => {
                  if (stray !== null) strays.push(stray);
                });
              },
            },
          ],
        });
        this.OPTION2(() => this.CONSUME(T.Semicolon));
      },
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION((): Built<A.ProtocolDecl> => {
      const memberReports = this.reports.splice(mark);
      if (!isReal(close)) return null;
      // Reported in this order: words that begin no member, the protocol's name, then each member's mistakes.
      for (const first of strays) {
        // A `}` left behind by recovery follows an error already reported.
        if (isReal(first) && first.tokenType === T.Identifier) this.report(diagnostic('DS102', unexpectedWord(first, 'member'), tokenRange(first)));
      }
      const protocolName = this.declared(declaredName);
      this.reports.push(...memberReports);
      return {
        kind: 'protocol',
        name: protocolName,
        ...(serves ? { serves: name(serves) } : {}),
        members,
        bodyRange: spanRanges(tokenRange(open), tokenRange(close)),
        range: this.rangeFrom(start),
      };
    });
  });

  /** The `}` that ends the protocol body being parsed (protocols do not nest). */
  private bodyEnd: IToken | undefined;

  /** The `}` matching the `{` just consumed (the input's braces are balanced by closeBlocks), or undefined. */
  private matchingClose(): IToken | undefined {
    let depth = 1;
    for (let k = 1; ; k++) {
      const t = this.LA(k);
      if (t.tokenType === EOF) return undefined;
      if (t.tokenType === T.LCurly) depth++;
      else if (t.tokenType === T.RCurly && --depth === 0) return t;
    }
  }

  /** Whether the next token begins a member: `on`, or a member word followed by a name. */
  private startsMember(): boolean {
    const next = this.LA(1);
    return next.tokenType === K.on || (next.tokenType === T.Identifier && (MEMBER_WORDS as readonly string[]).includes(next.image));
  }

  /**
   * A word that begins no member (`mesage Ping`, a statement outside any
   * handler), or a `}` that recovery left behind, and the tokens after it up
   * to the next line that begins a member or the body's `}`: skipped, and a
   * word is reported once (protocolDecl) with a did-you-mean. It starts
   * with a name or `}` only, tokens that may follow a member anyway: that
   * keeps Chevrotain's own recovery, which re-synchronises at the tokens
   * that may follow a rule, from stopping at every token inside a handler.
   * Gives its first token.
   */
  private strayTokens = this.rule('strayTokens', (): Built<IToken> => {
    let depth = 0;
    const first = this.OR2([{ ALT: () => this.CONSUME(T.Identifier) }, { ALT: () => this.CONSUME(T.RCurly) }]);
    this.MANY({
      GATE: () => {
        const next = this.LA(1);
        if (next === this.bodyEnd) return false;
        if (depth > 0) return true;
        return !(this.startsMember() && (next.startLine ?? 0) > (this.LA(0).endLine ?? 0));
      },
      DEF: () => {
        const t = this.OR(ANY_TOKEN.map((type) => ({ ALT: () => this.CONSUME2(type) })));
        this.ACTION(() => {
          if (t.tokenType === T.LCurly) depth++;
          else if (t.tokenType === T.RCurly) depth--;
        });
      },
    });
    return first;
  });

  private protocolMember = this.rule('protocolMember', (): Built<A.ProtocolMember> => {
    const mark = this.ACTION(() => this.reports.length);
    const first = this.ACTION(() => this.next());
    const member = this.OR({
      // The word decides (gates), so a keyword where the name belongs is reported there (DS114).
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.LA(1).image === 'option', ALT: () => this.SUBRULE(this.optionMember) },
        {
          GATE: () => this.LA(1).image === 'const',
          ALT: () => {
            const v = this.SUBRULE(this.namedValue);
            return this.ACTION((): Built<A.ProtocolMember> => (v === null ? null : { kind: 'const', ...v, range: this.rangeFrom(first) }));
          },
        },
        { GATE: () => this.LA(1).image === 'message', ALT: () => this.SUBRULE(this.messageMember) },
        { GATE: () => this.LA(1).image === 'stable' || this.LA(1).image === 'var', ALT: () => this.SUBRULE(this.stateMember) },
        { GATE: () => this.LA(1).image === 'fn', ALT: () => this.SUBRULE(this.fnMember) },
        { ALT: () => this.SUBRULE(this.handlerMember) },
      ],
    });
    return this.ACTION(() => {
      if (member !== null) {
        // A member holding a repaired error (in its head, for a handler: its body is judged statement by statement) is left out.
        const end = member.kind === 'handler' ? member.body.range.startOffset : member.range.endOffset;
        if (!this.hasErrorIn(member.range.startOffset, end)) return member;
        this.reports.length = mark;
      } else if (first.tokenType === K.on) {
        this.reports.length = mark;
      }
      return null;
    });
  });

  // option NAME: duration range = 150ms..300ms   |   option mode: "fast" | "safe" = "safe"   |   option prio: node numbers = n1 = 1
  private optionMember = this.rule('optionMember', (): Built<A.ProtocolMember> => {
    const choices: { value: string; range: A.Located['range'] }[] = [];
    const kind: A.Name[] = [];
    const defaults: Built<A.OptionValue>[] = [];
    const word = this.CONSUME(T.Identifier);
    const declaredName = this.CONSUME2(T.Name);
    this.CONSUME(T.Colon);
    this.OR([
      {
        ALT: () =>
          this.AT_LEAST_ONE_SEP({
            SEP: T.Pipe,
            DEF: () => {
              const choice = this.CONSUME(T.StringLiteral);
              this.ACTION(() => choices.push({ value: unquote(choice.image), range: tokenRange(choice) }));
            },
          }),
      },
      {
        ALT: () => {
          const kindWord = this.CONSUME3(T.Name);
          this.ACTION(() => kind.push(name(kindWord)));
          // Only `range` or `numbers` follows a kind's first word (`duration range`,
          // `node numbers`): a default-less option must not swallow the next member's word.
          this.MANY({
            GATE: () => this.LA(1).image === 'range' || this.LA(1).image === 'numbers',
            DEF: () => {
              const more = this.CONSUME4(T.Name);
              this.ACTION(() => kind.push(name(more)));
            },
          });
        },
      },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.AT_LEAST_ONE_SEP2({
        SEP: T.Comma,
        DEF: () => this.keep(defaults, this.SUBRULE(this.optionValue)),
      });
    });
    return this.ACTION((): Built<A.ProtocolMember> => {
      const optionName = this.declared(declaredName);
      if (defaults.includes(null)) return null;
      return {
        kind: 'option',
        name: optionName,
        optionKind: kind,
        ...(choices.length > 0 ? { choices } : {}),
        ...(defaults.length > 0 ? { defaultValue: defaults as A.OptionValue[] } : {}),
        range: this.rangeFrom(word),
      };
    });
  });

  // message NAME [{ field: T (, | ; | line break) … }]
  private messageMember = this.rule('messageMember', (): Built<A.ProtocolMember> => {
    const fields: A.MessageField[] = [];
    const word = this.CONSUME(T.Identifier);
    const declaredName = this.CONSUME2(T.Name);
    const close = this.OPTION(() => {
      this.CONSUME(T.LCurly);
      this.MANY(() => {
        const field = this.SUBRULE(this.messageField);
        this.ACTION(() => {
          if (field !== null) fields.push(field);
        });
        this.OPTION2(() => this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
      });
      return this.CONSUME(T.RCurly);
    });
    return this.ACTION(() => (close && !isReal(close) ? null : { kind: 'message', name: this.declared(declaredName), fields, range: this.rangeFrom(word) }));
  });

  private messageField = this.rule('messageField', (): Built<A.MessageField> => {
    const field = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.typeRef);
    return this.ACTION(() => (type === null ? null : { name: name(field), type, range: this.rangeFrom(field) }));
  });

  // stable NAME: T = e   |   var NAME: T = e
  private stateMember = this.rule('stateMember', (): Built<A.ProtocolMember> => {
    const word = this.CONSUME(T.Identifier);
    const declaredName = this.CONSUME2(T.Name);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.typeRef);
    this.CONSUME(T.Equals);
    const initial = this.SUBRULE(this.expression);
    return this.ACTION((): Built<A.ProtocolMember> => {
      const stateName = this.declared(declaredName);
      if (type === null || initial === null) return null;
      return { kind: 'state', durability: word.image === 'stable' ? 'stable' : 'var', name: stateName, type, initial, range: this.rangeFrom(word) };
    });
  });

  // fn NAME(p: T, …): T = e
  private fnMember = this.rule('fnMember', (): Built<A.ProtocolMember> => {
    const params: Built<{ name: IToken; type: A.TypeRef; range: A.Located['range'] }>[] = [];
    const word = this.CONSUME(T.Identifier);
    const declaredName = this.CONSUME2(T.Name);
    this.CONSUME(T.LParen);
    this.MANY_SEP({
      SEP: T.Comma,
      DEF: () => this.keep(params, this.SUBRULE(this.fnParam)),
    });
    const close = this.CONSUME(T.RParen);
    this.CONSUME(T.Colon);
    const result = this.SUBRULE(this.typeRef);
    this.CONSUME(T.Equals);
    const body = this.SUBRULE(this.expression);
    return this.ACTION((): Built<A.ProtocolMember> => {
      if (!isReal(close)) return null;
      const fnName = this.declared(declaredName);
      const built: A.FnParam[] = [];
      for (const p of params) {
        if (p === null) return null;
        built.push({ name: this.declared(p.name), type: p.type, range: p.range });
      }
      if (result === null || body === null) return null;
      return { kind: 'fn', name: fnName, params: built, result, body, range: this.rangeFrom(word) };
    });
  });

  /** A parameter: its name is declared (and checked) when the function is built, in the order it always was. */
  private fnParam = this.rule('fnParam', (): Built<{ name: IToken; type: A.TypeRef; range: A.Located['range'] }> => {
    const param = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.typeRef);
    return this.ACTION(() => (type === null ? null : { name: param, type, range: this.rangeFrom(param) }));
  });

  // on start { … } | on timer NAME { … } | on M[(m)] [from p] [when guard] { … }
  private handlerMember = this.rule('handlerMember', (): Built<A.ProtocolMember> => {
    const on = this.CONSUME(K.on);
    const trigger = this.SUBRULE(this.handlerTrigger);
    const guard = this.OPTION({
      GATE: () => this.LA(1).image === 'when',
      DEF: () => {
        const when = this.CONSUME(T.Identifier);
        const condition = this.SUBRULE(this.expression);
        return this.ACTION(() => ({ when, condition }));
      },
    });
    const bodyStart = this.ACTION(() => this.reports.length);
    const body = this.SUBRULE(this.block);
    return this.ACTION((): Built<A.ProtocolMember> => {
      const bodyReports = this.reports.splice(bodyStart);
      if (trigger === null) return null;
      let condition: Expr | undefined;
      if (guard) {
        if (guard.condition === null) return null;
        condition = guard.condition;
        if (trigger.kind !== 'message') {
          const what = trigger.kind === 'start' ? 'start' : 'timer';
          this.report(diagnostic('DS102', `'when' guards a message handler only; 'on ${what}' always runs: move the condition into an 'if' in the body`, spanRanges(tokenRange(guard.when), condition.range)));
          condition = undefined;
        }
      }
      if (body === null) return null;
      this.reports.push(...bodyReports);
      return { kind: 'handler', trigger, ...(condition ? { guard: condition } : {}), body, range: this.rangeFrom(on) };
    });
  });

  private handlerTrigger = this.rule('handlerTrigger', (): Built<A.HandlerTrigger> =>
    this.OR({
      // The word decides (gates), so a keyword where the name belongs is reported there (DS114).
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(1).image === 'start' && this.LA(2).tokenType !== T.LParen && this.LA(2).tokenType !== K.from,
          ALT: () => {
            const start = this.CONSUME(T.Identifier);
            return this.ACTION((): A.HandlerTrigger => ({ kind: 'start', range: tokenRange(start) }));
          },
        },
        {
          GATE: () => this.LA(1).image === 'timer' && tokenMatcher(this.LA(2), T.Name) && this.LA(2).image !== 'when',
          ALT: () => {
            const word = this.CONSUME2(T.Identifier);
            const timer = this.CONSUME3(T.Name);
            return this.ACTION((): A.HandlerTrigger => ({ kind: 'timer', timer: this.declared(timer), range: this.rangeFrom(word) }));
          },
        },
        {
          ALT: () => {
            const message = this.CONSUME4(T.Identifier);
            const close = this.OPTION(() => {
              this.CONSUME(T.LParen);
              const payload = this.CONSUME5(T.Name);
              const paren = this.CONSUME(T.RParen);
              return this.ACTION(() => ({ payload, paren }));
            });
            const sender = this.OPTION2(() => {
              this.CONSUME(K.from);
              return this.CONSUME6(T.Name);
            });
            return this.ACTION((): Built<A.HandlerTrigger> => {
              if (close && !isReal(close.paren)) return null;
              const range = this.rangeFrom(message);
              return {
                kind: 'message',
                message: name(message),
                ...(close ? { payload: this.declared(close.payload) } : {}),
                ...(sender ? { sender: this.declared(sender) } : {}),
                range,
              };
            });
          },
        },
      ],
    }),
  );
}
