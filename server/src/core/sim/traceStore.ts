import type { SourceRange } from '../source';
import { Column, Rows } from './column';
import type { Hlc } from './hlc';
import { EVENT_KINDS, type DropReason, type EventKind, type TraceEvent } from './trace';
import { TraceInterner } from './traceInterner';
import { TraceValues } from './traceValues';

/**
 * The recorded trace, stored by columns: a few numbers per event in typed
 * arrays (column.ts) instead of an object, a vector clock and an array of
 * strings per event. Recording a long run used to cost several hundred
 * bytes and half a dozen long-lived objects per event, which made the
 * garbage collector, not the simulation, the cost of recording and ran out
 * of memory around ten million events.
 *
 * Per event (40 bytes, one row: column.ts Rows): true time (float64); a
 * header word with the kind, the drop reason, how the text and message
 * fields are found, and the node; the local clock reading as its
 * difference from true time; the Lamport clock; the HLC in one word (l −
 * local and c, when small: else the word points to the pair, spilled); the
 * message id (or, for an event without a message, where its own text is);
 * the node's own vector clock entry and where the rest of its vector clock
 * is; the site (statement range, label and protocol, interned: a run has few).
 * - Vector clocks: a node's entries other than its own change only when it
 *   receives news, so a node's full vector is written again only then
 *   (sends, local events and notes reuse the last one).
 * - Message events: a receive, drop or duplicate takes its peer, cause and
 *   text from its send (one per message: its seq and receiver), so only the
 *   message id is stored; anything that does not follow that pattern is
 *   stored as it is.
 * - Text and note data are kept only for the events that have their own,
 *   as words (traceValues.ts): a text as its interned template and its
 *   numbers, data as an interned record. A note finds them through its
 *   message word, a send through its message; any other event by seq. A
 *   receive shows its send's summary without a copy.
 * Numbers that do not fit a 32-bit column (a clock hours off true time) go
 * to a side map, so every value comes back exactly.
 *
 * `event(seq)` builds the TraceEvent the engine would have made, field for
 * field (same values, same field order); `view()` is the trace as a
 * read-only array of such events, for code that reads `result.events`.
 */
export class TraceStore {
  /** Per event, ROW words (W_* below) and its true time. */
  private readonly rows = new Rows(ROW);
  /** Full vector clocks, `width` entries each, written when a node's entries other than its own change. */
  private readonly vcs = Column.int32();
  private vcUsed = 0;
  private messages = 0;
  /** Per node, where its last written vector clock starts (−1: none yet). */
  private readonly lastVc: Int32Array;
  /**
   * Per node, a copy of that vector clock, so that the comparison every
   * event makes reads a plain array instead of the column; kept up to
   * COPIED_WIDTH nodes (it holds width² entries), past that the column is read.
   */
  private readonly lastCopy: Int32Array[] | undefined;
  /** Per message id: its send's seq + 1 (0: unknown), and its receiver. */
  private readonly msgSend = Column.int32();
  private readonly msgTo = Column.int32();
  /** Events with text or data of their own, by ascending seq. */
  private readonly auxSeq = Column.int32();
  /** Per message id, where its send's text and data start (when the send has some). */
  private readonly msgAux = Column.int32();
  /** HLC values that do not fit one word: (l − local, c) pairs. */
  private readonly hlcSpill = Column.int32();
  private hlcSpilled = 0;
  /** How many message ids `msgAux` covers. */
  private msgAuxLength = 0;
  /** Per such event, where its text and data start in `auxWords`: two values (traceValues.ts), undefined when absent. */
  private readonly auxAt = Column.int32();
  private readonly auxWords = Column.int32();
  private auxCount = 0;
  private auxUsed = 0;
  private readonly values = new TraceValues();
  /** Values too wide for their column, by `seq * WIDE_FIELDS + field`; and peers/causes that are not the message's. */
  private readonly wide = new Map<number, number>();
  private readonly interner = new TraceInterner();
  private viewCache: readonly TraceEvent[] | undefined;

  constructor(private readonly width: number) {
    if (width >= MAX_NODES) throw new Error(`a recorded trace holds at most ${MAX_NODES - 1} nodes`);
    this.lastVc = new Int32Array(width).fill(-1);
    this.lastCopy = width <= COPIED_WIDTH ? Array.from({ length: width }, () => new Int32Array(width)) : undefined;
  }

  get length(): number {
    return this.rows.length;
  }

