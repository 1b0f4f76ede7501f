import type { IToken, TokenType } from 'chevrotain';
import type * as A from './ast';
import { tokenRange, unquote } from './cstAccess';
import * as T from './lexer';
import { literal, name } from './valueToAst';

const K = T.keywordTokens;

/**
 * The fast path of the parser for the statements large files are made of:
 * `at T A -> B "m"`, `every T A -> B "m" [from T] [until T]` and
 * `faults { at T <fault>* }`. It reads such a statement from the tokens
 * straight into the AST, with no CST, no lookahead machinery and no
 * visitor: on the 1 MB bench file that is most of the parse.
 *
 * Contract: for the tokens at `start`, it returns either undefined (the
 * parser then reads the statement with the grammar, parser.ts) or exactly
 * what the grammar plus cstToAst.ts give: the same statement AST (ranges
 * included) and the same end, when the grammar reads the statement without
 * a single error. Anything else (a shape it does not know, a token out of
 * place, `faults random`) is left to the grammar, so error recovery and every
 * diagnostic stay the grammar's. The grammar rules mirrored here are named
 * at each function; test/unit/fastStatements.test.ts compares both readings
 * on generated files.
 */
export interface FastStatement {
  readonly statement: A.Statement;
  /** The index of the first token after the statement (and its `;`). */
  readonly end: number;
}

/** Thrown when the statement is not one the fast path reads: the grammar takes it. */
const NOT_FAST = Symbol('not fast');

export function fastStatement(tokens: readonly IToken[], start: number): FastStatement | undefined {
  const first = tokens[start];
  if (first === undefined) return undefined;
  const r = new Reader(tokens, start);
  try {
    let statement: A.Statement;
    if (first.tokenType === K.at) statement = r.atStmt();
    else if (first.tokenType === K.every) statement = r.everyStmt();
    else if (first.tokenType === K.faults) statement = r.faultsBlock();
    else return undefined;
    // statement: ... OPTION(;)
    if (r.is(T.Semicolon)) r.i++;
    return { statement, end: r.i };
  } catch (error) {
    if (error === NOT_FAST) return undefined;
    throw error;
  }
}

/** From the start of `first` to the end of `last`, as a CST node's location gives it. */
function span(first: IToken, last: IToken): A.Located['range'] {
  return {
    startOffset: first.startOffset,
    endOffset: last.endOffset! + 1,
    startLine: first.startLine!,
    startColumn: first.startColumn!,
    endLine: last.endLine!,
    endColumn: last.endColumn! + 1,
  };
}

function stringLit(t: IToken): A.StringLit {
  return { value: unquote(t.image), range: tokenRange(t) };
}

/** The first tokens of `value` (atom's alternatives). */
const VALUE_STARTS: ReadonlySet<TokenType> = new Set([T.Duration, T.Ppm, T.Percent, T.NumberLiteral, T.StringLiteral, K.true, K.false, T.Identifier]);

class Reader {
  constructor(
    private readonly tokens: readonly IToken[],
    public i: number,
  ) {}

  is(type: TokenType): boolean {
    return this.tokens[this.i]?.tokenType === type;
  }

  take(type: TokenType): IToken {
    const t = this.tokens[this.i];
    if (t === undefined || t.tokenType !== type) throw NOT_FAST;
    this.i++;
    return t;
  }

  /** The last token taken. */
  private last(): IToken {
    return this.tokens[this.i - 1]!;
  }

  // atStmt: at value nodeAction
  atStmt(): A.AtStmt {
    const at = this.take(K.at);
    const time = this.value();
    const action = this.nodeAction();
    return { kind: 'at', time, action, range: span(at, this.last()) };
  }

  // everyStmt: every value nodeAction [from value] [until value]
  everyStmt(): A.EveryStmt {
    const every = this.take(K.every);
    const period = this.value();
    const action = this.nodeAction();
    const start = this.is(K.from) ? (this.i++, this.value()) : undefined;
    const stop = this.is(K.until) ? (this.i++, this.value()) : undefined;
    return { kind: 'every', period, action, ...(start ? { start } : {}), ...(stop ? { stop } : {}), range: span(every, this.last()) };
  }

  // nodeAction: Identifier (-> (Identifier | *) String | local String)
  private nodeAction(): A.NodeAction {
    const actor = this.take(T.Identifier);
    if (this.is(K.local)) {
      this.i++;
      const label = stringLit(this.take(T.StringLiteral));
      return { kind: 'local', node: name(actor), label, range: span(actor, this.last()) };
    }
    this.take(T.Arrow);
    const target = this.is(T.Star) ? (this.i++, 'everyone' as const) : name(this.take(T.Identifier));
    const label = stringLit(this.take(T.StringLiteral));
    return { kind: 'send', node: name(actor), target, label, range: span(actor, this.last()) };
  }

