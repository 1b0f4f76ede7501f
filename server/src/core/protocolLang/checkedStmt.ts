import type { Checked } from '../expr/checked';
import type { Type } from '../expr/types';
import type { SourceRange } from '../source';
import type { MessageDecl } from './declarations';

/** A step from a stored value to a part of it, in an assignment target (`log[i].term = …`). */
export type PathStep =
  | { readonly k: 'field'; readonly name: string }
  | { readonly k: 'index'; readonly index: Checked; readonly on: 'list' | 'map' };

/** A name a statement reads, shown with its value when the statement fails at run time. */
export interface ReadName {
  readonly name: string;
  readonly slot: number;
  readonly type: Type;
}

/**
 * A checked statement: names resolved to frame slots, expressions checked,
 * messages resolved to their declarations. compile.ts turns it into a
 * closure; nothing reads this form at run time.
 */
export type CStmt = {
  readonly range: SourceRange;
  /** Names the statement's own expressions read (not those of nested blocks). */
  readonly reads: readonly ReadName[];
} & (
  | { readonly k: 'assign'; readonly slot: number; readonly path: readonly PathStep[]; readonly value: Checked }
  | { readonly k: 'let'; readonly slot: number; readonly value: Checked }
  | { readonly k: 'if'; readonly cond: Checked; readonly then: readonly CStmt[]; readonly else: readonly CStmt[] }
  | { readonly k: 'for'; readonly slot: number; readonly over: Checked; readonly body: readonly CStmt[] }
  | { readonly k: 'send'; readonly to: 'node' | 'broadcast' | 'reply'; readonly target?: Checked; readonly message: MessageDecl; readonly fields: readonly (readonly [string, Checked])[] }
  | { readonly k: 'timer'; readonly name: string; readonly after: Checked }
  | { readonly k: 'cancel'; readonly name: string }
  | { readonly k: 'note'; readonly parts: readonly (string | Checked)[] }
  | { readonly k: 'clock'; readonly action: 'step' | 'slew'; readonly amount: Checked }
);

/** A checked handler: what triggers it, its guard and its body. */
export interface CHandler {
  readonly trigger: 'start' | 'timer' | 'message';
  /** The timer's or message's name (empty for start). */
  readonly name: string;
  readonly message?: MessageDecl;
  readonly payloadSlot?: number;
  readonly senderSlot?: number;
  readonly guard?: Checked;
  readonly body: readonly CStmt[];
  readonly range: SourceRange;
  /** What the trace and run-time errors call the event: `on timer election`, `on Vote from p`. */
  readonly title: string;
}