  /**
   * About how many bytes the store holds, kept as it grows (the engine asks
   * after every step): its columns (not counting the last chunk's unused
   * part), the vector clocks and messages written, and an estimate of the
   * text, data and side tables.
   */
  get bytes(): number {
    return this.rows.length * EVENT_BYTES + 4 * this.vcUsed + MESSAGE_BYTES * this.messages + 4 * this.msgAuxLength + 8 * this.auxCount + 4 * this.auxUsed + 8 * this.hlcSpilled + this.values.bytes + WIDE_ENTRY_BYTES * this.wide.size + this.interner.bytes;
  }

  /**
   * Appends event `seq` (which must be the store's length): the fields the
   * engine gives an event, `vc` the node's vector clock now (empty for an
   * environment event) and `hlc` its HLC (undefined for one). The fields of
   * TraceEvent come one by one, so that recording makes no object per event.
   */
  append(
    seq: number, time: number, node: number, local: number, kind: EventKind, lamport: number, vc: Int32Array, hlc: Hlc | undefined, range: SourceRange,
    msg: number | undefined, peer: number | undefined, label: string | undefined, cause: number | undefined, reason: DropReason | undefined,
    protocol: string | undefined, detail: string | undefined, data: TraceEvent['data'] | undefined,
  ): void {
    if (seq !== this.rows.length) throw new Error(`trace event ${seq} appended as event ${this.rows.length}`);
    const o = this.rows.append();
    const w = this.rows.lastWords;
    const at = o * ROW;
    this.rows.lastFloats[o] = time;
    let header = KIND_CODE.get(kind)! | (reason === undefined ? 0 : REASON_CODE[reason]! << REASON_SHIFT) | ((node + 1) << NODE_SHIFT);
    // The node is readable at once: a send is its own message's first event (messagePeer).
    w[at + W_HEADER] = header;
    w[at + W_LOCAL] = this.fit(seq, F_LOCAL, local - time);
    w[at + W_LAMPORT] = this.fit(seq, F_LAMPORT, lamport);
    if (hlc !== undefined) {
      header |= HAS_HLC;
      const delta = hlc.l - local;
      const c = hlc.c;
      // Packed in one word when l is within ±134 ms of the reading and c below 16 (neither −0): most events.
      if ((delta | 0) === delta && delta >= -HLC_DELTA_LIMIT && delta < HLC_DELTA_LIMIT && (delta !== 0 || 1 / delta > 0) && (c & HLC_C_MASK) === c && (c !== 0 || 1 / c > 0)) {
        w[at + W_HLC] = (delta << HLC_C_BITS) | c;
      } else {
        header |= HLC_SPILLED;
        w[at + W_HLC] = this.hlcSpilled;
        this.hlcSpill.set(2 * this.hlcSpilled, this.fit(seq, F_HLC_L, delta));
        this.hlcSpill.set(2 * this.hlcSpilled++ + 1, this.fit(seq, F_HLC_C, c));
      }
    }
    if (vc.length > 0 && node >= 0) {
      header |= HAS_VC;
      w[at + W_VC_OWN] = vc[node]!;
      w[at + W_VC_AT] = this.vectorFor(node, vc);
    }
    w[at + W_SITE] = this.interner.site(range, label, protocol);
    w[at + W_MSG] = msg ?? -1;
    let sendSeq = -1;
    if (msg !== undefined && msg >= 0) {
      sendSeq = this.msgSend.peek(msg) - 1;
      if (sendSeq < 0 && kind === 'send' && peer !== undefined && cause === undefined) {
        // The message's first event: every later event of it finds its peer, cause and text here.
        this.msgSend.set(msg, seq + 1);
        this.messages++;
        this.msgTo.set(msg, peer);
        sendSeq = seq;
      }
    }
    if (sendSeq >= 0 && peer === this.messagePeer(msg!, sendSeq, node) && cause === (kind === 'send' ? undefined : sendSeq)) header |= FROM_MESSAGE;
    else {
      if (peer !== undefined) this.wide.set(seq * WIDE_FIELDS + F_PEER, peer);
      if (cause !== undefined) this.wide.set(seq * WIDE_FIELDS + F_CAUSE, cause);
    }
    let detailMode = DETAIL_NONE;
    if (detail === undefined) detailMode = DETAIL_NONE;
    else if (detail === DUPLICATE_COPY) detailMode = DETAIL_DUPLICATE;
    else if (sendSeq >= 0 && sendSeq !== seq && this.hasOwnDetail(sendSeq, detail)) detailMode = DETAIL_OF_MESSAGE;
    else detailMode = DETAIL_OWN;
    header |= detailMode << DETAIL_SHIFT;
    if (detailMode === DETAIL_OWN || data !== undefined) {
      // Where its words start: in the row's message word when it has no message, with its message when it is the send, else by seq.
      if (msg === undefined) {
        header |= AUX_ROW;
        w[at + W_MSG] = this.auxUsed;
      } else if (sendSeq === seq) {
        header |= AUX_SEND;
        this.msgAux.set(msg, this.auxUsed);
        this.msgAuxLength = Math.max(this.msgAuxLength, msg + 1);
      } else {
        header |= AUX_SEARCH;
        this.auxSeq.set(this.auxCount, seq);
        this.auxAt.set(this.auxCount++, this.auxUsed);
      }
      this.auxUsed = this.values.write(detailMode === DETAIL_OWN ? detail : undefined, this.auxWords, this.auxUsed);
      this.auxUsed = this.values.write(data, this.auxWords, this.auxUsed);
    }
    w[at + W_HEADER] = header;
  }

