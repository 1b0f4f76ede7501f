import { EOF, tokenMatcher, type CstNode, type IToken, type ParserMethod, type TokenType } from 'chevrotain';
import { ExpressionRules } from './exprParser';
import * as T from './lexer';

const K = T.keywordTokens;

/**
 * Words that begin a protocol member. Only `on` is a keyword; the others are
 * names everywhere else (option keys, node names, state variables), matched
 * here by their text so no existing file changes meaning.
 */
export const MEMBER_WORDS = ['option', 'const', 'message', 'stable', 'var', 'fn', 'on'] as const;

/** Words that begin a statement by their text (the others are keywords: if, for, send, broadcast, reply, clock). */
export const STATEMENT_WORDS = ['let', 'timer', 'cancel', 'note'] as const;

/** Every word given a meaning by its text inside protocol bodies (the TextMate grammar and semantic tokens highlight them there). */
export const PROTOCOL_CONTEXT_WORDS = [
  'serves', 'option', 'const', 'message', 'stable', 'var', 'fn', 'start', 'timer', 'when',
  'let', 'cancel', 'note', 'to', 'step', 'slew',
] as const;

/** Every token type the parser can see, for skipping any token (categories and comments excluded). */
const ANY_TOKEN: readonly TokenType[] = T.allTokens.filter((t) => t !== T.Name && t !== T.WhiteSpace && t.GROUP === undefined && t.PATTERN !== undefined);

/** Tokens after which a statement word is a name being assigned (`timer = 3`, `note.x = 1`, `let[0] = 2`). */
const ASSIGNMENT_NEXT: ReadonlySet<TokenType> = new Set([T.Equals, T.Dot, T.LBracket]);

/**
 * The grammar of protocols written in .dsync (issue 15; the concrete syntax
 * is in ast.ts), between the expression grammar and the file grammar.
 * Statements are separated by `;` or a line break, yet the grammar needs no
 * line-break token: an assignment starts with a name, every other statement
 * with a word, and no expression can continue with a name or a word, so the
 * end of each statement is where its expression stops.
 *
 * Declared names (the protocol's, members', parameters, timers, `let`, `for`,
 * `(m)` and `from p`) take any name token: a keyword there is reported once
 * by the AST builder (DS114) and the declaration is kept.
 */
export abstract class ProtocolRules extends ExpressionRules {
  /** A default in binding option syntax (`150ms..300ms`, `n1, n2`): the file grammar's option value. */
  protected abstract optionValue: ParserMethod<[], CstNode>;

  /** Whether the next token is the name `word`, not followed by what makes it a name being assigned. */
  private word(word: string): boolean {
    const next = this.LA(1);
    return next.tokenType === T.Identifier && next.image === word && !ASSIGNMENT_NEXT.has(this.LA(2).tokenType);
  }

  /** The expression of a `note`'s `{…}`, parsed on its own (noteText.ts): all of its tokens or an error. */
  public noteExpression = this.RULE('noteExpression', () => {
    this.SUBRULE(this.expression, { LABEL: 'expression' });
  });

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

