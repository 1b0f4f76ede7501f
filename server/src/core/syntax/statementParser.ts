import type { TokenType } from 'chevrotain';
import { ExpressionRules } from './exprParser';
import * as T from './lexer';

const K = T.keywordTokens;

/** Words that begin a statement by their text (the others are keywords: if, for, send, broadcast, reply, clock). */
export const STATEMENT_WORDS = ['let', 'timer', 'cancel', 'note'] as const;

/** Every word a statement may begin with (besides an assignment's name), for messages and completion. */
export const STATEMENT_START_WORDS: readonly string[] = ['let', 'if', 'for', 'send', 'broadcast', 'reply', 'timer', 'cancel', 'note', 'clock'];

/** Tokens after which a statement word is a name being assigned (`timer = 3`, `note.x = 1`, `let[0] = 2`). */
const ASSIGNMENT_NEXT: ReadonlySet<TokenType> = new Set([T.Equals, T.Dot, T.LBracket]);

/**
 * The grammar of protocol code (issue 15; the concrete syntax is in ast.ts):
 * blocks of statements and types, between the expression grammar and the
 * protocol declarations (protocolParser.ts). Statements are separated by `;`
 * or a line break, yet the grammar needs no line-break token: an assignment
 * starts with a name, every other statement with a word, and no expression
 * can continue with a name or a word, so the end of each statement is where
 * its expression stops.
 */
export abstract class StatementRules extends ExpressionRules {
  /** Whether the next token is the name `word`, not followed by what makes it a name being assigned. */
  private word(word: string): boolean {
    const next = this.LA(1);
    return next.tokenType === T.Identifier && next.image === word && !ASSIGNMENT_NEXT.has(this.LA(2).tokenType);
  }

  /** The expression of a `note`'s `{…}`, parsed on its own (noteText.ts): all of its tokens or an error. */
  public noteExpression = this.RULE('noteExpression', () => {
    this.SUBRULE(this.expression, { LABEL: 'expression' });
  });

  // const NAME [: T] = e (a member)   |   let NAME [: T] = e (a statement)
  protected namedValue = this.RULE('namedValue', () => {
    this.CONSUME(T.Identifier, { LABEL: 'word' });
    this.CONSUME2(T.Name, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeRef, { LABEL: 'type' });
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
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