  /** Event `seq` as the engine made it; undefined outside the trace. */
  event(seq: number): TraceEvent | undefined {
    if (!(seq >= 0 && seq < this.rows.length)) return undefined;
    const w = this.rows.wordsOf(seq);
    const at = this.rows.wordAt(seq);
    const header = w[at + W_HEADER]!;
    const kind = EVENT_KINDS[header & KIND_MASK]!;
    const node = (header >>> NODE_SHIFT) - 1;
    const time = this.rows.float(seq);
    const local = time + this.unfit(seq, F_LOCAL, w[at + W_LOCAL]!);
    const site = w[at + W_SITE]!;
    const msgValue = w[at + W_MSG]!;
    const msg = msgValue >= 0 && (header & AUX_MASK) !== AUX_ROW ? msgValue : undefined;
    let peer: number | undefined;
    let cause: number | undefined;
    let sendSeq = -1;
    if (msg !== undefined) sendSeq = this.msgSend.peek(msg) - 1;
    if (header & FROM_MESSAGE) {
      peer = this.messagePeer(msg!, sendSeq, node);
      cause = kind === 'send' ? undefined : sendSeq;
    } else {
      peer = this.wide.get(seq * WIDE_FIELDS + F_PEER);
      cause = this.wide.get(seq * WIDE_FIELDS + F_CAUSE);
    }
    const aux = this.auxPosition(seq, header, msgValue);
    let detail: string | undefined;
    switch ((header & DETAIL_MASK) >>> DETAIL_SHIFT) {
      case DETAIL_DUPLICATE: detail = DUPLICATE_COPY; break;
      case DETAIL_OF_MESSAGE: detail = this.ownDetail(sendSeq); break;
      case DETAIL_OWN: detail = this.values.read(this.auxWords, aux) as string; break;
      default: break;
    }
    let hlc: Hlc | undefined;
    if (header & HAS_HLC) {
      const word = w[at + W_HLC]!;
      if (header & HLC_SPILLED) hlc = { l: local + this.unfit(seq, F_HLC_L, this.hlcSpill.get(2 * word)), c: this.unfit(seq, F_HLC_C, this.hlcSpill.get(2 * word + 1)) };
      else hlc = { l: local + (word >> HLC_C_BITS), c: word & HLC_C_MASK };
    }
    return {
      seq,
      time,
      node,
      local,
      kind,
      lamport: this.unfit(seq, F_LAMPORT, w[at + W_LAMPORT]!),
      vc: header & HAS_VC ? this.vectorAt(w[at + W_VC_AT]!, w[at + W_VC_OWN]!, node) : EMPTY_VC,
      hlc,
      range: this.interner.siteRange(site),
      msg,
      peer,
      label: this.interner.siteLabel(site),
      cause,
      reason: REASONS[(header & REASON_MASK) >>> REASON_SHIFT],
      protocol: this.interner.siteProtocol(site),
      detail,
      data: aux >= 0 ? this.auxDataOf(aux) : undefined,
    };
  }

  /** Event `seq`'s kind, without building the event (seq within the trace). */
  kindAt(seq: number): EventKind {
    return EVENT_KINDS[this.headerAt(seq) & KIND_MASK]!;
  }

  /** Event `seq`'s node (−1: an environment event) without building the event; −2 outside the trace. */
  nodeAt(seq: number): number {
    if (!(seq >= 0 && seq < this.rows.length)) return -2;
    return (this.headerAt(seq) >>> NODE_SHIFT) - 1;
  }

  /** Event `seq`'s statement range, without building the event (seq within the trace). */
  rangeAt(seq: number): SourceRange {
    return this.interner.siteRange(this.rows.wordsOf(seq)[this.rows.wordAt(seq) + W_SITE]!);
  }

  /** The trace as a read-only array of events, built on access (arrayView). */
  view(): readonly TraceEvent[] {
    return (this.viewCache ??= arrayView(this));
  }

