import type { IToken, TokenType } from 'chevrotain';
import { diagnostic, type Diagnostic } from '../diagnostics';
import type { Expr } from '../expr/ast';
import { spanRanges } from '../source';
import type * as A from './ast';
import type { Built } from './actionParser';
import { ValueRules } from './valueParser';
import * as T from './lexer';
import { isReal, name, tokenRange } from './tokenAst';

const K = T.keywordTokens;

export { STATEMENT_START_WORDS } from './protocolWords';

/** Tokens after which a statement word is a name being assigned (`timer = 3`, `note.x = 1`, `let[0] = 2`). */
const ASSIGNMENT_NEXT: ReadonlySet<TokenType> = new Set([T.Equals, T.Dot, T.LBracket]);

/**
 * A `note "…{expr}…"` whose `{…}` parts are read once the file is parsed
 * (the one parser instance reads them, so not while it reads the file): it
 * stands among the reports where the note's own mistakes belong.
 */
export interface PendingNote {
  readonly note: IToken;
  readonly statement: { kind: 'note'; parts: A.NotePart[]; range: A.Located['range'] };
  /** The statements of the block holding it, from which a broken note is removed. */
  owner?: A.ProtoStmt[];
}

/** What the actions report, in order: diagnostics and the notes still to read. */
export type Report = Diagnostic | PendingNote;

/**
 * The grammar of protocol code (issue 15; the concrete syntax is in ast.ts):
 * blocks of statements and types, between the expression grammar and the
 * protocol declarations (protocolParser.ts). Statements are separated by `;`
 * or a line break, yet the grammar needs no line-break token: an assignment
 * starts with a name, every other statement with a word, and no expression
 * can continue with a name or a word, so the end of each statement is where
 * its expression stops.
 *
 * A statement or block holding a syntax error the parser repaired is left
 * out, and so are the mistakes found inside it (DS114, DS107): its syntax
 * error is reported instead.
 */
export abstract class StatementRules extends ValueRules {
  /** The mistakes only the actions see, for the current input. */
  public reports: Report[] = [];

  override reset(): void {
    super.reset();
    this.reports = [];
  }

  protected report(d: Diagnostic): void {
    this.reports.push(d);
  }

  /** Whether the parser reported a syntax error at an offset in [from, to). */
  protected hasErrorIn(from: number, to: number): boolean {
    for (const e of this.errors) {
      const o = e.token.startOffset;
      if (Number.isFinite(o) && o >= from && o < to) return true;
    }
    return false;
  }

  /** A name a protocol declares or binds: a keyword there is reported (DS114) and kept, so the declaration is not lost. */
  protected declared(t: IToken): A.Name {
    if (t.tokenType !== T.Identifier) this.report(diagnostic('DS114', `'${t.image}' is a keyword and cannot be used as a name; pick another name`, tokenRange(t)));
    return name(t);
  }

  /** Whether the next token is the name `word`, not followed by what makes it a name being assigned. */
  private word(word: string): boolean {
    const next = this.LA(1);
    return next.tokenType === T.Identifier && next.image === word && !ASSIGNMENT_NEXT.has(this.LA(2).tokenType);
  }

  /** The expression of a `note`'s `{…}`, parsed on its own (noteText.ts): all of its tokens or an error. */
  public noteExpression = this.rule('noteExpression', (): Built<Expr> => this.SUBRULE(this.expression));