  // option NAME: duration range = 150ms..300ms   |   option mode: "fast" | "safe" = "safe"
  private optionMember = this.RULE('optionMember', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME2(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.OR([
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Pipe, DEF: () => this.CONSUME(T.StringLiteral, { LABEL: 'choice' }) }) },
      {
        ALT: () => {
          this.CONSUME3(T.Name, { LABEL: 'kindWord' });
          // Only `range` follows a kind's first word (`duration range`): a default-less
          // option must not swallow the next member's word.
          this.MANY({ GATE: () => this.LA(1).image === 'range', DEF: () => this.CONSUME4(T.Name, { LABEL: 'kindWord' }) });
        },
      },
    ]);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.optionValue, { LABEL: 'default' }) });
    });
  });

  // const NAME [: T] = e (a member)   |   let NAME [: T] = e (a statement)
  private namedValue = this.RULE('namedValue', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME2(T.Name, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeRef, { LABEL: 'type' });
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
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

  protected block = this.RULE('block', () => {
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.protoStmt, { LABEL: 'statement' });
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    this.CONSUME(T.RCurly);
  });

  private protoStmt = this.RULE('protoStmt', () => {
    this.OR({
      // The word decides (gates), so a keyword where the name belongs is reported there (DS114).
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.word('let'), ALT: () => this.SUBRULE(this.namedValue) },
        { GATE: () => this.word('timer'), ALT: () => this.SUBRULE(this.timerStmt) },
        { GATE: () => this.word('cancel'), ALT: () => this.SUBRULE(this.cancelStmt) },
        { GATE: () => this.word('note'), ALT: () => this.SUBRULE(this.noteStmt) },
        { ALT: () => this.SUBRULE(this.ifStmt) },
        { ALT: () => this.SUBRULE(this.forStmt) },
        { ALT: () => this.SUBRULE(this.sendStmt) },
        { ALT: () => this.SUBRULE(this.replyStmt) },
        { ALT: () => this.SUBRULE(this.clockStmt) },
        { ALT: () => this.SUBRULE(this.assignStmt) },
      ],
    });
  });

  // x = e | log[i] = e | rec.field = e
  private assignStmt = this.RULE('assignStmt', () => {
    this.CONSUME(T.Identifier, { LABEL: 'target' });
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot, { LABEL: 'step' });
            this.CONSUME(T.Name, { LABEL: 'field' });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket, { LABEL: 'step' });
            this.SUBRULE(this.expression, { LABEL: 'index' });
            this.CONSUME(T.RBracket);
          },
        },
      ]);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE2(this.expression, { LABEL: 'value' });
  });

  // timer NAME after e
  private timerStmt = this.RULE('timerStmt', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME2(T.Name, { LABEL: 'timer' });
    this.CONSUME(K.after);
    this.SUBRULE(this.expression, { LABEL: 'after' });
  });

  // cancel NAME
  private cancelStmt = this.RULE('cancelStmt', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME2(T.Name, { LABEL: 'timer' });
  });

  // note "text {expr}"
  private noteStmt = this.RULE('noteStmt', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME(T.StringLiteral, { LABEL: 'text' });
  });

  // if c { … } [else if … | else { … }]
  private ifStmt = this.RULE('ifStmt', () => {
    this.CONSUME(K.if);
    this.SUBRULE(this.expression, { LABEL: 'cond' });
    this.SUBRULE(this.block, { LABEL: 'then' });
    this.OPTION(() => {
      this.CONSUME(K.else);
      this.OR([
        { ALT: () => this.SUBRULE(this.ifStmt, { LABEL: 'elseIf' }) },
        { ALT: () => this.SUBRULE2(this.block, { LABEL: 'else' }) },
      ]);
    });
  });

  // for x in e { … }
  private forStmt = this.RULE('forStmt', () => {
    this.CONSUME(K.for);
    this.CONSUME(T.Name, { LABEL: 'variable' });
    this.CONSUME(K.in);
    this.SUBRULE(this.expression, { LABEL: 'over' });
    this.SUBRULE(this.block, { LABEL: 'body' });
  });

  // send M { f: e, … } to e
  private sendStmt = this.RULE('sendStmt', () => {
    this.CONSUME(K.send);
    this.SUBRULE(this.messageValue, { LABEL: 'value' });
    // `to` is a word only here: a gated single alternative makes anything else a syntax error.
    this.OR([{ GATE: () => this.LA(1).image === 'to', ALT: () => this.CONSUME(T.Identifier, { LABEL: 'to' }) }]);
    this.SUBRULE(this.expression, { LABEL: 'target' });
  });

  // broadcast M { … } | reply M { … }
  private replyStmt = this.RULE('replyStmt', () => {
    this.OR([{ ALT: () => this.CONSUME(K.broadcast, { LABEL: 'verb' }) }, { ALT: () => this.CONSUME(K.reply, { LABEL: 'verb' }) }]);
    this.SUBRULE(this.messageValue, { LABEL: 'value' });
  });

  // M [{ f: e, … }]
  private messageValue = this.RULE('messageValue', () => {
    this.CONSUME(T.Identifier, { LABEL: 'message' });
    this.OPTION(() => {
      this.CONSUME(T.LCurly);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.payloadField, { LABEL: 'field' }) });
      this.CONSUME(T.RCurly);
    });
  });

  private payloadField = this.RULE('payloadField', () => {
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  // clock.step(e) | clock.slew(e)
  private clockStmt = this.RULE('clockStmt', () => {
    this.CONSUME(K.clock);
    this.CONSUME(T.Dot);
    this.OR([{ GATE: () => this.LA(1).image === 'step' || this.LA(1).image === 'slew', ALT: () => this.CONSUME(T.Identifier, { LABEL: 'action' }) }]);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: 'amount' });
    this.CONSUME(T.RParen);
  });

  // int | node? | set<node> | map<string, set<node>> | { a: int, b: string } | "a" | "b"
  protected typeRef = this.RULE('typeRef', () => {
    this.OR([
      { ALT: () => this.AT_LEAST_ONE_SEP({ SEP: T.Pipe, DEF: () => this.CONSUME(T.StringLiteral, { LABEL: 'choice' }) }) },
      {
        ALT: () => {
          this.CONSUME(T.LCurly);
          this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.typeField, { LABEL: 'field' }) });
          this.CONSUME(T.RCurly);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Name, { LABEL: 'name' });
          this.OPTION(() => {
            this.CONSUME(T.Less);
            this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.typeRef, { LABEL: 'arg' }) });
            this.CONSUME(T.Greater);
          });
        },
      },
    ]);
    this.OPTION2(() => this.CONSUME(T.Question, { LABEL: 'optional' }));
  });

  private typeField = this.RULE('typeField', () => {
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeRef, { LABEL: 'type' });
  });
}