  // ---- fields -----------------------------------------------------------------

  private headerAt(seq: number): number {
    return this.rows.wordsOf(seq)[this.rows.wordAt(seq) + W_HEADER]!;
  }

  /** The other end of message `msg` as seen from `node`: its receiver from the sender, its sender from anyone else. */
  private messagePeer(msg: number, sendSeq: number, node: number): number {
    const from = (this.headerAt(sendSeq) >>> NODE_SHIFT) - 1;
    return node === from ? this.msgTo.get(msg) : from;
  }

  /** The text event `seq` holds itself (a send's summary), if any. */
  private ownDetail(seq: number): string | undefined {
    if (((this.headerAt(seq) & DETAIL_MASK) >>> DETAIL_SHIFT) !== DETAIL_OWN) return undefined;
    return this.values.read(this.auxWords, this.auxPositionOf(seq)) as string;
  }

  /** Whether event `seq` holds the text `detail` itself: compared where it is stored, without building it. */
  private hasOwnDetail(seq: number, detail: string): boolean {
    if (((this.headerAt(seq) & DETAIL_MASK) >>> DETAIL_SHIFT) !== DETAIL_OWN) return false;
    return this.values.isText(this.auxWords, this.auxPositionOf(seq), detail);
  }

  /** The data of the text and data written at `aux` (after its text). */
  private auxDataOf(aux: number): TraceEvent['data'] | undefined {
    return this.values.read(this.auxWords, this.values.skip(this.auxWords, aux)) as TraceEvent['data'] | undefined;
  }

  /** Where event `seq`'s own text and data start in `auxWords`, or −1 (its header and message word given). */
  private auxPosition(seq: number, header: number, msgWord: number): number {
    switch (header & AUX_MASK) {
      case AUX_ROW: return msgWord;
      case AUX_SEND: return this.msgAux.get(msgWord);
      case AUX_SEARCH: return this.auxAt.get(this.auxIndex(seq));
      default: return -1;
    }
  }

  private auxPositionOf(seq: number): number {
    const w = this.rows.wordsOf(seq);
    const at = this.rows.wordAt(seq);
    return this.auxPosition(seq, w[at + W_HEADER]!, w[at + W_MSG]!);
  }