  // const NAME [: T] = e (a member)   |   let NAME [: T] = e (a statement)
  protected namedValue = this.rule('namedValue', (): Built<{ name: A.Name; type?: A.TypeRef; value: Expr }> => {
    this.CONSUME(T.Identifier);
    const declared = this.CONSUME2(T.Name);
    const type = this.OPTION(() => {
      this.CONSUME(T.Colon);
      return this.SUBRULE(this.typeRef);
    });
    this.CONSUME(T.Equals);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => {
      const n = this.declared(declared);
      if (type === null || value === null) return null;
      return { name: n, ...(type ? { type } : {}), value };
    });
  });

  protected block = this.rule('block', (): Built<A.Block> => {
    const statements: A.ProtoStmt[] = [];
    const mark = this.ACTION(() => this.reports.length);
    const open = this.CONSUME(T.LCurly);
    this.MANY(() => {
      const s = this.SUBRULE(this.protoStmt);
      this.ACTION(() => {
        if (s === null) return;
        statements.push(s);
        if (s.kind === 'note') this.adoptNote(s, statements);
      });
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    const close = this.CONSUME(T.RCurly);
    return this.ACTION(() => {
      if (isReal(close)) return { statements, range: this.rangeFrom(open) };
      this.reports.length = mark;
      return null;
    });
  });

  /** The block `owner` holds the note just read: a note whose `{…}` turns out broken is removed from it. */
  private adoptNote(statement: A.ProtoStmt, owner: A.ProtoStmt[]): void {
    for (let i = this.reports.length - 1; i >= 0; i--) {
      const r = this.reports[i]!;
      if ('note' in r && r.statement === statement) {
        r.owner = owner;
        return;
      }
    }
  }

  private protoStmt = this.rule('protoStmt', (): Built<A.ProtoStmt> => {
    const mark = this.ACTION(() => this.reports.length);
    const first = this.ACTION(() => this.next());
    const s = this.OR({
      // The word decides (gates), so a keyword where the name belongs is reported there (DS114).
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.word('let'),
          ALT: () => {
            const v = this.SUBRULE(this.namedValue);
            return this.ACTION((): Built<A.ProtoStmt> => (v === null ? null : { kind: 'let', ...v, range: this.rangeFrom(first) }));
          },
        },
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
    return this.ACTION(() => {
      // A statement holding a repaired error (in its head, for `if` and `for`: their blocks are judged statement by statement) is left out.
      if (s !== null) {
        const head = s.kind === 'if' ? s.then.range : s.kind === 'for' ? s.body.range : undefined;
        if (!this.hasErrorIn(s.range.startOffset, head ? head.startOffset : s.range.endOffset)) return s;
        this.reports.length = mark;
      } else if (first.tokenType === K.if || first.tokenType === K.for) {
        // Cut short: what its blocks reported goes with it (a simple statement keeps what it reported before the missing piece).
        this.reports.length = mark;
      }
      return null;
    });
  });

  // x = e | log[i] = e | rec.field = e
  private assignStmt = this.rule('assignStmt', (): Built<A.ProtoStmt> => {
    const first = this.CONSUME(T.Identifier);
    let target: Built<Expr> = this.ACTION((): Expr => ({ kind: 'name', name: name(first), range: tokenRange(first) }));
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            const field = this.CONSUME(T.Name);
            this.ACTION(() => {
              if (target !== null) target = { kind: 'field', target, name: name(field), range: spanRanges(target.range, tokenRange(field)) };
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            const index = this.SUBRULE(this.expression);
            const close = this.CONSUME(T.RBracket);
            this.ACTION(() => {
              if (target === null || index === null || !isReal(close)) target = null;
              else target = { kind: 'index', target, index, range: spanRanges(target.range, tokenRange(close)) };
            });
          },
        },
      ]);
    });
    this.CONSUME(T.Equals);
    const value = this.SUBRULE2(this.expression);
    return this.ACTION(() => (target === null || value === null ? null : { kind: 'assign', target, value, range: this.rangeFrom(first) }));
  });

  // timer NAME after e
  private timerStmt = this.rule('timerStmt', (): Built<A.ProtoStmt> => {
    const word = this.CONSUME(T.Identifier);
    const timer = this.CONSUME2(T.Name);
    this.CONSUME(K.after);
    const after = this.SUBRULE(this.expression);
    return this.ACTION(() => {
      const t = this.declared(timer);
      return after === null ? null : { kind: 'timer', timer: t, after, range: this.rangeFrom(word) };
    });
  });

  // cancel NAME
  private cancelStmt = this.rule('cancelStmt', (): Built<A.ProtoStmt> => {
    const word = this.CONSUME(T.Identifier);
    const timer = this.CONSUME2(T.Name);
    return this.ACTION(() => ({ kind: 'cancel', timer: this.declared(timer), range: this.rangeFrom(word) }));
  });

  // note "text {expr}": its parts are read after the file (PendingNote)
  private noteStmt = this.rule('noteStmt', (): Built<A.ProtoStmt> => {
    const word = this.CONSUME(T.Identifier);
    const text = this.CONSUME(T.StringLiteral);
    return this.ACTION(() => {
      const statement = { kind: 'note' as const, parts: [], range: this.rangeFrom(word) };
      this.reports.push({ note: text, statement });
      return statement;
    });
  });

  // if c { … } [else if … | else { … }]
  private ifStmt = this.rule('ifStmt', (): Built<A.ProtoStmt> => {
    const start = this.CONSUME(K.if);
    const mark = this.ACTION(() => this.reports.length);
    const cond = this.SUBRULE(this.expression);
    const then = this.SUBRULE(this.block);
    const thenEnd = this.ACTION(() => this.reports.length);
    const otherwise = this.OPTION(() => {
      this.CONSUME(K.else);
      return this.OR([
        {
          ALT: () => {
            // `else if …` is an else block holding one `if`: the AST has one way to say it.
            const nested = this.SUBRULE(this.ifStmt);
            return this.ACTION((): Built<A.Block> => (nested === null ? null : { statements: [nested], range: nested.range }));
          },
        },
        { ALT: () => this.SUBRULE2(this.block) },
      ]);
    });
    return this.ACTION((): Built<A.ProtoStmt> => {
      // What the else part reports comes before what the then block reports (the order the AST was always built in).
      const elseReports = this.reports.splice(thenEnd);
      const thenReports = this.reports.splice(mark);
      this.reports.push(...elseReports);
      if (otherwise === null || cond === null || then === null) return null;
      this.reports.push(...thenReports);
      return { kind: 'if', cond, then, ...(otherwise ? { else: otherwise } : {}), range: this.rangeFrom(start) };
    });
  });

  // for x in e { … }
  private forStmt = this.rule('forStmt', (): Built<A.ProtoStmt> => {
    const start = this.CONSUME(K.for);
    const variable = this.CONSUME(T.Name);
    const mark = this.ACTION(() => this.reports.length);
    this.CONSUME(K.in);
    const over = this.SUBRULE(this.expression);
    const body = this.SUBRULE(this.block);
    return this.ACTION((): Built<A.ProtoStmt> => {
      const bodyReports = this.reports.splice(mark);
      const v = this.declared(variable);
      if (over === null || body === null) return null;
      this.reports.push(...bodyReports);
      return { kind: 'for', variable: v, over, body, range: this.rangeFrom(start) };
    });
  });

  // send M { f: e, … } to e
  private sendStmt = this.rule('sendStmt', (): Built<A.ProtoStmt> => {
    const start = this.CONSUME(K.send);
    const value = this.SUBRULE(this.messageValue);
    // `to` is a word only here: a gated single alternative makes anything else a syntax error.
    this.OR([{ GATE: () => this.LA(1).image === 'to', ALT: () => this.CONSUME(T.Identifier) }]);
    const to = this.SUBRULE(this.expression);
    return this.ACTION(() => (value === null || to === null ? null : { kind: 'send', value, to, range: this.rangeFrom(start) }));
  });

  // broadcast M { … } | reply M { … }
  private replyStmt = this.rule('replyStmt', (): Built<A.ProtoStmt> => {
    const verb = this.OR([{ ALT: () => this.CONSUME(K.broadcast) }, { ALT: () => this.CONSUME(K.reply) }]);
    const value = this.SUBRULE(this.messageValue);
    return this.ACTION(() => (value === null ? null : { kind: verb.image as 'broadcast' | 'reply', value, range: this.rangeFrom(verb) }));
  });

  // M [{ f: e, … }]
  private messageValue = this.rule('messageValue', (): Built<A.MessageValue> => {
    const fields: Built<A.MessageValue['fields'][number]>[] = [];
    const message = this.CONSUME(T.Identifier);
    const close = this.OPTION(() => {
      this.CONSUME(T.LCurly);
      this.MANY_SEP({
        SEP: T.Comma,
        DEF: () => this.keep(fields, this.SUBRULE(this.payloadField)),
      });
      return this.CONSUME(T.RCurly);
    });
    return this.ACTION(() =>
      (close && !isReal(close)) || fields.includes(null) ? null : { message: name(message), fields: fields as A.MessageValue['fields'][number][], range: this.rangeFrom(message) },
    );
  });

  private payloadField = this.rule('payloadField', (): Built<A.MessageValue['fields'][number]> => {
    const field = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => (value === null ? null : { name: name(field), value, range: this.rangeFrom(field) }));
  });

  // clock.step(e) | clock.slew(e)
  private clockStmt = this.rule('clockStmt', (): Built<A.ProtoStmt> => {
    const start = this.CONSUME(K.clock);
    this.CONSUME(T.Dot);
    const action = this.OR([{ GATE: () => this.LA(1).image === 'step' || this.LA(1).image === 'slew', ALT: () => this.CONSUME(T.Identifier) }]);
    this.CONSUME(T.LParen);
    const amount = this.SUBRULE(this.expression);
    const close = this.CONSUME(T.RParen);
    return this.ACTION(() =>
      !isReal(close) || amount === null ? null : { kind: 'clock', action: action.image as 'step' | 'slew', amount, range: this.rangeFrom(start) },
    );
  });

  /** A type as written, with its canonical text (the spacing `parseTypeText` and `typeToString` use). */
  // int | node? | set<node> | map<string, set<node>> | { a: int, b: string } | "a" | "b"
  protected typeRef = this.rule('typeRef', (): Built<A.TypeRef> => {
    const parts: Built<string>[] = [];
    const first = this.ACTION(() => this.next());
    const text = this.OR([
      {
        ALT: () => {
          this.AT_LEAST_ONE_SEP({
            SEP: T.Pipe,
            DEF: () => {
              const choice = this.CONSUME(T.StringLiteral);
              this.ACTION(() => parts.push(choice.image));
            },
          });
          return this.ACTION(() => parts.join(' | '));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LCurly);
          this.MANY_SEP({
            SEP: T.Comma,
            DEF: () => this.keep(parts, this.SUBRULE(this.typeField)),
          });
          const close = this.CONSUME(T.RCurly);
          return this.ACTION(() => (!isReal(close) || parts.includes(null) ? null : parts.length > 0 ? `{ ${parts.join(', ')} }` : '{}'));
        },
      },
      {
        ALT: () => {
          const typeName = this.CONSUME(T.Name);
          const args = this.OPTION(() => {
            this.CONSUME(T.Less);
            this.AT_LEAST_ONE_SEP2({
              SEP: T.Comma,
              DEF: () => {
                const arg = this.SUBRULE(this.typeRef);
                this.ACTION(() => parts.push(arg === null ? null : arg.text));
              },
            });
            return this.CONSUME(T.Greater);
          });
          return this.ACTION(() => (args === undefined ? typeName.image : parts.includes(null) ? null : `${typeName.image}<${parts.join(', ')}>`));
        },
      },
    ]);
    const optional = this.OPTION2(() => this.CONSUME(T.Question));
    return this.ACTION(() => (text === null ? null : { text: optional ? `${text}?` : text, range: this.rangeFrom(first) }));
  });

  private typeField = this.rule('typeField', (): Built<string> => {
    const field = this.CONSUME(T.Name);
    this.CONSUME(T.Colon);
    const type = this.SUBRULE(this.typeRef);
    return this.ACTION(() => (type === null ? null : `${field.image}: ${type.text}`));
  });
}
