import { EmbeddedActionsParser, type IParserConfig, type IToken, type ParserMethod, type TokenVocabulary } from 'chevrotain';
import type { SourceRange } from '../source';
import { span } from './tokenAst';

/**
 * What a grammar rule gives back: its AST piece, or `null` when a piece of
 * it is missing (a rule error recovery cut short, a `}` or `)` the parser
 * invented). A missing piece leaves out the smallest enclosing list item
 * or statement: the AST holds only what the user really wrote, and the
 * syntax error is reported once. `undefined` is what an OPTION not taken
 * gives, so `null` from an OPTION means "written, but broken".
 */
export type Built<X> = X | null;

const missing = (): null => null;

/** What the hook into Chevrotain needs beyond its typed API: the call made for every consumed token (TreeBuilder). */
interface ParserInternals {
  cstPostTerminal(key: string, token: IToken): void;
}

/**
 * The base of the DSync grammar (exprParser.ts → … → parser.ts): a
 * Chevrotain parser with embedded actions, where each rule builds its
 * piece of the AST as it recognises it, and knows the first and last token
 * it consumed (its range).
 *
 * Actions run only outside Chevrotain's grammar recording (`ACTION`): there
 * CONSUME and SUBRULE give placeholders, not tokens and results.
 */
export abstract class ActionParser extends EmbeddedActionsParser {
  constructor(tokens: TokenVocabulary, config: IParserConfig) {
    super(tokens, config);
    // Without a CST Chevrotain makes this per-token call a no-op: it is where a range learns its last token.
    (this as unknown as ParserInternals).cstPostTerminal = (_key, token) => this.consumed(token);
  }

  /** A rule whose error recovery gives `null` (a missing piece). */
  protected rule<F extends (...args: any[]) => any>(name: string, impl: F): ParserMethod<Parameters<F>, ReturnType<F>> {
    return this.RULE(name, impl, { recoveryValueFunc: missing as () => ReturnType<F> });
  }

  /** The first and the last real token the parser consumed in the current input (error recovery skips tokens without consuming them). */
  protected firstConsumed: IToken | undefined;
  protected lastConsumed: IToken | undefined;

  override reset(): void {
    super.reset();
    this.firstConsumed = undefined;
    this.lastConsumed = undefined;
  }

  /** Called for every token consumed, real or invented by recovery (Chevrotain's cstPostTerminal, a no-op without a CST). */
  protected consumed(t: IToken): void {
    if (t.isInsertedInRecovery || !Number.isFinite(t.startOffset)) return;
    this.firstConsumed ??= t;
    this.lastConsumed = t;
  }

  /** From `first` to the last token consumed. */
  protected rangeFrom(first: IToken): SourceRange {
    return span(first, this.lastConsumed ?? first);
  }

  /** Keeps what a rule or CONSUME just gave in `into` (an action: nothing is kept while Chevrotain records the grammar). */
  protected keep<X>(into: X[], built: X): void {
    this.ACTION(() => into.push(built));
  }

  /** The next token, read before a rule consumes it (for a rule's range). */
  protected next(): IToken {
    return this.LA(1);
  }

}