  /** Where event `seq`'s entry among the events whose text and data are found by seq is, or −1: a binary search. */
  private auxIndex(seq: number): number {
    let lo = 0;
    let hi = this.auxCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.auxSeq.get(mid);
      if (at === seq) return mid;
      if (at < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** `value` for its word: itself when it fits 32 bits, else the marker, with the value in the side map. */
  private fit(seq: number, field: number, value: number): number {
    // A 32-bit integer other than the marker itself (and not −0, which would come back as 0).
    if ((value | 0) === value && value !== WIDE && (value !== 0 || 1 / value > 0)) return value;
    this.wide.set(seq * WIDE_FIELDS + field, value);
    return WIDE;
  }

  private unfit(seq: number, field: number, word: number): number {
    return word === WIDE ? this.wide.get(seq * WIDE_FIELDS + field)! : word;
  }

  /** Where a vector clock with `vc`'s entries other than `node`'s starts: the node's last one when those are unchanged. */
  private vectorFor(node: number, vc: Int32Array): number {
    const last = this.lastVc[node]!;
    const copy = this.lastCopy?.[node];
    if (last >= 0 && (copy ? sameOthers(copy, vc, node) : this.sameInColumn(last, vc, node))) return last;
    const at = this.vcUsed;
    this.vcs.setAll(at, vc);
    if (copy) for (let i = 0; i < this.width; i++) copy[i] = vc[i]!;
    this.vcUsed += this.width;
    this.lastVc[node] = at;
    return at;
  }

  /** Whether the vector clock written at `last` has `vc`'s entries other than `node`'s. */
  private sameInColumn(last: number, vc: Int32Array, node: number): boolean {
    for (let i = 0; i < this.width; i++) if (i !== node && this.vcs.get(last + i) !== vc[i]) return false;
    return true;
  }

  private vectorAt(at: number, own: number, node: number): Int32Array {
    const vc = new Int32Array(this.width);
    for (let i = 0; i < this.width; i++) vc[i] = this.vcs.get(at + i);
    vc[node] = own;
    return vc;
  }
}

/**
 * The trace as a read-only array: indexing, `length`, iteration and every
 * array method read events from the store, built on access (two reads of
 * one event give equal, not identical, objects; their ranges are the same
 * objects). Writes are refused.
 */
function arrayView(store: TraceStore): readonly TraceEvent[] {
  return new Proxy<TraceEvent[]>([], {
    get(target, key, receiver) {
      if (typeof key === 'string') {
        if (key === 'length') return store.length;
        const index = arrayIndex(key);
        if (index >= 0) return store.event(index);
      }
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === 'string') {
        const index = arrayIndex(key);
        if (index >= 0) return index < store.length;
      }
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === 'string') {
        if (key === 'length') return { value: store.length, writable: true, enumerable: false, configurable: false };
        const index = arrayIndex(key);
        if (index >= 0) return index < store.length ? { value: store.event(index), writable: false, enumerable: true, configurable: true } : undefined;
      }
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys() {
      const keys: string[] = [];
      for (let i = 0; i < store.length; i++) keys.push(String(i));
      keys.push('length');
      return keys;
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
}

/**
 * Whether `copy` (a node's last written vector clock) has `vc`'s entries
 * other than `node`'s. The node's own entry in the copy is overwritten
 * first, so the loop compares every entry without a test for the node.
 */
function sameOthers(copy: Int32Array, vc: Int32Array, node: number): boolean {
  copy[node] = vc[node]!;
  for (let i = 0; i < copy.length; i++) if (copy[i] !== vc[i]) return false;
  return true;
}

/** The array index a property key names (a canonical non-negative integer), or −1. */
function arrayIndex(key: string): number {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return -1;
  const n = Number(key);
  return Number.isInteger(n) && n < 4294967295 && String(n) === key ? n : -1;
}

const EMPTY_VC = new Int32Array(0);
/** Most nodes for which the store keeps a copy of each node's last vector clock (4 MB of copies at most). */
const COPIED_WIDTH = 1024;
const DUPLICATE_COPY = 'duplicate copy';
const WIDE = -2147483648;
const F_LOCAL = 0;
const F_LAMPORT = 1;
const F_HLC_L = 2;
const F_HLC_C = 3;
const F_PEER = 4;
const F_CAUSE = 5;
const WIDE_FIELDS = 6;
/** An event's words (Rows), besides its time. */
const W_HEADER = 0;
const W_LOCAL = 1;
const W_LAMPORT = 2;
const W_HLC = 3;
const W_MSG = 4;
const W_VC_OWN = 5;
const W_VC_AT = 6;
const W_SITE = 7;
const ROW = 8;
/** The HLC word: l − local above HLC_C_BITS bits of c. */
const HLC_C_BITS = 4;
const HLC_C_MASK = (1 << HLC_C_BITS) - 1;
const HLC_DELTA_LIMIT = 1 << (31 - HLC_C_BITS);
/** An estimate of V8's cost of a side-map entry. */
const WIDE_ENTRY_BYTES = 40;
/** Bytes every event takes in its row: time (8) and eight 32-bit words. */
const EVENT_BYTES = 40;
/** A message's send seq and receiver. */
const MESSAGE_BYTES = 8;

// The header word: kind (5 bits), drop reason (3), text mode (2), flags (3), where the
// event's own text and data are (2), HLC spilled (1), node + 1 (16).
const KIND_MASK = 0x1f;
const REASON_SHIFT = 5;
const REASON_MASK = 0x7 << REASON_SHIFT;
const DETAIL_SHIFT = 8;
const DETAIL_MASK = 0x3 << DETAIL_SHIFT;
const DETAIL_NONE = 0;
const DETAIL_OF_MESSAGE = 1;
const DETAIL_DUPLICATE = 2;
const DETAIL_OWN = 3;
const FROM_MESSAGE = 1 << 10;
const HAS_HLC = 1 << 11;
const HAS_VC = 1 << 12;
/** No own text or data; in the message word (an event without a message); with its message (the send); found by seq. */
const AUX_MASK = 0x3 << 13;
const AUX_ROW = 1 << 13;
const AUX_SEND = 2 << 13;
const AUX_SEARCH = 3 << 13;
/** The HLC word is an index into the spilled pairs. */
const HLC_SPILLED = 1 << 15;
const NODE_SHIFT = 16;
const MAX_NODES = (1 << (32 - NODE_SHIFT)) - 1;

/** A Map, not an object: a keyed load by a variable string on an object costs more on every event. */
const KIND_CODE: ReadonlyMap<EventKind, number> = new Map(EVENT_KINDS.map((k, i) => [k, i]));
const REASONS: readonly (DropReason | undefined)[] = [undefined, 'loss', 'partition', 'link-down', 'node-down', 'no-handler'];
const REASON_CODE: Readonly<Record<string, number>> = { none: 0, loss: 1, partition: 2, 'link-down': 3, 'node-down': 4, 'no-handler': 5 } satisfies Record<DropReason | 'none', number>;
