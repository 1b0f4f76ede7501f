import { EOF, tokenMatcher, type CstNode, type IToken, type ParserMethod, type TokenType } from 'chevrotain';
import * as T from './lexer';
import { StatementRules } from './statementParser';

const K = T.keywordTokens;

/**
 * Words that begin a protocol member. Only `on` is a keyword; the others are
 * names everywhere else (option keys, node names, state variables), matched
 * here by their text so no existing file changes meaning.
 */
export const MEMBER_WORDS = ['option', 'const', 'message', 'stable', 'var', 'fn', 'on'] as const;

/** Every word given a meaning by its text inside protocol bodies (the TextMate grammar and semantic tokens highlight them there). */
export const PROTOCOL_CONTEXT_WORDS = [
  'serves', 'option', 'const', 'message', 'stable', 'var', 'fn', 'start', 'timer', 'when',
  'let', 'cancel', 'note', 'to', 'step', 'slew',
] as const;

/** Every token type the parser can see, for skipping any token (categories and comments excluded). */
const ANY_TOKEN: readonly TokenType[] = T.allTokens.filter((t) => t !== T.Name && t !== T.WhiteSpace && t.GROUP === undefined && t.PATTERN !== undefined);

/**
 * The grammar of protocol declarations written in .dsync (issue 15; the
 * concrete syntax is in ast.ts): `protocol NAME { … }` and its members, on
 * top of the statements, blocks and types of statementParser.ts.
 *
 * Declared names (the protocol's, members', parameters, timers, `let`, `for`,
 * `(m)` and `from p`) take any name token: a keyword there is reported once
 * by the AST builder (DS114) and the declaration is kept.
 */
export abstract class ProtocolRules extends StatementRules {
  /** A default in binding option syntax (`150ms..300ms`, `n1, n2`): the file grammar's option value. */
  protected abstract optionValue: ParserMethod<[], CstNode>;

