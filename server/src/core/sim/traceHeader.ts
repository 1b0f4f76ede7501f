import { EVENT_KINDS, type DropReason, type EventKind } from './trace';

/**
 * The header word of a recorded trace event (traceStore.ts): what `kindAt`
 * and `nodeAt` read without decoding the event's record, and which of the
 * record's optional numbers are there. Its bits: kind (5), drop reason (3),
 * text mode (2), flags (4), where the event's own text and data are (2),
 * node + 1 (16).
 */
export const KIND_MASK = 0x1f;
export const REASON_SHIFT = 5;
export const REASON_MASK = 0x7 << REASON_SHIFT;
export const DETAIL_SHIFT = 8;
export const DETAIL_MASK = 0x3 << DETAIL_SHIFT;
export const DETAIL_NONE = 0;
export const DETAIL_OF_MESSAGE = 1;
export const DETAIL_DUPLICATE = 2;
export const DETAIL_OWN = 3;
export const FROM_MESSAGE = 1 << 10;
export const HAS_HLC = 1 << 11;
export const HAS_VC = 1 << 12;
export const HAS_MSG = 1 << 13;
/** No own text or data; found through the event's record; with its message (the send). */
export const AUX_MASK = 0x3 << 14;
export const AUX_RECORD = 1 << 14;
export const AUX_SEND = 2 << 14;
export const NODE_SHIFT = 16;
export const MAX_NODES = (1 << (32 - NODE_SHIFT)) - 1;

/** A Map, not an object: a keyed load by a variable string on an object costs more on every event. */
export const KIND_CODE: ReadonlyMap<EventKind, number> = new Map(EVENT_KINDS.map((k, i) => [k, i]));
export const REASONS: readonly (DropReason | undefined)[] = [undefined, 'loss', 'partition', 'link-down', 'node-down', 'no-handler'];
export const REASON_CODE: Readonly<Record<string, number>> = { none: 0, loss: 1, partition: 2, 'link-down': 3, 'node-down': 4, 'no-handler': 5 } satisfies Record<DropReason | 'none', number>;
