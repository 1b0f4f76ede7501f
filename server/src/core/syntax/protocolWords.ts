import type { IToken } from 'chevrotain';
import { closestName } from '../check/suggest';
import * as T from './lexer';

/**
 * The words protocol code gives a meaning by their text (most are names
 * elsewhere), and the messages for a word that begins nothing: for the
 * grammar (protocolParser.ts, statementParser.ts), its syntax errors
 * (parse.ts), completion and highlighting.
 */

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

/** Every word a statement may begin with (besides an assignment's name), for messages and completion. */
export const STATEMENT_START_WORDS: readonly string[] = ['let', 'if', 'for', 'send', 'broadcast', 'reply', 'timer', 'cancel', 'note', 'clock'];

export const MEMBER_TEXT = 'a protocol member: option, const, message, stable, var, fn or on';
export const STATEMENT_TEXT = 'a statement: NAME = value, let, if, for, send, broadcast, reply, timer, cancel, note, clock.step or clock.slew';

/**
 * The message for a token that begins no member or statement: the word it
 * most plausibly misspells when there is one, and what may be written there.
 */
export function unexpectedWord(found: IToken, where: 'member' | 'statement'): string {
  const words: readonly string[] = where === 'member' ? MEMBER_WORDS : STATEMENT_START_WORDS;
  const what = where === 'member' ? MEMBER_TEXT : STATEMENT_TEXT;
  const meant = found.tokenType === T.Identifier ? closestName(found.image, words) : undefined;
  const shown = found.image.length > 24 ? `${found.image.slice(0, 24)}…` : found.image;
  return meant ? `unknown word '${shown}': did you mean '${meant}'? (${what})` : `unexpected '${shown}': expected ${what}`;
}