  // protocol NAME [serves kv] { member* }
  protected protocolDecl = this.RULE('protocolDecl', () => {
    this.CONSUME(K.protocol);
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.OPTION({
      GATE: () => this.LA(1).image === 'serves',
      DEF: () => {
        this.CONSUME2(T.Identifier, { LABEL: 'servesWord' });
        this.CONSUME3(T.Name, { LABEL: 'serves' });
      },
    });
    this.CONSUME(T.LCurly);
    this.ACTION(() => {
      this.bodyEnd = this.matchingClose();
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
            { GATE: () => this.startsMember(), ALT: () => this.SUBRULE(this.protocolMember, { LABEL: 'member' }) },
            { ALT: () => this.SUBRULE(this.strayTokens, { LABEL: 'stray' }) },
          ],
        });
        this.OPTION2(() => this.CONSUME(T.Semicolon));
      },
    });
    this.CONSUME(T.RCurly);
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
   * word is reported once by the AST builder (protocolToAst.ts) with a
   * did-you-mean. It starts with a name or `}` only, tokens that may follow
   * a member anyway: that keeps Chevrotain's own recovery, which
   * re-synchronises at the tokens that may follow a rule, from stopping at
   * every token inside a handler.
   */
  private strayTokens = this.RULE('strayTokens', () => {
    let depth = 0;
    this.OR2([{ ALT: () => this.CONSUME(T.Identifier, { LABEL: 'token' }) }, { ALT: () => this.CONSUME(T.RCurly, { LABEL: 'token' }) }]);
    this.MANY({
      GATE: () => {
        const next = this.LA(1);
        if (next === this.bodyEnd) return false;
        if (depth > 0) return true;
        return !(this.startsMember() && (next.startLine ?? 0) > (this.LA(0).endLine ?? 0));
      },
      DEF: () => {
        const t = this.OR(ANY_TOKEN.map((type) => ({ ALT: () => this.CONSUME2(type, { LABEL: 'token' }) })));
        this.ACTION(() => {
          if (t.tokenType === T.LCurly) depth++;
          else if (t.tokenType === T.RCurly) depth--;
        });
      },
    });
  });

  private protocolMember = this.RULE('protocolMember', () => {
    this.OR({
      // The word decides (gates), so a keyword where the name belongs is reported there (DS114).
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.LA(1).image === 'option', ALT: () => this.SUBRULE(this.optionMember) },
        { GATE: () => this.LA(1).image === 'const', ALT: () => this.SUBRULE(this.namedValue) },
        { GATE: () => this.LA(1).image === 'message', ALT: () => this.SUBRULE(this.messageMember) },
        { GATE: () => this.LA(1).image === 'stable' || this.LA(1).image === 'var', ALT: () => this.SUBRULE(this.stateMember) },
        { GATE: () => this.LA(1).image === 'fn', ALT: () => this.SUBRULE(this.fnMember) },
        { ALT: () => this.SUBRULE(this.handlerMember) },
      ],
    });
  });

  // option NAME: duration range = 150ms..300ms   |   option mode: "fast" | "safe" = "safe"   |   option prio: node numbers = n1 = 1
  private optionMember = this.RULE('optionMember', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME2(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.OR([
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Pipe, DEF: () => this.CONSUME(T.StringLiteral, { LABEL: 'choice' }) }) },
      {
        ALT: () => {
          this.CONSUME3(T.Name, { LABEL: 'kindWord' });
          // Only `range` or `numbers` follows a kind's first word (`duration range`,
          // `node numbers`): a default-less option must not swallow the next member's word.
          this.MANY({ GATE: () => this.LA(1).image === 'range' || this.LA(1).image === 'numbers', DEF: () => this.CONSUME4(T.Name, { LABEL: 'kindWord' }) });
        },
      },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.optionValue, { LABEL: 'default' }) });
    });
  });

  // message NAME [{ field: T (, | ; | line break) … }]
  private messageMember = this.RULE('messageMember', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME2(T.Name, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.LCurly);
      this.MANY(() => {
        this.SUBRULE(this.messageField, { LABEL: 'field' });
        this.OPTION2(() => this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
      });
      this.CONSUME(T.RCurly);
    });
  });

  private messageField = this.RULE('messageField', () => {
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef, { LABEL: 'type' });
  });

  // stable NAME: T = e   |   var NAME: T = e
  private stateMember = this.RULE('stateMember', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME2(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef, { LABEL: 'type' });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'initial' });
  });

  // fn NAME(p: T, …): T = e
  private fnMember = this.RULE('fnMember', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME2(T.Name, { LABEL: 'name' });
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.fnParam, { LABEL: 'param' }) });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef, { LABEL: 'result' });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'body' });
  });

  private fnParam = this.RULE('fnParam', () => {
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef, { LABEL: 'type' });
  });

  // on start { … } | on timer NAME { … } | on M[(m)] [from p] [when guard] { … }
  private handlerMember = this.RULE('handlerMember', () => {
    this.CONSUME(K.on);
    this.SUBRULE(this.handlerTrigger, { LABEL: 'trigger' });
    this.OPTION({
      GATE: () => this.LA(1).image === 'when',
      DEF: () => {
        this.CONSUME(T.Identifier, { LABEL: 'when' });
        this.SUBRULE(this.expression, { LABEL: 'guard' });
      },
    });
    this.SUBRULE(this.block, { LABEL: 'body' });
  });

  private handlerTrigger = this.RULE('handlerTrigger', () => {
    this.OR({
      // The word decides (gates), so a keyword where the name belongs is reported there (DS114).
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(1).image === 'start' && this.LA(2).tokenType !== T.LParen && this.LA(2).tokenType !== K.from,
          ALT: () => this.CONSUME(T.Identifier, { LABEL: 'start' }),
        },
        {
          GATE: () => this.LA(1).image === 'timer' && tokenMatcher(this.LA(2), T.Name) && this.LA(2).image !== 'when',
          ALT: () => {
            this.CONSUME2(T.Identifier, { LABEL: 'timerWord' });
            this.CONSUME3(T.Name, { LABEL: 'timer' });
          },
        },
        {
          ALT: () => {
            this.CONSUME4(T.Identifier, { LABEL: 'message' });
            this.OPTION(() => {
              this.CONSUME(T.LParen);
              this.CONSUME5(T.Name, { LABEL: 'payload' });
              this.CONSUME(T.RParen);
            });
            this.OPTION2(() => {
              this.CONSUME(K.from);
              this.CONSUME6(T.Name, { LABEL: 'sender' });
            });
          },
        },
      ],
    });
  });

}