  // value: atom [.. atom]
  private value(): A.Value {
    const first = this.tokens[this.i];
    const low = this.atom();
    if (!this.is(T.DotDot)) return low;
    this.i++;
    const high = this.atom();
    return { kind: 'range', low, high, range: span(first!, this.last()) };
  }

  // atom: a literal | Identifier [argList]
  private atom(): A.Value {
    const t = this.tokens[this.i];
    if (t === undefined || !VALUE_STARTS.has(t.tokenType)) throw NOT_FAST;
    this.i++;
    const known = literal(t);
    if (known) return known;
    if (!this.is(T.LParen)) return { kind: 'name', name: t.image, range: tokenRange(t) };
    // argList: ( [value (, value)*] )
    this.i++;
    const args: A.Value[] = [];
    if (!this.is(T.RParen)) {
      args.push(this.value());
      while (this.is(T.Comma)) {
        this.i++;
        args.push(this.value());
      }
    }
    this.take(T.RParen);
    return { kind: 'name', name: t.image, args, range: span(t, this.last()) };
  }

  // faultsBlock (not `random`): faults { (faultStmt [;])* }
  faultsBlock(): A.FaultsBlock {
    const faults = this.take(K.faults);
    if (this.tokens[this.i]?.image === 'random') throw NOT_FAST;
    this.take(T.LCurly);
    const list: A.Fault[] = [];
    while (this.is(K.at)) {
      list.push(this.fault());
      if (this.is(T.Semicolon)) this.i++;
    }
    this.take(T.RCurly);
    return { kind: 'faults', faults: list, range: span(faults, this.last()) };
  }

  // faultStmt: at value (partition … | heal | crash/restart N | clock N jump/drift value | drop link [for] | delay link by value [for])
  private fault(): A.Fault {
    const at = this.take(K.at);
    const time = this.value();
    const verb = this.tokens[this.i];
    if (verb === undefined) throw NOT_FAST;
    this.i++;
    const base = (): { time: A.Value; range: A.Located['range'] } => ({ time, range: span(at, this.last()) });
    switch (verb.tokenType) {
      case K.partition: {
        const groups = [this.nodeGroup()];
        while (this.is(T.Pipe)) {
          this.i++;
          groups.push(this.nodeGroup());
        }
        const window = this.forWindow();
        return { ...base(), kind: 'partition', groups, ...window };
      }
      case K.heal:
        return { ...base(), kind: 'heal' };
      case K.crash:
      case K.restart: {
        const node = name(this.take(T.Identifier));
        return { ...base(), kind: verb.image as 'crash' | 'restart', node };
      }
      case K.clock: {
        const node = name(this.take(T.Identifier));
        const change = this.tokens[this.i];
        if (change?.tokenType !== K.jump && change?.tokenType !== K.drift) throw NOT_FAST;
        this.i++;
        const amount = this.value();
        return { ...base(), kind: change.image === 'jump' ? 'clock-jump' : 'clock-drift', node, amount };
      }
      case K.drop: {
        const link = this.linkRef();
        const window = this.forWindow();
        return { ...base(), kind: 'drop', link, ...window };
      }
      case K.delay: {
        const link = this.linkRef();
        this.take(K.by);
        const extra = this.value();
        const window = this.forWindow();
        return { ...base(), kind: 'delay', link, extra, ...window };
      }
      default:
        throw NOT_FAST;
    }
  }

  // [forWindow]: for value
  private forWindow(): { window?: A.Value } {
    if (!this.is(K.for)) return {};
    this.i++;
    return { window: this.value() };
  }

  // nodeGroup: { [nodeRef (, nodeRef)*] }
  private nodeGroup(): A.NodeRef[] {
    this.take(T.LCurly);
    const refs: A.NodeRef[] = [];
    if (this.is(T.Identifier)) {
      refs.push(this.nodeRef());
      while (this.is(T.Comma)) {
        this.i++;
        refs.push(this.nodeRef());
      }
    }
    this.take(T.RCurly);
    return refs;
  }

  // nodeRef: Identifier [.. Identifier]
  private nodeRef(): A.NodeRef {
    const first = this.take(T.Identifier);
    if (!this.is(T.DotDot)) return { first: name(first), range: tokenRange(first) };
    this.i++;
    const last = this.take(T.Identifier);
    return { first: name(first), last: name(last), range: span(first, last) };
  }

  // linkRef: Identifier (-> | <->) Identifier
  private linkRef(): A.LinkRef {
    const from = this.take(T.Identifier);
    const bidirectional = this.is(T.BiArrow);
    if (!bidirectional) this.take(T.Arrow);
    else this.i++;
    const to = this.take(T.Identifier);
    return { from: name(from), to: name(to), bidirectional, range: span(from, to) };
  }
}
